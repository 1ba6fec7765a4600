import seedrandom from "seedrandom";

/** A seeded stream of uniforms in [-1, 1) for test inputs. */
export function uniforms(seed: string, len: number): Float64Array {
  const rng = seedrandom(seed);
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) out[i] = 2 * rng.double() - 1;
  return out;
}
