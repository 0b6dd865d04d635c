/**
 * fusedTopology: the reverse of portableTopology. Rewrites a saved topology (Keras JSON, snake_case)
 * so stock LSTM / GRU layers our fused layers can compute exactly (tanh activation, sigmoid gates, no
 * constraints, not stateful, GRU without reset_after, L1/L2 or no regularizers) become FusedLSTM /
 * FusedGRU with the same options. Other recurrent layers are left as they are. Weights need no change.
 */

import { layerBaseFields, rewriteLayers, type Json } from "./rewrite-layers.js";

const INITIALIZERS: Record<string, string> = {
  GlorotUniform: "glorot_uniform",
  GlorotNormal: "glorot_normal",
  HeNormal: "he_normal",
  HeUniform: "he_uniform",
  Orthogonal: "orthogonal",
};

function initializerName(init: unknown, fallback: string): string {
  const cls = typeof init === "object" && init !== null ? (init as Json)["class_name"] : init;
  return typeof cls === "string" ? INITIALIZERS[cls] ?? fallback : fallback;
}

/** [l1, l2] of an L1L2 regularizer, [0, 0] for none, null for anything else. */
function l1l2(reg: unknown): [number, number] | null {
  if (reg === null || reg === undefined) return [0, 0];
  const r = reg as Json;
  if (r["class_name"] !== "L1L2") return null;
  const c = (r["config"] ?? {}) as Json;
  return [Number(c["l1"] ?? 0), Number(c["l2"] ?? 0)];
}

function fusedLayer(cls: "LSTM" | "GRU", c: Json): Json | null {
  const regs = [c["kernel_regularizer"], c["recurrent_regularizer"], c["bias_regularizer"]].map(l1l2);
  const [k, r, b] = regs;
  const sameReg = k && r && b && k[0] === r[0] && r[0] === b[0] && k[1] === r[1] && r[1] === b[1];
  const computable =
    (c["activation"] ?? "tanh") === "tanh" &&
    c["recurrent_activation"] === "sigmoid" &&
    !c["stateful"] &&
    !c["unroll"] &&
    !c["kernel_constraint"] &&
    !c["recurrent_constraint"] &&
    !c["bias_constraint"] &&
    !c["activity_regularizer"] &&
    !(cls === "GRU" && c["reset_after"] === true) &&
    sameReg;
  if (!computable || !k) return null;
  const seed = (((c["kernel_initializer"] ?? {}) as Json)["config"] as Json | undefined)?.["seed"];
  const config: Json = {
    ...layerBaseFields(c),
    return_sequences: c["return_sequences"] ?? false,
    return_state: c["return_state"] ?? false,
    go_backwards: c["go_backwards"] ?? false,
    dropout: c["dropout"] ?? 0,
    recurrent_dropout: c["recurrent_dropout"] ?? 0,
    kernel_initializer: initializerName(c["kernel_initializer"], "glorot_uniform"),
    recurrent_initializer: initializerName(c["recurrent_initializer"], "orthogonal"),
    use_bias: c["use_bias"] ?? true,
    unit_forget_bias: cls === "LSTM" ? (c["unit_forget_bias"] ?? true) : true,
    l1: k[0],
    l2: k[1],
    ...(typeof seed === "number" ? { seed } : {}),
  };
  return { class_name: cls === "LSTM" ? "FusedLSTM" : "FusedGRU", config };
}

/**
 * declare const artifacts: tf.io.ModelArtifacts;
 * const json = fusedTopology(artifacts.modelTopology)  // LSTM → FusedLSTM where exact
 */
export function fusedTopology<T>(topology: T): T {
  return rewriteLayers(topology, (cls, c) => (cls === "LSTM" || cls === "GRU" ? fusedLayer(cls, c) : null));
}
