import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runRound } from "../../src/deepmr/round.js";
import { assertClose } from "../helpers/assert-close.js";

interface Fixture {
  draws: number;
  sequences: { bases: number[]; draws: number[] }[];
  filter_mean: number;
  filter_sd: number;
  instruments: number[];
  estimate: (number | null)[];
  se: (number | null)[];
  ci_lower: (number | null)[];
  ci_upper: (number | null)[];
  naive_local: (number | null)[];
  naive: number;
  naive_sd: number;
  reml: { TE: number; SE: number; tau2: number };
  dl: { TE: number; SE: number; tau2: number };
}

// Written by `Rscript test/fixtures/deep-mr/make-round.R` (base R lm() and metafor 3.8.1, R 4.2.2).
const fx = JSON.parse(readFileSync(new URL("../fixtures/deep-mr/round.json", import.meta.url), "utf8")) as Fixture;
const nan = (v: (number | null)[]) => v.map((x) => x ?? Number.NaN);

/** Closed forms (effects, filter, WLS Egger, naive) to 1e-10; REML along metafor's path to 1e-8. */
const CLOSED = { rtol: 1e-10, atol: 1e-13 };
const PATH = { rtol: 1e-8, atol: 1e-12 };

describe("runRound equals an independent R implementation of the round (egger_robust never)", () => {
  const sequences = fx.sequences.map((s, i) => ({
    id: i + 1,
    bases: Uint8Array.from(s.bases),
    draws: Float64Array.from(s.draws),
  }));

  it("filter, local Egger fits, naive baseline and REML meta-analysis", () => {
    const r = runRound(sequences, { draws: fx.draws, robust: "never" });
    assertClose(r.filter_mean, fx.filter_mean, CLOSED, "filter mean");
    assertClose(r.filter_sd, fx.filter_sd, CLOSED, "filter sd");
    expect(r.sequences.map((s) => s.instruments)).toEqual(fx.instruments);
    assertClose(
      r.sequences.map((s) => s.estimate),
      nan(fx.estimate),
      CLOSED,
      "local estimate",
    );
    assertClose(
      r.sequences.map((s) => s.se),
      nan(fx.se),
      CLOSED,
      "local se",
    );
    assertClose(
      r.sequences.map((s) => s.ci_lower),
      nan(fx.ci_lower),
      CLOSED,
      "local ci_lower",
    );
    assertClose(
      r.sequences.map((s) => s.ci_upper),
      nan(fx.ci_upper),
      CLOSED,
      "local ci_upper",
    );
    assertClose(
      r.sequences.map((s) => s.naive),
      nan(fx.naive_local),
      CLOSED,
      "local naive",
    );
    assertClose([r.naive, r.naive_sd], [fx.naive, fx.naive_sd], CLOSED, "naive");
    assertClose([r.TE, r.SE, r.tau2], [fx.reml.TE, fx.reml.SE, fx.reml.tau2], PATH, "REML");
    expect(r.n_sequences).toBe(7);
    expect(r.n_dropped).toBe(1);
  });

  it("with DL", () => {
    const r = runRound(sequences, { draws: fx.draws, robust: "never", tau2: "DL" });
    assertClose([r.TE, r.SE, r.tau2], [fx.dl.TE, fx.dl.SE, fx.dl.tau2], CLOSED, "DL");
  });
});
