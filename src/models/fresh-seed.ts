/** A fresh seed when the caller gave none: drawn from crypto, so src/ never calls Math.random(). */
export function freshSeed(): number {
  return (globalThis.crypto.getRandomValues(new Uint32Array(1))[0] as number) & 0x7fffffff;
}
