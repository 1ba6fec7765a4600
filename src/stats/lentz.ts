/**
 * The modified Lentz step shared by the continued fractions for the incomplete gamma (gammaCf) and
 * incomplete beta (betaCf) (see: Numerical Recipes 3rd ed. 6.2 gcf, 6.4 betacf, modified Lentz).
 */

/** Floor for the modified Lentz recurrences, so a zero partial denominator cannot divide by zero. */
export const TINY = 1e-300;

/** The state (c, d) of the modified Lentz recurrences, advanced in place (no allocation per term). */
export class Lentz {
  constructor(
    public c: number,
    public d: number,
  ) {}

  /** One step for a continued fraction term a/(b + ...); returns the factor d c that multiplies h. */
  step(a: number, b: number): number {
    let dn = b + a * this.d;
    let cn = b + a / this.c;
    if (Math.abs(dn) < TINY) dn = TINY;
    if (Math.abs(cn) < TINY) cn = TINY;
    this.c = cn;
    this.d = 1 / dn;
    return this.d * this.c;
  }
}
