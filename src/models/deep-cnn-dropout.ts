import seedrandom from "seedrandom";
import type { Core } from "../core/memory.js";

/**
 * Seeds of the Deep MR CNN's dropout masks (assembly/models/deep-cnn-dropout.ts draws them from a
 * PCG64 state in the core). As everywhere in mrsweep, seedrandom is the source: the state is seeded
 * with eight 32-bit words of seedrandom's xor4096(seed), as `seedrandomStream` seeds its streams.
 */

/** Doubles of a PCG64 state (four u64). */
const STATE_DOUBLES = 4;

/** Allocates a PCG64 state in the core (inside `core.scoped`); seed it with `seedDropoutRng`. */
export function putDropoutRng(core: Core): number {
  return core.alloc(STATE_DOUBLES);
}

/** Seeds the PCG64 state at `rng` from `seed`. */
export function seedDropoutRng(core: Core, rng: number, seed: string): void {
  const prng = seedrandom.xor4096(seed);
  const words = Uint32Array.from({ length: 8 }, () => prng.int32() >>> 0);
  core.scoped(() => {
    const sd = core.alloc(4);
    core.u32(sd, 8).set(words);
    core.wasm.pcg64_seed(rng, sd);
  });
}

/** The training masks' seed of a model trained from `modelSeed` (its split and initialisation use `modelSeed` itself). */
export function trainingDropoutSeed(modelSeed: string): string {
  return `${modelSeed}|dropout|train`;
}

/**
 * The seed of MC-dropout pass `pass` (1-based) over sequence `sequence` (its row in the data) of the
 * model trained from `modelSeed`: every (sequence, pass) has its own stream, so a pass's masks do
 * not depend on which other sequences or passes ran, or in which order.
 */
export function passSeed(modelSeed: string, sequence: number, pass: number): string {
  return `${modelSeed}|mc_dropout|sequence ${sequence}|pass ${pass}`;
}
