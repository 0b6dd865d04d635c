/**
 * The walk both topology rewrites share (fused ⇄ portable): every `{ class_name, config }` node in a
 * saved Keras/TF.js topology is offered to `convert`; a non-null answer replaces the node's class
 * name and config, everything else is copied as is.
 */

export type Json = Record<string, unknown>;

/** Returns `topology` with the layer nodes `convert` answers for replaced. */
export function rewriteLayers<T>(topology: T, convert: (className: string, config: Json) => Json | null): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    const o = node as Json;
    const cls = o["class_name"];
    if (typeof cls === "string" && typeof o["config"] === "object" && o["config"] !== null) {
      const replaced = convert(cls, o["config"] as Json);
      if (replaced) return { ...o, ...replaced };
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, walk(v)]));
  };
  return walk(topology) as T;
}

/** The fields every layer config carries over unchanged between a stock and a fused recurrent layer. */
export function layerBaseFields(c: Json): Json {
  return {
    name: c["name"],
    trainable: c["trainable"] ?? true,
    ...(c["batch_input_shape"] !== undefined ? { batch_input_shape: c["batch_input_shape"] } : {}),
    ...(c["dtype"] !== undefined ? { dtype: c["dtype"] } : {}),
    units: c["units"],
  };
}
