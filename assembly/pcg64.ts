// numpy's PCG64 bit generator: a 128-bit LCG (multiplier 0x2360ED051FC65DA44385DF649FCCF645)
// with the XSL-RR output function. State at `state`: four u64, [state_hi, state_lo, inc_hi, inc_lo].
// see: numpy/random/src/pcg64/pcg64.h (pcg_setseq_128_step_r, pcg_output_xsl_rr_128_64,
// pcg_setseq_128_srandom_r), O'Neill's PCG family

const MUL_HI: u64 = 0x2360ed051fc65da4;
const MUL_LO: u64 = 0x4385df649fccf645;

/** High 64 bits of the 128-bit product a * b (also used by io/eisel-lemire.ts). */
export function mulhi(a: u64, b: u64): u64 {
  const aLo = a & 0xffffffff;
  const aHi = a >> 32;
  const bLo = b & 0xffffffff;
  const bHi = b >> 32;
  const p0 = aLo * bLo;
  const p1 = aLo * bHi;
  const p2 = aHi * bLo;
  const mid = (p0 >> 32) + (p1 & 0xffffffff) + (p2 & 0xffffffff);
  return aHi * bHi + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

/** state = state * MUL + inc (mod 2^128), in place. */
function step(state: usize): void {
  const sh = load<u64>(state);
  const sl = load<u64>(state, 8);
  const lo = sl * MUL_LO;
  let hi = mulhi(sl, MUL_LO) + sl * MUL_HI + sh * MUL_LO;
  const nlo = lo + load<u64>(state, 24);
  hi += load<u64>(state, 16) + (nlo < lo ? 1 : 0);
  store<u64>(state, hi);
  store<u64>(state, nlo, 8);
}

/**
 * Seeds like numpy's pcg64_set_seed: `seed` points to four u64 words from SeedSequence
 * (initstate_hi, initstate_lo, initseq_hi, initseq_lo); inc = initseq << 1 | 1, state = 0, step,
 * state += initstate, step.
 */
export function pcg64_seed(state: usize, seed: usize): void {
  const seqHi = load<u64>(seed, 16);
  const seqLo = load<u64>(seed, 24);
  store<u64>(state, 0);
  store<u64>(state, 0, 8);
  store<u64>(state, (seqHi << 1) | (seqLo >> 63), 16);
  store<u64>(state, (seqLo << 1) | 1, 24);
  step(state);
  const lo = load<u64>(state, 8);
  const nlo = lo + load<u64>(seed, 8);
  store<u64>(state, load<u64>(state) + load<u64>(seed) + (nlo < lo ? 1 : 0));
  store<u64>(state, nlo, 8);
  step(state);
}

// Bulk kernels keep the generator in these globals between `enter` and `leave`, so the hot loop
// does not load and store the 128-bit state through memory on every draw.
let gsh: u64 = 0;
let gsl: u64 = 0;
let gih: u64 = 0;
let gil: u64 = 0;

/** Loads the state at `state` into the working registers. */
export function enter(state: usize): void {
  gsh = load<u64>(state);
  gsl = load<u64>(state, 8);
  gih = load<u64>(state, 16);
  gil = load<u64>(state, 24);
}

/** Stores the working registers back to `state`. */
export function leave(state: usize): void {
  store<u64>(state, gsh);
  store<u64>(state, gsl, 8);
}

/** The next raw 64-bit output (numpy's pcg64_next64): step, then XSL-RR of the new state. Between enter and leave. */
@inline
export function next64(): u64 {
  const lo = gsl * MUL_LO;
  const nlo = lo + gil;
  gsh = mulhi(gsl, MUL_LO) + gsl * MUL_HI + gsh * MUL_LO + gih + (nlo < lo ? 1 : 0);
  gsl = nlo;
  return rotr<u64>(gsh ^ gsl, gsh >> 58);
}

/** Writes the next `count` raw 64-bit outputs to out (as numpy's random_raw), advancing the state. */
export function pcg64_fill(state: usize, out: usize, count: i32): void {
  enter(state);
  for (let i = 0; i < count; i++) store<u64>(out + ((<usize>i) << 3), next64());
  leave(state);
}
