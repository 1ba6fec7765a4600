/** Polynomial evaluation shared by the gamma (Stirling series) and normal (AS 241) approximations. */

/** Sum of c[i] * r^i. */
export function horner(r: number, c: readonly number[]): number {
  let s = 0;
  for (let i = c.length - 1; i >= 0; i--) s = s * r + (c[i] as number);
  return s;
}
