/**
 * The natural order of github.com/facette/natsort (which Prometheus's sort_by_label uses): runs
 * of ASCII digits compare by length after skipping leading zeros, then byte-wise; everything else
 * compares byte-wise on UTF-8. A string that is a prefix of the other comes first.
 */

const encoder = new TextEncoder();
const ZERO = 0x30;
const NINE = 0x39;

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= ZERO && byte <= NINE;
}

/**
 * natsort.Compare: whether `a` precedes `b`.
 *
 * @example
 * naturalLess('cpu2', 'cpu10'); // true
 */
export function naturalLess(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let i = 0;
  let j = 0;
  for (;;) {
    if (i >= x.length) return j < y.length;
    if (j >= y.length) return false;
    if (isDigit(x[i]) && isDigit(y[j])) {
      const left = numberRun(x, i);
      const right = numberRun(y, j);
      if (left.length !== right.length) return left.length < right.length;
      const order = compareBytes(
        x.subarray(left.start, left.start + left.length),
        y.subarray(right.start, right.start + right.length),
      );
      if (order !== 0) return order < 0;
      i = left.start + left.length;
      j = right.start + right.length;
      continue;
    }
    if (x[i] !== y[j]) return (x[i] ?? 0) < (y[j] ?? 0);
    i++;
    j++;
  }
}

/**
 * The digit run at `start`, as natsort scans it: leading '0's are skipped while more bytes
 * follow (even a non-digit, a quirk kept for fidelity), then digits are counted.
 */
function numberRun(bytes: Uint8Array, start: number): { start: number; length: number } {
  let position = start;
  let length = 1;
  while (position + length < bytes.length) {
    if (bytes[position] === ZERO) {
      position++;
      continue;
    }
    if (!isDigit(bytes[position + length])) break;
    length++;
  }
  return { start: position, length };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let k = 0; k < length; k++) {
    const difference = (a[k] ?? 0) - (b[k] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}
