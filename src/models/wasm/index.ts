/** The WebAssembly SIMD engine of the fused LSTM/GRU layers: choose it, report it, load it. */
export { setRnnEngine, rnnEngine, describeRnnEngine, RNN_ENGINES } from "./rnn-engine.js";
export type { RnnEngineChoice, RnnEngineInfo, RnnEngineOptions } from "./rnn-engine.js";
export { RnnKernel, kernelDir, WG_CHUNK, WG_MAX_PARTS, weightGradScratch } from "./rnn-kernel.js";
export type { KernelVariant, KernelFunction } from "./rnn-kernel.js";
export { wasmLstmSequence, wasmLstmFits } from "./wasm-lstm-sequence.js";
export { wasmGruSequence, wasmGruFits } from "./wasm-gru-sequence.js";
