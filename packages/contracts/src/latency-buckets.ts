/**
 * Upper bounds (inclusive, ms) of the latency histogram kept per rollup row. A latency SLI threshold is exact
 * when it equals one of these bounds (the common SLO thresholds from 10 ms to 60 s). Any other threshold is
 * rounded down to the nearest bound below it, which is conservative: a request counts as good only if it
 * certainly finished within the threshold. The last bucket is +Inf.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  10, 25, 50, 75, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 750, 800, 900, 1000, 1200, 1500,
  2000, 2500, 3000, 4000, 5000, 7500, 10_000, 15_000, 20_000, 30_000, 60_000,
];
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

const LAST_BOUND = LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
/** The bucket of every whole millisecond up to the last bound (60 KB): one load per ingested record. */
const BUCKET_OF_MS = (() => {
  const t = new Uint8Array(LAST_BOUND + 1);
  let b = 0;
  for (let ms = 0; ms <= LAST_BOUND; ms++) {
    while (ms > LATENCY_BOUNDS_MS[b]!) b++;
    t[ms] = b;
  }
  return t;
})();

/**
 * Index of the bucket that holds a duration: the first bound ≥ it. Bounds are whole milliseconds, so that is
 * the first bound ≥ ⌈duration⌉, read from a table up to the last bound; above it (or for anything odd), a
 * binary search.
 */
export function latencyBucket(durationMs: number): number {
  if (durationMs >= 0 && durationMs <= LAST_BOUND) return BUCKET_OF_MS[Math.ceil(durationMs)]!;
  let lo = 0;
  let hi = LATENCY_BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (durationMs <= LATENCY_BOUNDS_MS[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Number of leading buckets whose requests are certainly ≤ thresholdMs. */
export function bucketsWithin(thresholdMs: number): number {
  let n = 0;
  while (n < LATENCY_BOUNDS_MS.length && LATENCY_BOUNDS_MS[n]! <= thresholdMs) n++;
  return n;
}
export function isExactThreshold(thresholdMs: number): boolean {
  return LATENCY_BOUNDS_MS.includes(thresholdMs);
}
