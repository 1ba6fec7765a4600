import seedrandom from "seedrandom";
import type { CoreExports } from "../../core/exports.js";
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

  /** Runs one bulk kernel on the state and returns its `size` outputs (in `out` when given). */
  private draw(d: Draw): Float64Array {
    if (d.out && d.out.length !== d.size) {
      throw new RangeError(`draw: out has ${d.out.length} places for ${d.size} values`);
    }
    return this.core.scoped(drawInCore, this.core, this.state, d);
  }

  /** The next raw 64-bit outputs as hex strings (numpy's bit_generator.random_raw), for tests. */
  randomRaw(count: number): string[] {
    const words = this.draw({ kernel: RAW, size: count, a: 0, b: 0 });
    const u = new Uint32Array(words.buffer);
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const hi = (u[2 * i + 1] as number).toString(16).padStart(8, "0");
      out.push(`0x${hi}${(u[2 * i] as number).toString(16).padStart(8, "0")}`);
    }
    return out;
  }

  /** `count` doubles in [0, 1) (numpy's Generator.random). */
  random(count: number): Float64Array {
    return this.uniform(0, 1, count);
  }

  uniform(low: number, high: number, size: number, out?: Float64Array): Float64Array {
    return this.draw({ kernel: UNIFORM, size, a: low, b: high - low, out });
  }

  normal(mean: number, sd: number, size: number, out?: Float64Array): Float64Array {
    return this.draw({ kernel: NORMAL, size, a: mean, b: sd, out });
  }

  /** Generator.integers(low, high), high exclusive, for ranges below 2^32 - 1. */
  integers(low: number, high: number, size: number, out?: Float64Array): Float64Array {
    const rng = high - low - 1;
    if (rng === 0) return (out ?? new Float64Array(size)).fill(low);
    if (!(rng > 0 && rng < 0xffffffff)) throw new RangeError(`integers: range ${rng + 1} is not supported`);
    return this.draw({ kernel: INTEGERS, size, a: low, b: rng, out });
  }

  binomialMatrix(trials: number, probs: Float64Array, rows: number, out?: Float64Array): Float64Array {
    const cols = probs.length;
    const setups: number[][] = [];
    let stride = 0;
    for (let j = 0; j < cols; j++) {
      const s = inversionSetup(trials, probs[j] as number);
      setups.push(s);
      stride = Math.max(stride, s.length);
    }
    const setup = new Float64Array(stride * cols);
    for (let j = 0; j < cols; j++) setup.set(setups[j] as number[], j * stride);
    return this.draw({ kernel: BINOMIAL, size: rows * cols, a: rows, b: trials, c: stride, table: setup, out });
  }
}

/**
 * A bulk draw kernel: fills `size` doubles at `out` from the PCG64 state at `st`, with up to three
 * numeric settings and a table already copied into the core (at `table`, 0 if none).
 */
type Kernel = (
  w: CoreExports,
  st: number,
  out: number,
  size: number,
  a: number,
  b: number,
  c: number,
  table: number,
) => void;

const RAW: Kernel = (w, st, out, size) => w.pcg64_fill(st, out, size);
const UNIFORM: Kernel = (w, st, out, size, low, width) => w.rng_uniform(st, out, size, low, width);
const NORMAL: Kernel = (w, st, out, size, mean, sd) => w.rng_normal(st, out, size, mean, sd);
const INTEGERS: Kernel = (w, st, out, size, low, range) => w.rng_integers(st, out, size, low, range);
const BINOMIAL: Kernel = (w, st, out, size, rows, trials, stride, setup) =>
  w.rng_binomial(st, out, rows, size / rows, trials, setup, stride);

/** One bulk draw: its kernel, how many values, up to three settings, a table, and where they go. */
interface Draw {
  kernel: Kernel;
  size: number;
  a: number;
  b: number;
  c?: number;
  table?: Float64Array;
  /** The array to fill (of length `size`); a fresh one when absent. */
  out?: Float64Array;
}

/**
 * Copies the stream state into the core, runs the draw's kernel, copies the state back; returns the
 * outputs. An `out` that lives in the core is filled in place (`Core.target`).
 */
function drawInCore(core: Core, state: Uint32Array, d: Draw): Float64Array {
  const out = d.out ? core.target(d.out) : core.alloc(d.size);
  const st = core.alloc(STATE_DOUBLES);
  core.u32(st, state.length).set(state);
  d.kernel(core.wasm, st, out, d.size, d.a, d.b, d.c ?? 0, d.table ? core.put(d.table) : 0);
  state.set(core.u32(st, state.length));
  return d.out ? core.deliver(out, d.out) : core.read(out, d.size);
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
