/**
 * Singular value decomposition of a small square matrix by one-sided Jacobi rotations
 * (Hestenes 1958; Demmel and Veselić 1992): the columns of G = A Q are rotated in pairs until
 * orthogonal, so that G = P diag(s) with s_j = ||g_j||. Accurate to rounding for the matrices the
 * DGPs make (at most 35 x 35, once per mixing map); not for hot paths.
 */
export interface Svd {
  /** G = A Q = P diag(s): n x n, row-major. */
  readonly g: Float64Array;
  /** The right singular vectors Q: n x n, row-major (column j is the j-th vector). */
  readonly q: Float64Array;
  /** The singular values, in column order (not sorted). */
  readonly s: Float64Array;
}

const MAX_SWEEPS = 60;

/** The one-sided Jacobi SVD of the n x n row-major matrix `a` (not modified). */
export function jacobiSvd(a: Float64Array, n: number): Svd {
  const g = Float64Array.from(a);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let r = p + 1; r < n; r++) rotated = rotatePair(g, q, n, p, r) || rotated;
    }
    if (!rotated) break;
  }
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (g[i * n + j] as number) ** 2;
    s[j] = Math.sqrt(ss);
  }
  return { g, q, s };
}

/** Rotates columns p and r of g (and of q) to make them orthogonal; false when they already are. */
function rotatePair(g: Float64Array, q: Float64Array, n: number, p: number, r: number): boolean {
  let alpha = 0;
  let beta = 0;
  let gamma = 0;
  for (let i = 0; i < n; i++) {
    const x = g[i * n + p] as number;
    const y = g[i * n + r] as number;
    alpha += x * x;
    beta += y * y;
    gamma += x * y;
  }
  if (gamma === 0 || Math.abs(gamma) <= Number.EPSILON * Math.sqrt(alpha * beta)) return false;
  const zeta = (beta - alpha) / (2 * gamma);
  const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
  const c = 1 / Math.sqrt(1 + t * t);
  const s = c * t;
  rotateColumns(g, n, p, r, c, s);
  rotateColumns(q, n, p, r, c, s);
  return true;
}

function rotateColumns(m: Float64Array, n: number, p: number, r: number, c: number, s: number): void {
  for (let i = 0; i < n; i++) {
    const x = m[i * n + p] as number;
    const y = m[i * n + r] as number;
    m[i * n + p] = c * x - s * y;
    m[i * n + r] = s * x + c * y;
  }
}
