/**
 * The neutral template every lstm-lab figure uses (white background, light grid, a colour-blind
 * friendly colour cycle), defined once here, plus the shared layout and config builders.
 */
import type { Config, Layout } from "./figure.js";

/** Colour cycle (Okabe-Ito order, readable on white and by colour-blind readers). */
export const COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"] as const;

/** Fill colours for train / val / test shading in time-series figures. */
export const SPLIT_COLORS: Record<string, string> = {
  train: "rgba(0, 114, 178, 0.07)",
  val: "rgba(230, 159, 0, 0.10)",
  test: "rgba(0, 158, 115, 0.10)",
};

const AXIS = {
  showgrid: true,
  gridcolor: "#ebebeb",
  zeroline: false,
  linecolor: "#444",
  showline: true,
  ticks: "outside",
  tickcolor: "#444",
  automargin: true,
  title: { standoff: 8 },
};

/** The Plotly template placed in every figure's `layout.template` (like plotly.py's "simple_white"). */
export const NEUTRAL_TEMPLATE = {
  layout: {
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    font: { family: "Inter, 'Segoe UI', Helvetica, Arial, sans-serif", size: 13, color: "#2a2a2a" },
    title: { x: 0.02, xanchor: "left", font: { size: 17 } },
    colorway: [...COLORS],
    hovermode: "closest",
    hoverlabel: { bgcolor: "white", font: { size: 12 } },
    legend: { bgcolor: "rgba(255,255,255,0.8)", borderwidth: 0 },
    xaxis: AXIS,
    yaxis: AXIS,
    colorscale: { sequential: "Viridis", diverging: "RdBu" },
  },
} as const;

/** Default figure height in pixels; the width follows the container (responsive). */
export const DEFAULT_HEIGHT = 450;

/** The parts of a Plotly layout the theme fills in: titles and axis titles. */
export interface LayoutParts {
  title: string;
  xTitle?: string;
  yTitle?: string;
  height?: number;
}

/** A layout with the neutral template, title, axis titles and responsive sizing; `extra` is merged in. */
export function baseLayout(p: LayoutParts, extra: Layout = {}): Layout {
  const xaxis = { title: { text: p.xTitle ?? "" }, ...((extra["xaxis"] as object | undefined) ?? {}) };
  const yaxis = { title: { text: p.yTitle ?? "" }, ...((extra["yaxis"] as object | undefined) ?? {}) };
  return {
    template: NEUTRAL_TEMPLATE,
    autosize: true,
    height: p.height ?? DEFAULT_HEIGHT,
    margin: { l: 70, r: 30, t: 60, b: 60 },
    ...extra,
    title: { text: p.title },
    xaxis,
    yaxis,
  };
}

/** Config with responsive width, no Plotly logo and a PNG download named after the figure. */
export function baseConfig(title: string): Config {
  const filename = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "figure";
  return {
    responsive: true,
    displaylogo: false,
    toImageButtonOptions: { format: "png", filename, scale: 2 },
  };
}

/** Light-to-dark blue (matplotlib's "Blues"; Plotly's built-in "Blues" runs dark to light). */
export const BLUES: [number, string][] = [
  [0, "#f7fbff"],
  [0.25, "#c6dbef"],
  [0.5, "#6baed6"],
  [0.75, "#2171b5"],
  [1, "#08306b"],
];

/** Blue (negative) – white (zero) – red (positive), for correlations (seaborn's "RdBu_r"). */
export const DIVERGING: [number, string][] = [
  [0, "#2166ac"],
  [0.25, "#92c5de"],
  [0.5, "#f7f7f7"],
  [0.75, "#f4a582"],
  [1, "#b2182b"],
];
