import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { ismEffects, outputColumn } from "../../src/deepmr/effects.js";
import { zFilter } from "../../src/deepmr/filter.js";
import { localEgger } from "../../src/deepmr/local-mr.js";
import { bandContains, localCoverageAuthors, localCoverageMatched } from "../../src/deepmr/metrics.js";
import { type RoundSequence, runRound } from "../../src/deepmr/round.js";
import { randomEffectsMeta } from "../../src/stats/meta-analysis.js";
import { assertClose } from "../helpers/assert-close.js";
import { normals } from "../helpers/env-data.js";

const N = 5;
const L = 10;
const ROWS = 4 * L;

/**
 * A synthetic round: each sequence's mutants have exposure effects bx (scaled by `strength`) and
 * outcome effects theta_s * bx; every draw adds a shift shared by all rows of the batch (cancelled by
 * pairing) and independent noise per row. Output 0 is the exposure, 1 the outcome.
 */
function syntheticRound(seed: string, thetas: readonly number[], strength: readonly number[]): RoundSequence[] {
  const rng = seedrandom(seed);
  return thetas.map((theta, s) => {
    const bases = Uint8Array.from({ length: L }, () => Math.floor(rng() * 4));
    const bx = normals(rng, ROWS);
    const draws = new Float64Array(N * ROWS * 2);
    for (let n = 0; n < N; n++) {
      const shift = normals(rng, 2);
      const noise = normals(rng, ROWS * 2);
      for (let r = 0; r < ROWS; r++) {
        const wt = (bases[r >> 2] as number) === r % 4;
        const x = wt ? 0 : (strength[s] as number) * (bx[r] as number);
        draws[(n * ROWS + r) * 2] = 3 + (shift[0] as number) + x + 0.05 * (noise[2 * r] as number);
        draws[(n * ROWS + r) * 2 + 1] = 1 + (shift[1] as number) + theta * x + 0.05 * (noise[2 * r + 1] as number);
      }
    }
    return { id: 100 + s, bases, draws, truth: s % 2 === 0 ? theta : Number.NaN };
  });
}

const thetas = [1.2, 1.9, 1.5, 1.4, 1.7, 1.6];
const round = syntheticRound("round", thetas, [1, 1, 1, 1, 1, 0.01]);

describe("runRound", () => {
  it("chains effects, the pooled filter, local Egger and the REML meta-analysis (stepadj 0.5, maxiter 5000)", () => {
    const r = runRound(round, { draws: N });
    const effects = round.map((s) => ismEffects(s.draws, s.bases, N, 2));
    const f = zFilter(
      effects.map((e) => outputColumn(e.beta, 2, 0)),
      1,
    );
    const locals = effects.map((e, i) => {
      const kept = Array.from(f.kept[i] as Int32Array);
      const pick = (v: Float64Array, o: number) => Float64Array.from(kept, (j) => v[2 * j + o] as number);
      return localEgger(pick(e.beta, 0), pick(e.beta, 1), pick(e.se, 1));
    });
    const ok = locals.filter((l) => l !== null);
    const meta = randomEffectsMeta(
      ok.map((l) => l.estimate),
      ok.map((l) => l.se ** 2),
      { stepadj: 0.5, maxiter: 5000 },
    );
    expect(r.TE).toBe(meta.TE);
    expect(r.SE).toBe(meta.SE);
    expect(r.tau).toBe(meta.tau);
    expect(r.status).toBe("ok");
    assertClose(
      [r.band_lower, r.band_upper],
      [meta.TE - 2 * meta.tau, meta.TE + 2 * meta.tau],
      { rtol: 1e-15 },
      "band",
    );
    expect(r.sequences.map((s) => s.id)).toEqual([100, 101, 102, 103, 104, 105]);
    expect(r.sequences.map((s) => s.estimate)).toEqual(locals.map((l) => l?.estimate ?? Number.NaN));
  });

  it("recovers the mean local effect; the weak sequence (no kept mutant) is dropped and counted", () => {
    const r = runRound(round, { draws: N });
    expect(r.sequences[5]).toMatchObject({ status: "too_few_instruments", instruments: 0 });
    expect(r.n_sequences).toBe(5);
    expect(r.n_dropped).toBe(1);
    expect(r.n_failed).toBe(0);
    // Truth: the five fitted thetas have mean 1.54 and SD 0.27, so tau is about 0.27.
    expect(Math.abs(r.TE - 1.54)).toBeLessThan(3 * r.SE);
    expect(r.tau).toBeGreaterThan(0.15);
    expect(r.tau).toBeLessThan(0.5);
    const fitted = r.sequences.filter((s) => s.status === "ok");
    expect(r.mean_instruments).toBe(fitted.reduce((a, s) => a + s.instruments, 0) / 5);
    expect(r.naive).toBeCloseTo(fitted.reduce((a, s) => a + s.naive, 0) / 5, 12);
  });

  it("local coverage: matched over sequences with a truth; authors' alignment pairs the i-th CI with the i-th truth", () => {
    const r = runRound(round, { draws: N });
    const ok = r.sequences.filter((s) => s.status === "ok");
    expect(r.local_coverage).toEqual(localCoverageMatched(ok));
    expect(r.local_coverage.n).toBe(3);
    expect(r.local_coverage_authors).toEqual(localCoverageAuthors(ok, [thetas[0], thetas[2], thetas[4]] as number[]));
  });

  it("exposure and outcome can be given as other outputs", () => {
    const swapped = round.map((s) => ({
      ...s,
      draws: s.draws.map((_, k) => s.draws[k % 2 === 0 ? k + 1 : k - 1] as number),
    }));
    const a = runRound(round, { draws: N });
    const b = runRound(swapped, { draws: N, exposure: 1, outcome: 0 });
    expect(b.TE).toBe(a.TE);
    expect(() => runRound([], { draws: N, robust: "always" })).toThrow(/a robust fit must be supplied/);
    expect(() => runRound(round, { draws: N, outcome: 2 })).toThrow(
      /^deep MR round: the outcome output must be an integer in 0\.\.1; got 2$/,
    );
  });

  it("DL instead of REML changes only tau^2's estimator", () => {
    const r = runRound(round, { draws: N, tau2: "DL" });
    const ok = r.sequences.filter((s) => s.status === "ok");
    const dl = randomEffectsMeta(
      ok.map((s) => s.estimate),
      ok.map((s) => s.se ** 2),
      { method: "DL" },
    );
    expect(r.TE).toBe(dl.TE);
  });

  it("zero kept instruments: every sequence dropped, NaN estimates with status no_sequences", () => {
    const r = runRound(round, { draws: N, zThreshold: 100 });
    expect(r.status).toBe("no_sequences");
    expect(r.n_sequences).toBe(0);
    expect(r.n_dropped).toBe(6);
    expect(r.TE).toBeNaN();
    expect(r.naive).toBeNaN();
    expect(r.mean_instruments).toBeNaN();
    expect(r.local_coverage.share).toBeNaN();
  });
});

describe("metrics", () => {
  const locals = [
    { ci_lower: 0, ci_upper: 1, truth: 0.5 },
    { ci_lower: 0, ci_upper: 1, truth: Number.NaN },
    { ci_lower: 2, ci_upper: 3, truth: 1 },
  ];

  it("matched coverage skips sequences without a truth; closed intervals", () => {
    expect(localCoverageMatched(locals)).toEqual({ covered: 1, n: 2, share: 0.5 });
    expect(localCoverageMatched([{ ci_lower: 0, ci_upper: 1, truth: 1 }]).share).toBe(1);
  });

  it("authors' alignment pairs by position, drops the surplus and NaN truths", () => {
    expect(localCoverageAuthors(locals, [2.5, 0.5])).toEqual({ covered: 1, n: 2, share: 0.5 });
    expect(localCoverageAuthors(locals, [0.5, 0.5, 2.5, 9])).toEqual({ covered: 3, n: 3, share: 1 });
    expect(localCoverageAuthors(locals, [0.5, Number.NaN, 2.5])).toEqual({ covered: 2, n: 2, share: 1 });
    expect(localCoverageAuthors([], [1]).share).toBeNaN();
  });

  it("bands: center -/+ half width", () => {
    expect(bandContains(1, 0.5, 1.5)).toBe(true);
    expect(bandContains(1, 0.5, 1.51)).toBe(false);
  });
});
