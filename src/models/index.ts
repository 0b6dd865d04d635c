/**
 * Models: fused LSTM/GRU layers, attention, model factories, baselines, summary, save/load.
 */
export { FusedLSTM } from "./fused-lstm.js";
export { FusedGRU } from "./fused-gru.js";
export { FusedRecurrent, resolveRecurrentOptions } from "./fused-recurrent.js";
export type { FusedRecurrentArgs, FusedRecurrentOptions } from "./fused-recurrent.js";
export { initialValues, KERNEL_INITIALIZERS, RECURRENT_INITIALIZERS } from "./initial-values.js";
export type { InitializerName } from "./initial-values.js";
