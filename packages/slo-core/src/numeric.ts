/** Significant digits kept when rounding away binary floating-point noise (1 - 0.999 = 0.0010000000000000009). */
export const SIGNIFICANT_DIGITS = 12;

/**
 * Relative tolerance for "strictly greater" comparisons. Differences smaller than one part in a
 * billion are floating-point noise, never a real event (that would need > 10⁹ events in a window).
 */
export const RELATIVE_TOLERANCE = 1e-9;

/** Rounds to `digits` significant digits; keeps 0, ±Infinity and NaN as they are. */
export function roundSignificant(x: number, digits: number = SIGNIFICANT_DIGITS): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

/** Decimal places kept for values that live on the 0–1 scale of an objective (1 − 0.999 → 0.001). */
export const OBJECTIVE_DECIMALS = 12;

/**
 * Rounds to `decimals` places after the point. Use it for differences of numbers near 1, whose
 * noise is absolute (~1e-16), not relative: 1 − 0.99999 = 0.000010000000000065512 → 0.00001.
 */
export function roundDecimals(x: number, decimals: number = OBJECTIVE_DECIMALS): number {
  if (!Number.isFinite(x)) return x;
  const scale = 10 ** decimals;
  return Math.round(x * scale) / scale;
}

function tolerance(a: number, b: number): number {
  return RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** a > b by more than floating-point noise. */
export function definitelyGreater(a: number, b: number): boolean {
  return a - b > tolerance(a, b);
}

/** a ≥ b, counting values within floating-point noise of b as equal. */
export function greaterOrAbout(a: number, b: number): boolean {
  return a - b >= -tolerance(a, b);
}

/** a ≤ b, counting values within floating-point noise of b as equal. */
export function lessOrAbout(a: number, b: number): boolean {
  return greaterOrAbout(b, a);
}
