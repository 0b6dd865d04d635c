/**
 * The kernel, when present. The lstm-lab kernel installs a host object on a global symbol;
 * the library uses it to send rich displays and to learn about interrupts. In plain Node and
 * in tests there is no host and everything still works (figures go to HTML files, nothing is
 * interrupted). Tests install a fake host to simulate the kernel.
 */

/** A MIME bundle: MIME type → payload (string or JSON-able object). */
export type MimeBundle = Record<string, unknown>;

/** Options of a display call: the output to replace, and metadata for the front end. */
export interface DisplayOptions {
  /** Jupyter display_id, so a later call with `update: true` replaces this output in place. */
  displayId?: string;
  /** Replace the output with this display_id instead of adding a new one. @default false */
  update?: boolean;
  /** Per-MIME metadata sent with the bundle. */
  metadata?: Record<string, unknown>;
}

/** What the Jupyter kernel offers the library (display, interrupts); absent in plain Node. */
export interface KernelHost {
  /** Sends one display_data (or update_display_data) message carrying the whole bundle. */
  display(data: MimeBundle, options?: DisplayOptions): void;
  /**
   * The MIME bundle the kernel shows for `value` as a cell's result (rich for tables, tensors and
   * values with a mimeBundle method), so `display(value)` looks the same as the value itself.
   */
  represent?(value: unknown): MimeBundle;
  /** Clears the running cell's output; with `wait`, only when the next output arrives. */
  clearOutput?(wait?: boolean): void;
  /** Aborted when the user interrupts the kernel; a fresh signal for every cell. */
  readonly interruptSignal: AbortSignal;
  /**
   * Names of one-time setup steps already done in this kernel session (for example the inline
   * plotly.js script). A kernel restart starts with an empty set.
   */
  readonly sessionFlags: Set<string>;
}

const KEY = Symbol.for("lstm-lab.kernel-host");

type HostGlobal = typeof globalThis & { [KEY]?: KernelHost };

/** The current kernel host, or undefined outside a kernel. */
export function kernelHost(): KernelHost | undefined {
  return (globalThis as HostGlobal)[KEY];
}

/** The interrupt signal of the running cell, or undefined outside a kernel. */
export function interruptSignal(): AbortSignal | undefined {
  return kernelHost()?.interruptSignal;
}

/** True when the kernel asked the running cell to stop. */
export function interruptRequested(): boolean {
  return kernelHost()?.interruptSignal.aborted ?? false;
}

/**
 * Installs `host` as the kernel host (the kernel does this at start; tests do it to simulate a
 * kernel). Returns a function that puts back whatever was there before.
 */
export function installKernelHost(host: KernelHost): () => void {
  const g = globalThis as HostGlobal;
  const previous = g[KEY];
  g[KEY] = host;
  return () => {
    if (previous === undefined) delete g[KEY];
    else g[KEY] = previous;
  };
}
