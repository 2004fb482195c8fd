/** The rank of each string among the distinct strings of `xs` (for sorting by uuid with integer compares). */
export function rank(xs: string[]): Int32Array {
  const sorted = [...new Set(xs)].sort((a, b) => cmp(a, b));
  const at = new Map(sorted.map((x, i) => [x, i]));
  return Int32Array.from(xs, (x) => at.get(x)!);
}

/** Code-unit order of two strings. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
