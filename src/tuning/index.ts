/** Tuning: search spaces, studies, samplers, pruners, storages, cross-validation and ensembles. */
export type { Distribution, ParamValue, Params, Direction, TrialState, FrozenTrial, StudyData, WorkerInfo } from "./trial.js";
export { floatParam, intParam, categoricalParam, checkDistribution, contains, sameDistribution, describeDistribution } from "./distributions.js";
export type { FloatParamOptions, IntParamOptions } from "./distributions.js";
export { space, conditional, SearchSpace } from "./space.js";
export type { SpaceEntry, SpaceParam, ConditionalParam } from "./space.js";
export { Trial } from "./trial-handle.js";
export { TrialPruned } from "./trial-pruned.js";
export { createStudy, Study } from "./study.js";
export type { StudyOptions, OptimizeOptions, OptimizeResult, StopReason, Objective } from "./study.js";
export * from "./samplers/index.js";
export * from "./pruners/index.js";
export * from "./storage/index.js";
export { optimizeParallel, workerCommand } from "./optimize-parallel.js";
export type { OptimizeParallelOptions, ParallelResult } from "./optimize-parallel.js";
export { runWorker } from "./worker.js";
export type { WorkerConfig, WorkerSummary } from "./worker.js";
