/** Plain TypeScript versions of the core kernels, the baseline the WASM kernels are measured against. */

export function dotTs(n: number, x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] as number) * (y[i] as number);
  return s;
}

/** y = A x for column-major m x n A. */
export function gemvNTs(m: number, n: number, a: Float64Array, x: Float64Array, y: Float64Array): void {
  y.fill(0);
  for (let j = 0; j < n; j++) {
    const t = x[j] as number;
    const off = j * m;
    for (let i = 0; i < m; i++) y[i] = (y[i] as number) + t * (a[off + i] as number);
  }
}

/** y = A^T x for column-major m x n A. */
export function gemvTTs(m: number, n: number, a: Float64Array, x: Float64Array, y: Float64Array): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    const off = j * m;
    for (let i = 0; i < m; i++) s += (a[off + i] as number) * (x[i] as number);
    y[j] = s;
  }
}

/** C = X^T X for column-major n x p X. */
export function crossprodTs(n: number, p: number, x: Float64Array, c: Float64Array): void {
  for (let j = 0; j < p; j++) {
    for (let k = j; k < p; k++) {
      let s = 0;
      const a = j * n;
      const b = k * n;
      for (let i = 0; i < n; i++) s += (x[a + i] as number) * (x[b + i] as number);
      c[k * p + j] = s;
      c[j * p + k] = s;
    }
  }
}
