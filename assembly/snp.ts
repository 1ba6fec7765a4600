// Per-SNP marginal regressions with an intercept, for summary-level MR: for every column g_j of G,
// the slope and SE of x on g_j and of y on g_j, in one pass over G.
// see: R's summary(lm(x ~ g))

/**
 * G is n x L column-major (leading dimension ldg); xc and yc are x and y centred, with sums of
 * squares xx and yy. Writes bx, sx, by, sy (L each). A constant column gives NaN.
 */
export function snp_stats(
  n: i32,
  L: i32,
  g: usize,
  ldg: i32,
  xc: usize,
  yc: usize,
  xx: f64,
  yy: f64,
  bx: usize,
  sx: usize,
  by: usize,
  sy: usize,
): void {
  const col = (<usize>ldg) << 3;
  const df = <f64>(n - 2);
  for (let j = 0; j < L; j++) {
    const gj = g + <usize>j * col;
    let s = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let sgx = f64x2.splat(0);
    let sgy = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      const v = v128.load(gj + o);
      s = f64x2.add(s, v);
      s2 = f64x2.add(s2, f64x2.mul(v, v));
      sgx = f64x2.add(sgx, f64x2.mul(v, v128.load(xc + o)));
      sgy = f64x2.add(sgy, f64x2.mul(v, v128.load(yc + o)));
    }
    let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    let t2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
    let tx = f64x2.extract_lane(sgx, 0) + f64x2.extract_lane(sgx, 1);
    let ty = f64x2.extract_lane(sgy, 0) + f64x2.extract_lane(sgy, 1);
    if (i < n) {
      const o = (<usize>i) << 3;
      const v = load<f64>(gj + o);
      t += v;
      t2 += v * v;
      tx += v * load<f64>(xc + o);
      ty += v * load<f64>(yc + o);
    }
    // x and y are centred, so sum g x equals sum (g - mean g) x.
    const sgg = t2 - (t * t) / <f64>n;
    const o = (<usize>j) << 3;
    const b1 = sgg > 0 ? tx / sgg : NaN;
    const b2 = sgg > 0 ? ty / sgg : NaN;
    store<f64>(bx + o, b1);
    store<f64>(by + o, b2);
    store<f64>(sx + o, Math.sqrt((xx - b1 * tx) / df / sgg));
    store<f64>(sy + o, Math.sqrt((yy - b2 * ty) / df / sgg));
  }
}
