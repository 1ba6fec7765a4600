import { errors } from "../errors.js";
import { type MetaOptions, randomEffectsMeta, type Tau2Method } from "../stats/meta-analysis.js";
import { normalSf } from "../stats/normal.js";
import { type IsmEffects, ismEffects, outputColumn } from "./effects.js";
import { zFilter } from "./filter.js";
import {
  type EggerRobust,
  type LocalEgger,
  localEgger,
  localNaive,
  naiveGlobal,
  type RobustRegression,
} from "./local-mr.js";
import { type Coverage, localCoverageAuthors, localCoverageMatched } from "./metrics.js";

/**
 * One Deep MR round after the model stage (specification section 2 steps 4-8 and 5.3): effects from
 * the (already recalibrated) predictive draws of each sequence's ISM batch, the pooled z-filter, a
 * local MR-Egger per sequence, the random-effects meta-analysis of the local slopes, the naive
 * baseline, and the local coverage metrics.
 */

/** One analysed sequence: its ISM batch's draws laid out [draw][row][output] (see effects.ts). */
export interface RoundSequence {
  /** The caller's id (e.g. the test-set index), carried into the per-sequence rows. */
  id: number;
  /** Reference base codes 0..3 (A, C, G, T), length L. */
  bases: Uint8Array;
  /** N x 4L x outputs predictions. */
  draws: Float64Array;
  /** The true local causal effect, NaN or absent when the sequence has none (not both motifs). */
  truth?: number;
}

/** Settings of a round; defaults are the authors'. */
export interface RoundOptions {
  /** Predictive draws per row, N (members or MC-dropout passes). */
  draws: number;
  /** Outputs per row (default 2), and which is the exposure (default 0) and the outcome (default 1). */
  outputs?: number;
  exposure?: number;
  outcome?: number;
  /** Keep mutants with |z| >= this (default 1, the simulation's; the workshop used 2). */
  zThreshold?: number;
  /** tau^2 estimator (default "REML") and the Fisher-scoring settings (default stepadj 0.5, maxiter 5000). */
  tau2?: Tau2Method;
  meta?: Omit<MetaOptions, "method">;
  /** When to use the robust Egger fit (default "auto"), and the fit itself. */
  robust?: EggerRobust;
  robustFit?: RobustRegression;
}

/** One row of sequences.csv: the local Egger fit (NaN when dropped) and the truth. */
export interface SequenceRow {
  id: number;
  instruments: number;
  status: "ok" | "too_few_instruments" | "failed";
  estimate: number;
  se: number;
  ci_lower: number;
  ci_upper: number;
  method: LocalEgger["method"] | "";
  naive: number;
  truth: number;
}

/** A round's global estimates, baseline, counts and per-sequence rows. */
export interface RoundResult {
  TE: number;
  SE: number;
  ci_lower: number;
  ci_upper: number;
  p_value: number;
  tau: number;
  tau2: number;
  /** "no_sequences" when no sequence has a local fit (all else NaN). */
  status: "ok" | "not_converged" | "no_sequences";
  /** TE -/+ 2 tau, the authors' "coverage" band. */
  band_lower: number;
  band_upper: number;
  naive: number;
  naive_sd: number;
  naive_band_lower: number;
  naive_band_upper: number;
  /** Sequences in the meta-analysis, their mean number of instruments, and the sequences dropped. */
  n_sequences: number;
  mean_instruments: number;
  n_dropped: number;
  /** Of the dropped: fits that failed (the rest had 2 or fewer instruments). */
  n_failed: number;
  /** Local fits that wanted the robust fit but had none (WLS used). */
  n_robust_missing: number;
  local_coverage: Coverage;
  local_coverage_authors: Coverage;
  /** The filter's pooled mean and SD of the exposure effects. */
  filter_mean: number;
  filter_sd: number;
  sequences: SequenceRow[];
}

type Resolved = Required<Omit<RoundOptions, "robustFit">> & { robustFit?: RobustRegression };

function resolve(options: RoundOptions): Resolved {
  const o = {
    outputs: 2,
    exposure: 0,
    outcome: 1,
    zThreshold: 1,
    tau2: "REML" as Tau2Method,
    robust: "auto" as EggerRobust,
    ...options,
  };
  const meta = { stepadj: 0.5, maxiter: 5000, ...options.meta };
  for (const [what, v] of [
    ["exposure", o.exposure],
    ["outcome", o.outcome],
  ] as const)
    if (!(Number.isInteger(v) && v >= 0 && v < o.outputs))
      throw errors.invalid("deep MR round", `the ${what} output`, `an integer in 0..${o.outputs - 1}`, v);
  if (o.robust === "always" && !o.robustFit)
    throw errors.missing("deep MR round", "a robust fit", 'supplied when egger_robust is "always"');
  return { ...o, meta };
}

/** The local fit of one sequence from its effects and kept mutants. */
function fitSequence(e: IsmEffects, kept: Int32Array, seq: RoundSequence, o: Resolved) {
  const at = (v: Float64Array, out: number) => Float64Array.from(kept, (j) => v[j * e.outputs + out] as number);
  const bx = at(e.beta, o.exposure);
  const by = at(e.beta, o.outcome);
  const sy = at(e.se, o.outcome);
  const fit = localEgger(bx, by, sy, { robust: o.robust, robustFit: o.robustFit });
  const row: SequenceRow = {
    id: seq.id,
    instruments: kept.length,
    status: fit ? "ok" : kept.length <= 2 ? "too_few_instruments" : "failed",
    estimate: fit?.estimate ?? Number.NaN,
    se: fit?.se ?? Number.NaN,
    ci_lower: fit?.ci_lower ?? Number.NaN,
    ci_upper: fit?.ci_upper ?? Number.NaN,
    method: fit?.method ?? "",
    naive: localNaive(bx, by) ?? Number.NaN,
    truth: seq.truth ?? Number.NaN,
  };
  return { row, robustMissing: fit?.robust_missing === true };
}

/**
 * Runs steps 4-8 of one round on its analysed sequences (every test sequence with the exposure motif,
 * in test-set order) and returns the global estimate (random-effects meta-analysis of the local Egger
 * slopes), the naive baseline, counts, local coverage and one row per sequence. Bad settings or
 * malformed draws are input errors; too few usable sequences give NaN with status "no_sequences".
 */
export function runRound(sequences: readonly RoundSequence[], options: RoundOptions): RoundResult {
  const o = resolve(options);
  const effects = sequences.map((s) => ismEffects(s.draws, s.bases, o.draws, o.outputs));
  const filter = zFilter(
    effects.map((e) => outputColumn(e.beta, e.outputs, o.exposure)),
    o.zThreshold,
  );
  const fits = sequences.map((s, i) => fitSequence(effects[i] as IsmEffects, filter.kept[i] as Int32Array, s, o));
  const rows = fits.map((f) => f.row);
  const ok = rows.filter((r) => r.status === "ok");
  const naive = naiveGlobal(rows.filter((r) => !Number.isNaN(r.naive)).map((r) => r.naive));
  const global = ok.length
    ? randomEffectsMeta(
        ok.map((r) => r.estimate),
        ok.map((r) => r.se * r.se),
        { ...o.meta, method: o.tau2 },
      )
    : undefined;
  const TE = global?.TE ?? Number.NaN;
  const tau = global?.tau ?? Number.NaN;
  return {
    TE,
    SE: global?.SE ?? Number.NaN,
    ci_lower: global?.ci_lower ?? Number.NaN,
    ci_upper: global?.ci_upper ?? Number.NaN,
    p_value: global ? 2 * normalSf(Math.abs(global.TE / global.SE)) : Number.NaN,
    tau,
    tau2: global?.tau2 ?? Number.NaN,
    status: global?.status ?? "no_sequences",
    band_lower: TE - 2 * tau,
    band_upper: TE + 2 * tau,
    naive: naive.estimate,
    naive_sd: naive.sd,
    naive_band_lower: naive.band_lower,
    naive_band_upper: naive.band_upper,
    n_sequences: ok.length,
    mean_instruments: ok.length ? ok.reduce((s, r) => s + r.instruments, 0) / ok.length : Number.NaN,
    n_dropped: rows.length - ok.length,
    n_failed: rows.filter((r) => r.status === "failed").length,
    n_robust_missing: fits.filter((f) => f.robustMissing).length,
    local_coverage: localCoverageMatched(ok),
    local_coverage_authors: localCoverageAuthors(
      ok,
      rows.filter((r) => !Number.isNaN(r.truth)).map((r) => r.truth),
    ),
    filter_mean: filter.mean,
    filter_sd: filter.sd,
    sequences: rows,
  };
}
