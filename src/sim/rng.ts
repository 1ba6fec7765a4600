/**
 * A seeded source of the draws a data-generating process needs. Every method fills `out` when given
 * (of exactly the draw's length; it is returned) or else a fresh array, in the order a sequential
 * generator would produce the values, so that a backend that mimics another library (numpy) can
 * reproduce its streams.
 */
export interface RandomStream {
  /** Backend id recorded in metadata, e.g. `numpy-pcg64`. */
  readonly backend: string;
  /** `size` uniforms on [low, high). */
  uniform(low: number, high: number, size: number, out?: Float64Array): Float64Array;
  /** `size` normals with the given mean and standard deviation. */
  normal(mean: number, sd: number, size: number, out?: Float64Array): Float64Array;
  /** `size` integers uniform on low..high-1. */
  integers(low: number, high: number, size: number, out?: Float64Array): Float64Array;
  /**
   * A rows x probs.length matrix of Binomial(trials, probs[j]) draws, drawn row by row (i outer,
   * j inner) and returned column-major.
   */
  binomialMatrix(trials: number, probs: Float64Array, rows: number, out?: Float64Array): Float64Array;
}
