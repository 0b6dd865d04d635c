/**
 * The output activation, loss and metrics that go with each task, as a Keras user expects them.
 */
import { oneOf } from "../validate.js";
import { TASKS, type Task } from "./model-config.js";

/** The output activation, loss and metrics of a task's head. */
export interface TaskHead {
  /** Activation of the last Dense layer. */
  readonly activation: "linear" | "sigmoid" | "softmax";
  /** tf.js loss name, also what the training loop reads from `model.loss`. */
  readonly loss: "meanSquaredError" | "binaryCrossentropy" | "categoricalCrossentropy" | "sparseCategoricalCrossentropy";
  /** Metrics compiled into the model. */
  readonly metrics: readonly string[];
}

/**
 * The output activation, loss and metrics for a task.
 * @example taskHead("multiclass", true) // { activation: "softmax", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] }
 */
export function taskHead(task: Task, sparseLabels = false): TaskHead {
  switch (oneOf("task", task, TASKS)) {
    case "regression":
      return { activation: "linear", loss: "meanSquaredError", metrics: [] };
    case "binary":
      return { activation: "sigmoid", loss: "binaryCrossentropy", metrics: ["accuracy"] };
    case "multiclass":
      return {
        activation: "softmax",
        loss: sparseLabels ? "sparseCategoricalCrossentropy" : "categoricalCrossentropy",
        metrics: ["accuracy"],
      };
  }
}
