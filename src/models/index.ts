/**
 * Models: model factories, baselines, fused LSTM/GRU layers, attention, summary, save/load.
 */
export { buildModel } from "./build-model.js";
export { fusedByDefault } from "./fused-by-default.js";
export { buildBaseline, BASELINE_KINDS } from "./build-baseline.js";
export type { BaselineKind, BaselineOptions } from "./build-baseline.js";
export { resolveModelConfig, TASKS, CELLS, MERGE_MODES, OPTIMIZERS } from "./model-config.js";
export type { ModelOptions, ModelConfig, EmbeddingOptions, Task, CellName, MergeMode, OptimizerName } from "./model-config.js";
export { compileOptimizer, optimizerOf } from "./optimizer-registry.js";
export type { OptimizerOptions } from "./optimizer-registry.js";
export { taskHead } from "./task-head.js";
export type { TaskHead } from "./task-head.js";
export { modelConfig } from "./model-registry.js";
export { attachLosses } from "./attach-losses.js";
export { FusedLSTM } from "./fused-lstm.js";
export { FusedGRU } from "./fused-gru.js";
export { FusedRecurrent, resolveRecurrentOptions } from "./fused-recurrent.js";
export type { FusedRecurrentArgs, FusedRecurrentOptions } from "./fused-recurrent.js";
export { KeyedDropout } from "./keyed-dropout.js";
export type { KeyedDropoutArgs } from "./keyed-dropout.js";
export { withDropoutKey } from "./dropout-key.js";
export type { DropoutKey } from "./dropout-key.js";
export { keyStockDropout } from "./key-stock-dropout.js";
export { TemporalAttention, ATTENTION_KINDS } from "./temporal-attention.js";
export type { TemporalAttentionArgs, AttentionKind } from "./temporal-attention.js";
export { attentionWeights } from "./attention-weights.js";
export { modelSummary } from "./model-summary.js";
export { showSummary } from "./show-summary.js";
export { saveModel } from "./save-model.js";
export type { SaveModelOptions } from "./save-model.js";
export { loadModel } from "./load-model.js";
export type { LoadedModel, LoadModelOptions } from "./load-model.js";
export { fileIO } from "./file-io.js";
export { portableTopology } from "./portable-topology.js";
export { fusedTopology } from "./fused-topology.js";
export { initialValues, KERNEL_INITIALIZERS, RECURRENT_INITIALIZERS } from "./initial-values.js";
export type { InitializerName } from "./initial-values.js";
