/** Tolerances for `assertClose`: passes when |actual - expected| <= atol + rtol * |expected|. */
export interface Tolerance {
  rtol?: number;
  atol?: number;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(17) : String(v);
}

/**
 * Asserts that `actual` is within tolerance of `expected`, element-wise for arrays. The failure
 * message prints what was compared (`label`), both values, the difference and the tolerance.
 * NaN equals NaN only when both are NaN.
 */
export function assertClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  tol: Tolerance = {},
  label = "value",
): void {
  const rtol = tol.rtol ?? 1e-12;
  const atol = tol.atol ?? 0;
  const a = typeof actual === "number" ? [actual] : Array.from(actual);
  const e = typeof expected === "number" ? [expected] : Array.from(expected);
  if (a.length !== e.length) {
    throw new Error(`${label}: length ${a.length} must equal expected length ${e.length}`);
  }
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = e[i] as number;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const diff = Math.abs(x - y);
    const allowed = atol + rtol * Math.abs(y);
    if (!(diff <= allowed) && x !== y) {
      const at = a.length > 1 ? `[${i}]` : "";
      throw new Error(
        `${label}${at}: actual ${fmt(x)} expected ${fmt(y)} difference ${fmt(diff)} ` +
          `exceeds tolerance ${fmt(allowed)} (rtol ${rtol}, atol ${atol})`,
      );
    }
  }
}
