import seedrandom from "seedrandom";
import type { Core } from "../../core/memory.js";
import type { RandomStream } from "../rng.js";
import { generateState } from "./seed-sequence.js";

/** Doubles in the state block: PCG64's four u64 words, numpy's has_uint32 flag and spare half. */
const STATE_DOUBLES = 6;

/**
 * numpy's Generator distributions (uniform, ziggurat normal, Lemire integers, inversion binomial)
 * on a PCG64 stream, drawn in bulk in the WASM core (assembly/random.ts). The 48-byte state lives
 * here between calls, so a stream does not depend on the core's arena. The two backends differ only
 * in seeding: `numpy` seeds PCG64 through SeedSequence, exactly as np.random.default_rng(seed);
 * `seedrandom` takes the eight seed words from seedrandom's xor4096(seed).
 */
export class Pcg64Stream implements RandomStream {
  private readonly state = new Uint32Array(2 * STATE_DOUBLES);

  constructor(
    private readonly core: Core,
    seedWords: Uint32Array,
    readonly backend: string,
  ) {
    core.scoped(() => {
      const st = core.alloc(STATE_DOUBLES);
      const sd = core.alloc(4);
      core.u32(sd, 8).set(seedWords);
      core.wasm.pcg64_seed(st, sd);
      this.state.set(core.u32(st, 8));
    });
  }

  /** Runs one bulk kernel on the state and returns its `size` outputs. */
  private draw(size: number, kernel: (st: number, out: number) => void): Float64Array {
    const { core } = this;
    return core.scoped(() => {
      const st = core.alloc(STATE_DOUBLES);
      const out = core.alloc(size);
      core.u32(st, this.state.length).set(this.state);
      kernel(st, out);
      this.state.set(core.u32(st, this.state.length));
      return core.read(out, size);
    });
  }

  /** The next raw 64-bit outputs as hex strings (numpy's bit_generator.random_raw), for tests. */
  randomRaw(count: number): string[] {
    const words = this.draw(count, (st, out) => this.core.wasm.pcg64_fill(st, out, count));
    const u = new Uint32Array(words.buffer);
    return Array.from(
      { length: count },
      (_, i) =>
        `0x${(u[2 * i + 1] as number).toString(16).padStart(8, "0")}${(u[2 * i] as number).toString(16).padStart(8, "0")}`,
    );
  }

  /** `count` doubles in [0, 1) (numpy's Generator.random). */
  random(count: number): Float64Array {
    return this.uniform(0, 1, count);
  }

  uniform(low: number, high: number, size: number): Float64Array {
    return this.draw(size, (st, out) => this.core.wasm.rng_uniform(st, out, size, low, high - low));
  }

  normal(mean: number, sd: number, size: number): Float64Array {
    return this.draw(size, (st, out) => this.core.wasm.rng_normal(st, out, size, mean, sd));
  }

  /** Generator.integers(low, high), high exclusive, for ranges below 2^32 - 1. */
  integers(low: number, high: number, size: number): Float64Array {
    const rng = high - low - 1;
    if (rng === 0) return new Float64Array(size).fill(low);
    if (!(rng > 0 && rng < 0xffffffff)) throw new RangeError(`integers: range ${rng + 1} is not supported`);
    return this.draw(size, (st, out) => this.core.wasm.rng_integers(st, out, size, low, rng));
  }

  binomialMatrix(trials: number, probs: Float64Array, rows: number): Float64Array {
    const cols = probs.length;
    const setups = Array.from(probs, (p) => inversionSetup(trials, p));
    const stride = Math.max(...setups.map((s) => s.length));
    const setup = new Float64Array(stride * cols);
    setups.forEach((s, j) => {
      setup.set(s, j * stride);
    });
    return this.draw(rows * cols, (st, out) =>
      this.core.wasm.rng_binomial(st, out, rows, cols, trials, this.core.put(setup), stride),
    );
  }
}

/**
 * numpy's binomial inversion for one (n, p): [flip, bound, px_0 .. px_bound] with p' = min(p, 1 - p),
 * q = 1 - p', px_0 = exp(n log q), px_k = ((n - k + 1) p' px_{k-1}) / (k q) (numpy's loop, same
 * arithmetic), bound = min(n, np' + 10 sqrt(np' q + 1)); flip when p > 0.5 (the draw is n - X).
 * p = 0 gives bound -1 (always 0). n p' > 30 (numpy's BTPE) is refused.
 */
function inversionSetup(n: number, prob: number): number[] {
  const flip = prob > 0.5;
  const p = flip ? 1 - prob : prob;
  if (n === 0 || p === 0) return [flip ? 1 : 0, -1];
  if (p * n > 30) throw new RangeError(`binomial: n p = ${p * n} > 30 (numpy's BTPE) is not supported`);
  const q = 1 - p;
  const np = n * p;
  const bound = Math.trunc(Math.min(n, np + 10 * Math.sqrt(np * q + 1)));
  const px = [Math.exp(n * Math.log(q))];
  for (let x = 1; x <= bound; x++) px.push(((n - x + 1) * p * (px[x - 1] as number)) / (x * q));
  return [flip ? 1 : 0, bound, ...px];
}

/** np.random.default_rng(seed): PCG64 seeded through SeedSequence. */
export function numpyStream(seed: number, core: Core): Pcg64Stream {
  return new Pcg64Stream(core, generateState(seed, 8), "numpy-pcg64");
}

/** The default backend: PCG64 seeded with eight 32-bit words from seedrandom's xor4096(seed). */
export function seedrandomStream(seed: number | string, core: Core): Pcg64Stream {
  const prng = seedrandom.xor4096(String(seed));
  return new Pcg64Stream(
    core,
    Uint32Array.from({ length: 8 }, () => prng.int32() >>> 0),
    "seedrandom-pcg64",
  );
}
