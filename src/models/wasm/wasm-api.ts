/**
 * The slice of the WebAssembly JS API the recurrent kernel uses. Our tsconfig has no DOM lib and
 * @types/node does not declare WebAssembly, so it is typed here once and read from globalThis.
 */

export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

export type WasmModule = object;

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** The WebAssembly global, or null where the runtime has none. */
export function wasmApi(): WasmApi | null {
  const g = globalThis as unknown as { WebAssembly?: WasmApi };
  return g.WebAssembly ?? null;
}

/** Wasm page size in bytes. */
export const PAGE = 65536;
/** Pages the kernel modules declare as their memory maximum (2 GiB); the build script uses the same. */
export const MAX_PAGES = 32768;
