/**
 * Plotly diagnostics: every figure is `xxxInfo(...)` (plain data) → `xxxFigure(info)` (Plotly
 * JSON) → `plotXxx(...)` (shown inline in the kernel, or written to an HTML file in plain Node).
 */
export type { Figure, Trace, Layout, Config } from "./figure.js";
export { figureTitle } from "./figure.js";
export { NEUTRAL_TEMPLATE, COLORS, SPLIT_COLORS, BLUES, DIVERGING, baseLayout, baseConfig } from "./theme.js";
export type { LayoutParts } from "./theme.js";
export { show, figureBundle, figureSummary, resetPlotlySession, PLOTLY_MIME, PLOTLY_SESSION_FLAG } from "./display.js";
export type { ShowOptions } from "./display.js";
export { figureHtml, standaloneHtml, plotlyPath } from "./html.js";
export type { PlotlyJsMode } from "./html.js";
export { LiveFigure } from "./live-figure.js";
export type { LiveFigureOptions } from "./live-figure.js";
export { liveLossPlot, LiveLossPlot } from "./live-loss-plot.js";
export type { LiveLossPlotOptions } from "./live-loss-plot.js";
export { lossCurveInfo, lossCurveFigure, plotLoss, higherIsBetter } from "./loss-curve.js";
export type { LossCurveInfo, LossCurveOptions } from "./loss-curve.js";
export { histogramBins } from "./histogram-bins.js";
export type { HistogramBins } from "./histogram-bins.js";
export type { TableLike } from "./table.js";
export type { SplitRange, SplitSpan } from "./split-shading.js";
// Data
export { seriesInfo, seriesFigure, plotSeries } from "./series.js";
export type { SeriesInfo, SeriesOptions } from "./series.js";
export { correlationInfo, correlationFigure, plotCorrelation, pearson, ranks } from "./correlation.js";
export type { CorrelationInfo, CorrelationOptions } from "./correlation.js";
export { missingInfo, missingFigure, plotMissing } from "./missing.js";
export type { MissingInfo, MissingOptions } from "./missing.js";
export { histogramsInfo, histogramsFigure, plotHistograms } from "./histograms.js";
export type { HistogramsInfo, HistogramsOptions, HistogramPanel } from "./histograms.js";
// Training
export { gradNormsInfo, gradNormsFigure, plotGradNorms } from "./grad-norms.js";
export type { GradNormsInfo, GradNormsOptions } from "./grad-norms.js";
export { weightHistogramsInfo, weightHistogramsFigure, plotWeightHistograms, layerWeights } from "./weight-histograms.js";
export type { WeightHistogramsOptions, WeightValues } from "./weight-histograms.js";
export { lrScheduleInfo, lrScheduleFigure, plotLrSchedule } from "./lr-schedule.js";
export type { LrScheduleInfo, LrScheduleOptions } from "./lr-schedule.js";
export { lrFinderInfo, lrFinderFigure, plotLrFinder } from "./lr-finder.js";
export type { LrFinderInfo, LrFinderPlotOptions } from "./lr-finder.js";
// Results
export { forecastFanInfo, forecastFanFigure, plotForecastFan } from "./forecast-fan.js";
export type { ForecastFanInfo, ForecastFanInput, ForecastFanOptions, FanBand } from "./forecast-fan.js";
export { predictionsInfo, predictionsFigure, plotPredictions } from "./predictions.js";
export type { PredictionsInfo, PredictionsInput, PredictionsOptions } from "./predictions.js";
export { predictedVsActualInfo, predictedVsActualFigure, plotPredictedVsActual } from "./predicted-vs-actual.js";
export type { PredictedVsActualInfo, PredictedVsActualOptions } from "./predicted-vs-actual.js";
export { residualsInfo, residualsFigure, plotResiduals, autocorrelation } from "./residuals.js";
export type { ResidualsInfo, ResidualsOptions } from "./residuals.js";
export { metricBarsInfo, metricBarsFigure, plotMetricBars } from "./metric-bars.js";
export type { MetricBarsInfo, MetricBarsOptions, MetricRow } from "./metric-bars.js";
export { confusionMatrixInfo, confusionMatrixFigure, plotConfusionMatrix } from "./confusion-matrix.js";
export type { ConfusionMatrixInfo, ConfusionMatrixOptions } from "./confusion-matrix.js";
export { rocInfo, rocFigure, plotRoc } from "./roc.js";
export type { RocInfo, RocOptions } from "./roc.js";
// Tuning
export { optimizationHistoryInfo, optimizationHistoryFigure, plotOptimizationHistory } from "./optimization-history.js";
export type { OptimizationHistoryInfo, OptimizationHistoryOptions } from "./optimization-history.js";
export { parallelCoordinatesInfo, parallelCoordinatesFigure, plotParallelCoordinates } from "./parallel-coordinates.js";
export type { ParallelCoordinatesInfo, ParallelCoordinatesOptions, ParcoordsDimension } from "./parallel-coordinates.js";
export { sliceInfo, sliceFigure, plotSlice } from "./slice.js";
export type { SliceInfo, SliceOptions, SlicePanel } from "./slice.js";
export { paramImportanceInfo, paramImportanceFigure, plotParamImportance } from "./param-importance.js";
export type { ParamImportanceInfo, ParamImportanceOptions } from "./param-importance.js";
export { intermediateValuesInfo, intermediateValuesFigure, plotIntermediateValues } from "./intermediate-values.js";
export type { IntermediateValuesInfo, IntermediateValuesOptions } from "./intermediate-values.js";
// Interpretability
export { attentionInfo, attentionFigure, plotAttention } from "./attention.js";
export type { AttentionInfo, AttentionOptions } from "./attention.js";
