/**
 * portableTopology: rewrites a saved model topology (Keras JSON, snake_case) so our FusedLSTM /
 * FusedGRU layers become the stock LSTM / GRU with the same options (and KeyedDropout the stock Dropout). The weights need no change:
 * the fused layers keep tf.layers' names, shapes and order, so the rewritten model.json loads in any
 * TF.js (tfjs-node, the converter, a browser) without lstm-lab.
 */

import { layerBaseFields, rewriteLayers, type Json } from "./rewrite-layers.js";

const initializer = (name: unknown, seed: unknown): Json => {
  switch (name) {
    case "orthogonal":
      return { class_name: "Orthogonal", config: { gain: 1, seed } };
    case "glorot_normal":
      return { class_name: "GlorotNormal", config: { seed } };
    case "he_normal":
      return { class_name: "HeNormal", config: { seed } };
    case "he_uniform":
      return { class_name: "HeUniform", config: { seed } };
    default:
      return { class_name: "GlorotUniform", config: { seed } };
  }
};

/** The stock Keras config equivalent to one of our fused layers' saved configs. */
function stockLayer(className: string, c: Json): Json {
  const l1 = Number(c["l1"] ?? 0);
  const l2 = Number(c["l2"] ?? 0);
  const reg = l1 > 0 || l2 > 0 ? { class_name: "L1L2", config: { l1, l2 } } : null;
  const lstm = className === "FusedLSTM";
  const config: Json = {
    ...layerBaseFields(c),
    activation: "tanh",
    recurrent_activation: "sigmoid",
    use_bias: c["use_bias"] ?? true,
    kernel_initializer: initializer(c["kernel_initializer"], c["seed"] ?? null),
    recurrent_initializer: initializer(c["recurrent_initializer"], c["seed"] ?? null),
    bias_initializer: { class_name: "Zeros", config: {} },
    kernel_regularizer: reg,
    recurrent_regularizer: reg,
    bias_regularizer: reg,
    activity_regularizer: null,
    kernel_constraint: null,
    recurrent_constraint: null,
    bias_constraint: null,
    dropout: c["dropout"] ?? 0,
    recurrent_dropout: c["recurrent_dropout"] ?? 0,
    implementation: lstm ? 2 : 1,
    return_sequences: c["return_sequences"] ?? false,
    return_state: c["return_state"] ?? false,
    go_backwards: c["go_backwards"] ?? false,
    stateful: false,
    unroll: false,
    ...(lstm ? { unit_forget_bias: c["unit_forget_bias"] ?? true } : { reset_after: false }),
  };
  return { class_name: lstm ? "LSTM" : "GRU", config };
}

/** KeyedDropout as the stock Dropout: the same layer at inference; the stock one reuses a seeded mask in training. */
function stockDropout(c: Json): Json {
  const { units: _units, ...base } = layerBaseFields(c);
  return { class_name: "Dropout", config: { ...base, rate: c["rate"], noise_shape: c["noise_shape"] ?? null, seed: c["seed"] ?? null } };
}

/**
 * declare const artifacts: tf.io.ModelArtifacts;
 * const json = portableTopology(artifacts.modelTopology)  // FusedLSTM → LSTM, FusedGRU → GRU, KeyedDropout → Dropout
 */
export function portableTopology<T>(topology: T): T {
  return rewriteLayers(topology, (cls, c) =>
    cls === "FusedLSTM" || cls === "FusedGRU" ? stockLayer(cls, c) : cls === "KeyedDropout" ? stockDropout(c) : null,
  );
}
