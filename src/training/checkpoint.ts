/**
 * Training checkpoints on disk: model weights, optimizer state, the history so far and the loop's
 * counters, so `train(model, data, { resumeFrom: dir })` continues the same loss curve.
 *
 * A checkpoint is a folder holding `manifest.json` (names, shapes, offsets, history, state) and
 * `weights.bin` (float32, little-endian: model weights then optimizer slots). Every write goes to
 * a temporary folder that is renamed into place, and the folder's `checkpoint.json` pointer is
 * replaced by rename too, so a crash never leaves a half-written checkpoint behind.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ConfigError, DataError, ShapeError } from "../errors.js";
import type { History } from "./history.js";
import type { OptimizerState } from "./optimizer.js";

const FORMAT = "lstm-lab-checkpoint";
const VERSION = 1;

/** What a checkpoint holds, in memory. */
export interface CheckpointData {
  /** Last completed epoch (0-based). */
  epoch: number;
  /** Model weights in `model.weights` order. */
  weights: { name: string; shape: number[]; values: Float32Array }[];
  optimizer: OptimizerState;
  history: History;
  /**
   * The other parts' states (plain JSON): `{ seed, plateau, callbacks }`, where `callbacks` maps each
   * callback's `stateKey` (earlyStopping, best, checkpoint, yours) to its `getState()`. The seed and
   * the epoch are all a resume needs to shuffle and draw dropout masks exactly as the uninterrupted
   * run: both are keyed by (seed, epoch[, batch, layer]), so no generator state is stored.
   */
  state: Record<string, unknown>;
}

interface Manifest {
  format: string;
  version: number;
  epoch: number;
  weights: { name: string; shape: number[]; offset: number; length: number }[];
  optimizer: {
    name: OptimizerState["name"];
    iterations: number;
    slots: { variable: number; slot: string; shape: number[]; offset: number; length: number }[];
  };
  history: History;
  state: Record<string, unknown>;
}

let tmpCounter = 0;

function tmpName(dir: string, name: string): string {
  return path.join(dir, `.${name}.tmp-${process.pid}-${Date.now()}-${tmpCounter++}`);
}

/** Writes a file by writing a sibling temp file and renaming it over the target. */
function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = tmpName(path.dirname(file), path.basename(file));
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Reads every weight of `model` into a checkpoint's weight list. */
export function readModelWeights(model: tf.LayersModel): CheckpointData["weights"] {
  return model.weights.map((w) => ({
    name: w.name,
    shape: w.shape.map((d) => d ?? 0),
    values: new Float32Array(w.read().dataSync()),
  }));
}

/** Puts saved weights back into `model`, checking count and shapes. */
export function writeModelWeights(model: tf.LayersModel, weights: CheckpointData["weights"]): void {
  const targets = model.weights;
  if (targets.length !== weights.length) {
    throw new ShapeError(`Checkpoint has ${weights.length} weights but the model has ${targets.length}; is it the same architecture?`);
  }
  weights.forEach((w, i) => {
    const want = (targets[i] as (typeof targets)[number]).shape.map((d) => d ?? 0);
    if (want.join(",") !== w.shape.join(",")) {
      throw new ShapeError(
        `Checkpoint weight ${i} ("${w.name}") has shape [${w.shape}] but the model's "${targets[i]?.name}" has [${want}].`,
      );
    }
  });
  const tensors = weights.map((w) => tf.tensor(w.values, w.shape, "float32"));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/**
 * Saves `data` as the checkpoint folder `dir/name` (replacing an older one of that name) and
 * points `dir/checkpoint.json` at it.
 */
export function saveCheckpoint(dir: string, name: string, data: CheckpointData): string {
  fs.mkdirSync(dir, { recursive: true });
  const chunks: Float32Array[] = [];
  let offset = 0;
  const place = (values: Float32Array) => {
    chunks.push(values);
    const at = offset;
    offset += values.length;
    return at;
  };
  const manifest: Manifest = {
    format: FORMAT,
    version: VERSION,
    epoch: data.epoch,
    weights: data.weights.map((w) => ({ name: w.name, shape: w.shape, offset: place(w.values), length: w.values.length })),
    optimizer: {
      name: data.optimizer.name,
      iterations: data.optimizer.iterations,
      slots: data.optimizer.slots.map((s) => ({
        variable: s.variable,
        slot: s.slot,
        shape: s.shape,
        offset: place(s.values),
        length: s.values.length,
      })),
    },
    history: data.history,
    state: data.state,
  };
  const bin = new Float32Array(offset);
  let at = 0;
  for (const c of chunks) {
    bin.set(c, at);
    at += c.length;
  }
  const tmp = tmpName(dir, name);
  fs.mkdirSync(tmp);
  fs.writeFileSync(path.join(tmp, "weights.bin"), new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength));
  fs.writeFileSync(path.join(tmp, "manifest.json"), JSON.stringify(manifest));
  const target = path.join(dir, name);
  let old: string | null = null;
  if (fs.existsSync(target)) {
    old = tmpName(dir, `${name}.old`);
    fs.renameSync(target, old);
  }
  fs.renameSync(tmp, target);
  writeFileAtomic(path.join(dir, "checkpoint.json"), JSON.stringify({ latest: name, epoch: data.epoch }));
  if (old) fs.rmSync(old, { recursive: true, force: true });
  return target;
}

/**
 * Loads a checkpoint: `dir` is either one checkpoint folder (with manifest.json) or a checkpoint
 * directory written by training (with checkpoint.json naming the latest checkpoint).
 * @example
 * // not run: reads a checkpoint folder that train({ checkpoint }) wrote
 * const data = loadCheckpoint("runs/ckpt/last");
 */
export function loadCheckpoint(dir: string): CheckpointData {
  let folder = dir;
  if (!fs.existsSync(path.join(folder, "manifest.json"))) {
    const pointer = path.join(dir, "checkpoint.json");
    if (!fs.existsSync(pointer)) {
      throw new ConfigError(`\`resumeFrom\` ${JSON.stringify(dir)} holds no checkpoint (no manifest.json or checkpoint.json).`);
    }
    const p = JSON.parse(fs.readFileSync(pointer, "utf8")) as { latest?: unknown };
    if (typeof p.latest !== "string") throw new DataError(`${pointer} does not name a checkpoint.`);
    folder = path.join(dir, p.latest);
  }
  const m = JSON.parse(fs.readFileSync(path.join(folder, "manifest.json"), "utf8")) as Manifest;
  if (m.format !== FORMAT || m.version !== VERSION) {
    throw new DataError(`${folder} is not an lstm-lab checkpoint of version ${VERSION} (format ${JSON.stringify(m.format)}, version ${m.version}).`);
  }
  const buf = fs.readFileSync(path.join(folder, "weights.bin"));
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const take = (offset: number, length: number) => {
    if (offset + length > all.length) throw new DataError(`${folder}/weights.bin is truncated.`);
    return all.slice(offset, offset + length);
  };
  return {
    epoch: m.epoch,
    weights: m.weights.map((w) => ({ name: w.name, shape: w.shape, values: take(w.offset, w.length) })),
    optimizer: {
      name: m.optimizer.name,
      iterations: m.optimizer.iterations,
      slots: m.optimizer.slots.map((s) => ({ variable: s.variable, slot: s.slot, shape: s.shape, values: take(s.offset, s.length) })),
    },
    history: m.history,
    state: m.state,
  };
}
