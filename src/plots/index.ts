/**
 * Plotly diagnostics: every figure is `xxxInfo(...)` (plain data) → `xxxFigure(info)` (Plotly
 * JSON) → `plotXxx(...)` (shown inline in the kernel, or written to an HTML file in plain Node).
 */
export type { Figure, Trace, Layout, Config } from "./figure.js";
export { figureTitle } from "./figure.js";
export { NEUTRAL_TEMPLATE, COLORS, SPLIT_COLORS, baseLayout, baseConfig } from "./theme.js";
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
