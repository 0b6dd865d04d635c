/** A fake kernel host that records every display call, for simulating the lstm-lab kernel in tests. */
import type { DisplayOptions, KernelHost, MimeBundle } from "../../src/host.js";
import { installKernelHost } from "../../src/host.js";

export interface Recorded {
  data: MimeBundle;
  options: DisplayOptions;
}

export class FakeHost implements KernelHost {
  readonly calls: Recorded[] = [];
  readonly interruptSignal = new AbortController().signal;
  readonly sessionFlags = new Set<string>();
  display(data: MimeBundle, options: DisplayOptions = {}): void {
    this.calls.push({ data, options });
  }
}

/** Runs `fn` with a fresh fake host installed; returns the host (the previous one is put back). */
export async function withFakeHost(fn: (host: FakeHost) => void | Promise<void>, host = new FakeHost()): Promise<FakeHost> {
  const restore = installKernelHost(host);
  try {
    await fn(host);
  } finally {
    restore();
  }
  return host;
}
