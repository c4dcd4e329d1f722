/** A JSON.stringify replacer: typed arrays (predictions, vectors) as plain lists rather than {"0": …} objects. */
export function typedArraysAsLists(_key: string, value: unknown): unknown {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : value;
}
