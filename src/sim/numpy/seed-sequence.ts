/**
 * numpy's SeedSequence for an integer entropy (no spawn key, pool size 4): hashes the entropy into
 * a pool of four 32-bit words and draws state words from it.
 * see: numpy/random/bit_generator.pyx (hashmix, mix, SeedSequence.mix_entropy, generate_state)
 */

const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const POOL_SIZE = 4;

/** The little-endian 32-bit words of a non-negative integer (at least one word), as numpy's _int_to_uint32_array. */
export function uint32Words(n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`seed must be a non-negative safe integer; got ${n}`);
  const words: number[] = [];
  let rest = n;
  do {
    words.push(rest % 2 ** 32);
    rest = Math.floor(rest / 2 ** 32);
  } while (rest > 0);
  return words;
}

/** The entropy pool of SeedSequence(entropy). */
export function seedPool(entropy: number): Uint32Array {
  const ent = uint32Words(entropy);
  const pool = new Uint32Array(POOL_SIZE);
  let hashConst = INIT_A;
  const hashmix = (value: number): number => {
    let v = (value ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_A) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    return (v ^ (v >>> 16)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (r ^ (r >>> 16)) >>> 0;
  };
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < ent.length ? (ent[i] as number) : 0);
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) {
      if (src !== dst) pool[dst] = mix(pool[dst] as number, hashmix(pool[src] as number));
    }
  }
  for (let src = POOL_SIZE; src < ent.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst] as number, hashmix(ent[src] as number));
  }
  return pool;
}

/** SeedSequence(entropy).generate_state(nWords, uint32): nWords 32-bit words (two per uint64, low first). */
export function generateState(entropy: number, nWords: number): Uint32Array {
  const pool = seedPool(entropy);
  const out = new Uint32Array(nWords);
  let hashConst = INIT_B;
  for (let i = 0; i < nWords; i++) {
    let v = ((pool[i % POOL_SIZE] as number) ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_B) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    out[i] = (v ^ (v >>> 16)) >>> 0;
  }
  return out;
}
