/**
 * The modified Lentz step shared by the continued fractions for the incomplete gamma (gammaCf) and
 * incomplete beta (betaCf) (see: Numerical Recipes 3rd ed. 6.2 gcf, 6.4 betacf, modified Lentz).
 */

/** Floor for the modified Lentz recurrences, so a zero partial denominator cannot divide by zero. */
export const TINY = 1e-300;

/** One modified Lentz step for a continued fraction term a/(b + ...): returns the new [c, d]. */
export function lentz(c: number, d: number, a: number, b: number): [number, number] {
  let dn = b + a * d;
  let cn = b + a / c;
  if (Math.abs(dn) < TINY) dn = TINY;
  if (Math.abs(cn) < TINY) cn = TINY;
  return [cn, 1 / dn];
}
