// The asymptotic covariance of an MM-estimate started from an S-estimate, robustbase's
// `.vcov.avar1` (Croux, Dhaene and Hoorelbeke 2003, as in lmrob): with r.s = r/s of the final
// residuals, r0.s = r0/s of the S residuals, psi and psi' with the efficiency constant, chi and
// chi' with the breakdown constant,
//   A = s (X' diag(psi'(r.s)) X)^{-1},  a = A X' psi'(r.s) r.s / mean(chi'(r0.s) r0.s),
//   h = A X' (psi(r.s) chi(r0.s)),
//   V = (n A X' diag(psi^2) X A - a h' - h a' + mean(chi(r0.s)^2 - b^2) a a') / n,
// then negative eigenvalues set to zero with the diagonal kept ("posdefify"). Scalar, p small.
// see: robustbase 0.95-0 R/lmrob.MM.R .vcov.avar1 (re-implemented, not copied).

import { eigen_sym } from "../eigen";
import { psiBisquare, psipBisquare, rhoBisquare } from "./lmrob-psi";

function f64At(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

function at(base: usize, ld: i32, i: i32, j: i32): usize {
  return base + ((<usize>j * <usize>ld + <usize>i) << 3);
}

/** Doubles of work space `avar1` needs for p coefficients. */
export function avar1WorkSize(p: i32): i32 {
  return 6 * p * p + 4 * p;
}

/** out = M^{-1} (p x p) by Gauss-Jordan with partial pivoting; M is destroyed. 1 if singular. */
function invert(p: i32, m: usize, out: usize): i32 {
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) store<f64>(at(out, p, i, j), i == j ? 1.0 : 0.0);
  for (let k = 0; k < p; k++) {
    let r = k;
    for (let i = k + 1; i < p; i++) {
      if (Math.abs(load<f64>(at(m, p, i, k))) > Math.abs(load<f64>(at(m, p, r, k)))) r = i;
    }
    const pivot = load<f64>(at(m, p, r, k));
    if (pivot == 0.0 || !isFinite(pivot)) return 1;
    for (let j = 0; j < p; j++) {
      for (let q = 0; q < 2; q++) {
        const b = q == 0 ? m : out;
        const t = load<f64>(at(b, p, k, j));
        store<f64>(at(b, p, k, j), load<f64>(at(b, p, r, j)) / pivot);
        if (r != k) store<f64>(at(b, p, r, j), t);
      }
    }
    for (let i = 0; i < p; i++) {
      if (i == k) continue;
      const f = load<f64>(at(m, p, i, k));
      if (f == 0.0) continue;
      for (let j = 0; j < p; j++) {
        store<f64>(at(m, p, i, j), load<f64>(at(m, p, i, j)) - f * load<f64>(at(m, p, k, j)));
        store<f64>(at(out, p, i, j), load<f64>(at(out, p, i, j)) - f * load<f64>(at(out, p, k, j)));
      }
    }
  }
  return 0;
}

/** c = a b for p x p matrices. */
function mul(p: i32, a: usize, b: usize, c: usize): void {
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < p; i++) {
      let s = 0.0;
      for (let k = 0; k < p; k++) s += load<f64>(at(a, p, i, k)) * load<f64>(at(b, p, k, j));
      store<f64>(at(c, p, i, j), s);
    }
  }
}

/**
 * Writes the p x p covariance to cov (see the file header). x: n x p (the weighted design), r and
 * r0: final and S residuals, s: the scale. Returns 0, 1 when X' diag(psi') X is singular, or
 * 2 + (number of negative eigenvalues set to zero) when it had to be made positive semidefinite.
 */
export function avar1(
  n: i32,
  p: i32,
  x: usize,
  r: usize,
  r0: usize,
  s: f64,
  cPsi: f64,
  cChi: f64,
  bb: f64,
  work: usize,
  cov: usize,
): i32 {
  const pp = p * p;
  const xwx = work;
  const a2 = xwx + ((<usize>pp) << 3);
  const b2 = a2 + ((<usize>pp) << 3);
  const t2 = b2 + ((<usize>pp) << 3);
  const q2 = t2 + ((<usize>pp) << 3);
  const e2 = q2 + ((<usize>pp) << 3);
  const g = e2 + ((<usize>pp) << 3);
  const h = g + ((<usize>p) << 3);
  const av = h + ((<usize>p) << 3);
  const lam = av + ((<usize>p) << 3);
  for (let k = 0; k < pp; k++) {
    store<f64>(f64At(xwx, k), 0.0);
    store<f64>(f64At(b2, k), 0.0);
  }
  for (let j = 0; j < p; j++) {
    store<f64>(f64At(g, j), 0.0);
    store<f64>(f64At(h, j), 0.0);
  }
  const chiNorm = 6.0 / (cChi * cChi);
  let m0 = 0.0;
  let m4 = 0.0;
  for (let i = 0; i < n; i++) {
    const rs = load<f64>(f64At(r, i)) / s;
    const r0s = load<f64>(f64At(r0, i)) / s;
    const dpsi = psipBisquare(rs, cPsi);
    const ps = psiBisquare(rs, cPsi);
    const chi0 = rhoBisquare(r0s, cChi);
    m0 += psiBisquare(r0s, cChi) * chiNorm * r0s;
    m4 += chi0 * chi0 - bb * bb;
    for (let j = 0; j < p; j++) {
      const xj = load<f64>(at(x, n, i, j));
      store<f64>(f64At(g, j), load<f64>(f64At(g, j)) + xj * dpsi * rs);
      store<f64>(f64At(h, j), load<f64>(f64At(h, j)) + xj * ps * chi0);
      for (let k = 0; k < p; k++) {
        const xk = load<f64>(at(x, n, i, k));
        store<f64>(at(xwx, p, j, k), load<f64>(at(xwx, p, j, k)) + xj * dpsi * xk);
        store<f64>(at(b2, p, j, k), load<f64>(at(b2, p, j, k)) + xj * ps * ps * xk);
      }
    }
  }
  m0 /= <f64>n;
  m4 /= <f64>n;
  if (invert(p, xwx, a2) != 0) return 1;
  for (let k = 0; k < pp; k++) store<f64>(f64At(a2, k), load<f64>(f64At(a2, k)) * s);
  // a = A g / m0 and h <- A h (A is symmetric, so h' A = (A h)').
  for (let i = 0; i < p; i++) {
    let sa = 0.0;
    let sh = 0.0;
    for (let k = 0; k < p; k++) {
      sa += load<f64>(at(a2, p, i, k)) * load<f64>(f64At(g, k));
      sh += load<f64>(at(a2, p, i, k)) * load<f64>(f64At(h, k));
    }
    store<f64>(f64At(av, i), sa / m0);
    store<f64>(f64At(lam, i), sh);
  }
  mul(p, a2, b2, t2);
  mul(p, t2, a2, q2);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < p; i++) {
      const ai = load<f64>(f64At(av, i));
      const aj = load<f64>(f64At(av, j));
      const hi = load<f64>(f64At(lam, i));
      const hj = load<f64>(f64At(lam, j));
      const u1 = <f64>n * load<f64>(at(q2, p, i, j));
      store<f64>(at(cov, p, i, j), (u1 - ai * hj - hi * aj + m4 * ai * aj) / <f64>n);
    }
  }
  return posdefify(p, cov, t2, q2, e2, lam);
}

/** Sets negative eigenvalues of the symmetric cov to zero and rescales to the old diagonal. */
function posdefify(p: i32, cov: usize, tmp: usize, q: usize, e: usize, lam: usize): i32 {
  for (let k = 0; k < p * p; k++) store<f64>(f64At(tmp, k), load<f64>(f64At(cov, k)));
  eigen_sym(p, tmp, p, lam, q, p, 100);
  let neg = 0;
  for (let k = 0; k < p; k++) {
    if (load<f64>(f64At(lam, k)) < 0.0) {
      store<f64>(f64At(lam, k), 0.0);
      neg++;
    }
  }
  if (neg == 0) return 0;
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < p; i++) {
      let v = 0.0;
      for (let k = 0; k < p; k++) v += load<f64>(at(q, p, i, k)) * load<f64>(f64At(lam, k)) * load<f64>(at(q, p, j, k));
      store<f64>(at(e, p, i, j), v);
    }
  }
  for (let i = 0; i < p; i++) {
    const d = Math.sqrt(Math.max(0.0, load<f64>(at(cov, p, i, i))) / load<f64>(at(e, p, i, i)));
    store<f64>(f64At(tmp, i), d);
  }
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < p; i++) {
      store<f64>(at(cov, p, i, j), load<f64>(f64At(tmp, i)) * load<f64>(at(e, p, i, j)) * load<f64>(f64At(tmp, j)));
    }
  }
  return 2 + neg;
}
