type NumberArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/** `made` with `old` copied to its start: grows a typed-array column (`made` is the larger one). */
export function grownFrom<T extends NumberArray>(old: T, made: T): T {
  made.set(old);
  return made;
}
