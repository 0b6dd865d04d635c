/**
 * The figure data every plot builder returns: a Plotly `{ data, layout, config }` object, plain
 * JSON (no typed arrays, no functions), so it can be sent to the kernel, written to HTML or
 * asserted on in tests.
 */

/** One Plotly trace (`scatter`, `bar`, `heatmap`, `histogram`, `parcoords`, ...). */
export interface Trace {
  type: string;
  name?: string;
  [key: string]: unknown;
}

/** Plotly layout: title, axes, shapes, annotations, template, ... */
export interface Layout {
  title?: { text: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Plotly config: responsiveness, mode bar, PNG download options. */
export interface Config {
  responsive?: boolean;
  displaylogo?: boolean;
  toImageButtonOptions?: { format: "png" | "svg" | "jpeg" | "webp"; filename: string; scale?: number; height?: number; width?: number };
  [key: string]: unknown;
}

/** A Plotly figure as lstm-lab builds it: every builder fills all three parts. */
export interface Figure {
  data: Trace[];
  layout: Layout;
  config: Config;
}

/**
 * The figure's title text, or "Figure" when it has none.
 * @example
 * figureTitle(lrScheduleFigure(lrScheduleInfo([1e-3, 1e-3, 5e-4]))) // "Learning-rate schedule"
 */
export function figureTitle(fig: Figure): string {
  return fig.layout.title?.text ?? "Figure";
}
