/**
 * `display(value)`: show anything in the notebook, as IPython's `display`. In the lstm-lab kernel it
 * sends one display_data message carrying every MIME type the value offers (and can update an
 * earlier display in place by its id); in plain Node it prints the text/plain form.
 */
import { inspect } from "node:util";
import { kernelHost, type DisplayOptions, type MimeBundle } from "./host.js";
import { ConfigError } from "./errors.js";
import { MIME_BUNDLE, represent } from "./represent.js";

export { MIME_BUNDLE };


/** A value that can display itself. */
export interface Displayable {
  [MIME_BUNDLE](): MimeBundle;
}

function isDisplayable(v: unknown): v is Displayable {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as Record<symbol, unknown>)[MIME_BUNDLE] === "function";
}

/** A plain object whose every key looks like a MIME type ("text/html"): taken as a bundle as is. */
function isBundle(v: unknown): v is MimeBundle {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => /^[\w.+-]+\/[\w.+-]+$/.test(k));
}

/** The MIME bundle `display` would send for `value` (always with text/plain; a string as itself). */
export function mimeBundleOf(value: unknown): MimeBundle {
  if (!isDisplayable(value) && isBundle(value)) return "text/plain" in value ? value : { ...value, "text/plain": "" };
  if (typeof value === "string") return { "text/plain": value };
  return represent(value);
}

/**
 * Shows `value`: a MIME bundle (`{ "text/html": "<b>hi</b>", "text/plain": "hi" }`), an object with a
 * `[MIME_BUNDLE]()` method, or anything else (shown as text). With `displayId`, a later call with
 * `update: true` replaces that output in place.
 * @example
 * display({ "text/markdown": "**Epoch 1**", "text/plain": "Epoch 1" }, { displayId: "status" });
 * display({ "text/markdown": "**Epoch 2**", "text/plain": "Epoch 2" }, { displayId: "status", update: true });
 */
export function display(value: unknown, options: DisplayOptions = {}): void {
  if (options.update && !options.displayId) {
    throw new ConfigError("`update: true` needs a `displayId` naming the display to replace.");
  }
  const host = kernelHost();
  // In a kernel, anything that is not already a bundle is shown as the kernel shows a cell's value.
  const bundle = host?.represent && !isBundle(value) ? host.represent(value) : mimeBundleOf(value);
  if (host) {
    host.display(bundle, options);
    return;
  }
  const text = bundle["text/plain"];
  process.stdout.write(`${typeof text === "string" ? text : inspect(text)}\n`);
}
