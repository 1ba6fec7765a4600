// Medians without sorting, for the RBF kernels' bandwidth heuristic: quickselect on f64 scratch.

/** Byte offset of element i of a T buffer. */
function at<T>(i: i32): usize {
  return (<usize>i) << alignof<T>();
}

function f64At(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

/** The k-th smallest of n f64 at `a` (reordered in place). see: Wirth, Algorithms + Data Structures, 1976. */
export function select(a: usize, n: i32, k: i32): f64 {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = load<f64>(f64At(a, k));
    let i = lo;
    let j = hi;
    do {
      while (load<f64>(f64At(a, i)) < pivot) i++;
      while (pivot < load<f64>(f64At(a, j))) j--;
      if (i <= j) {
        const t = load<f64>(f64At(a, i));
        store<f64>(f64At(a, i), load<f64>(f64At(a, j)));
        store<f64>(f64At(a, j), t);
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
  return load<f64>(f64At(a, k));
}

/**
 * sigma² from the rows of A (na x d) and then B (nb x d; nb may be 0): the lower median of the
 * squared distances of all pairs i < j of the pooled rows, 1 below floor². `pairs` holds them.
 */
export function medianSq<T>(a: usize, na: i32, b: usize, nb: i32, d: i32, floor: f64, pairs: usize): f64 {
  const total = na + nb;
  let p = 0;
  for (let i = 0; i < total; i++) {
    const zi = i < na ? a + at<T>(i * d) : b + at<T>((i - na) * d);
    for (let j = i + 1; j < total; j++) {
      const zj = j < na ? a + at<T>(j * d) : b + at<T>((j - na) * d);
      let d2: f64 = 0;
      for (let c = 0; c < d; c++) {
        const t = <f64>load<T>(zi + at<T>(c)) - <f64>load<T>(zj + at<T>(c));
        d2 += t * t;
      }
      store<f64>(f64At(pairs, p++), d2);
    }
  }
  if (p == 0) return 1;
  const med = select(pairs, p, (p - 1) >> 1);
  return Math.sqrt(med) < floor ? 1 : med;
}
