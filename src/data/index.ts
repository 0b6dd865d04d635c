/**
 * The data layer: arquero tables in, new tables or typed arrays / tensors out.
 * load / dataset → clean → features → split → fit scaler on train → windows / pad → tensors.
 */
export { makeWindows, windowArrays } from "./windows.js";
export type { WindowOptions, WindowArrays, Windows } from "./windows.js";
export { fitScaler, Scaler, SCALER_KINDS } from "./scaler.js";
export type { ScalerKind, ScalerOptions, ScalerState } from "./scaler.js";
export { timeSplit } from "./split.js";
export type { TimeSplit, TimeSplitOptions } from "./split.js";
export { timeSeriesFolds, kFold, stratifiedKFold, foldTables, scaledFolds } from "./folds.js";
export type { Fold, TimeSeriesFoldOptions, KFoldOptions, ScaledFold } from "./folds.js";
export { takeRows, sliceRows } from "./rows.js";
export { addLags, addLeads } from "./lags.js";
export { addDiff, addPctChange } from "./diff.js";
export { addRolling, addExpanding, ROLLING_STATS } from "./rolling.js";
export type { RollingStat } from "./rolling.js";
export { addCalendar, CALENDAR_PARTS } from "./calendar.js";
export type { CalendarPart, CalendarOptions } from "./calendar.js";
export { oneHot, oneHotCategories } from "./one-hot.js";
export type { OneHotOptions, Category } from "./one-hot.js";
export { missingReport, isMissing } from "./missing.js";
export { fillMissing, FILL_METHODS } from "./fill-missing.js";
export type { FillMethod, FillOptions } from "./fill-missing.js";
export { sortByTime } from "./sort-by-time.js";
export { checkTimestamps } from "./timestamps.js";
export type { TimestampReport } from "./timestamps.js";
export { resample, parseEvery, RESAMPLE_AGGS } from "./resample.js";
export type { ResampleAgg, ResampleOptions } from "./resample.js";
export { load, parseDates, parseDate, FILE_FORMATS } from "./load.js";
export type { FileFormat, LoadOptions } from "./load.js";
export { describe, columnType } from "./describe.js";
export { dataset, datasets, datasetInfo, DATASET_NAMES } from "./datasets.js";
export type { DatasetName, DatasetInfo, DatasetOptions } from "./datasets.js";
export { padSequences, padArrays } from "./pad.js";
export type { PadOptions, Padded, PaddedArrays, Sequence } from "./pad.js";
export { Tokenizer } from "./tokenizer.js";
export type { TokenizerOptions, TokenizerState } from "./tokenizer.js";
export { splitWindows } from "./split-windows.js";
export type { SplitWindowOptions, Split, SplitPart } from "./split-windows.js";
export { windowDataset } from "./window-dataset.js";
export type { WindowDatasetOptions, WindowBatch, ForecastBatch } from "./window-dataset.js";
export { groupRows } from "./group-rows.js";
export type { GroupRows } from "./group-rows.js";
export { fitGroupScaler, GroupScaler } from "./group-scaler.js";
export type { GroupScalerState } from "./group-scaler.js";
