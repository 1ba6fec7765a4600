import { type ByteMatrix, frame } from "../data/frame.js";
import { allocBytes } from "./arrays.js";
import { augment } from "./deep-mr-augment.js";
import { type CountColumns, type CountModel, drawCounts, drawRound, type Round } from "./deep-mr-counts.js";
import { Draws } from "./deep-mr-draws.js";
import { GATA_DISC1, type Motif, SOX2_1, SYNTHETIC_16, TAL1_KNOWN1 } from "./deep-mr-motifs.js";
import {
  checkDeepMr,
  confounderProbOf,
  copiesOf,
  DEEP_MR_DEFAULTS,
  DEEP_MR_PARAMS,
  type DeepMrParams,
  hasConfounderMotif,
} from "./deep-mr-params.js";
import { logOdds, occupancy, smoothed } from "./deep-mr-pwm.js";
import { drawSequence, type InstanceMatrices, type Labels } from "./deep-mr-sequences.js";
import { globalTruth, type LocalTruths, localTruths } from "./deep-mr-truth.js";
import type { Dgp, Roles, SimContext, Simulated } from "./types.js";

export type { DeepMrParams } from "./deep-mr-params.js";

/** The byte matrix of base codes (role `bases`; written to CSV as an "ACGT..." column). */
export const SEQUENCE_MATRIX = "sequence";
/** Code c of the byte matrix is ALPHABET[c]. */
export const ALPHABET = "ACGT";

const COLUMNS = [
  "split",
  "exp_count",
  "out_count",
  "exp_target",
  "out_target",
  "has_exposure",
  "has_outcome",
  "has_both",
  "has_confounder",
  "exp_start",
  "out_start",
  "conf_start",
  "source",
  "conf_b",
] as const;
/** Columns of non-integer values (the rest are counts, 0/1 flags and indices). */
const REAL = new Set(["exp_target", "out_target"]);

function deepMrRows(p: DeepMrParams): number {
  return p.n_train + copiesOf(p) + p.n_test;
}

/** Targets as exposure and outcome, no instruments (mutants are made by the estimators), split, b as latent, the sequences. */
function deepMrRoles(_p: DeepMrParams): Roles {
  return {
    outcome: "out_target",
    exposure: "exp_target",
    instruments: [],
    split: "split",
    latent: ["conf_b"],
    bases: SEQUENCE_MATRIX,
  };
}

/** The outcome motif the parameters choose. */
export function outcomeMotif(p: DeepMrParams): Motif {
  return p.outcome_pwm === "synthetic" ? SYNTHETIC_16 : TAL1_KNOWN1;
}

function instanceMatrices(p: DeepMrParams): InstanceMatrices {
  return {
    exposure: smoothed(GATA_DISC1, p.pseudocount),
    outcome: smoothed(outcomeMotif(p), p.pseudocount),
    confounder: hasConfounderMotif(p) ? smoothed(SOX2_1, p.pseudocount) : null,
    confounderProb: p.confounder_embed_prob,
  };
}

/** The dataset's columns, from the allocator, by name. */
function allocColumns(ctx: SimContext, n: number): Record<(typeof COLUMNS)[number], Float64Array> {
  const out = {} as Record<(typeof COLUMNS)[number], Float64Array>;
  for (const name of COLUMNS) out[name] = ctx.alloc(n);
  return out;
}

function simulateDeepMr(p: DeepMrParams, ctx: SimContext): Simulated {
  checkDeepMr(p, "deep_mr_sim");
  const round = drawRound(ctx.rng, p);
  const d = new Draws(ctx.rng);
  const copies = copiesOf(p);
  const firstTest = p.n_train + copies;
  const N = firstTest + p.n_test;
  const c = allocColumns(ctx, N);
  const codes = allocBytes(ctx.alloc, N * p.L);
  const labels: Labels = {
    hasExposure: c.has_exposure,
    hasOutcome: c.has_outcome,
    hasBoth: c.has_both,
    hasConfounder: c.has_confounder,
    exposureStart: c.exp_start,
    outcomeStart: c.out_start,
    confounderStart: c.conf_start,
  };
  const m = instanceMatrices(p);
  for (let i = 0; i < p.n_train; i++) drawSequence(d, codes, i, p.L, m, labels);
  for (let i = firstTest; i < N; i++) drawSequence(d, codes, i, p.L, m, labels);
  c.source.fill(-1);
  augment(d, codes, labels, c.source, { L: p.L, nTrain: p.n_train, nCopies: copies, spans: p.variant_spans });
  c.split.fill(0, 0, firstTest).fill(1, firstTest);
  drawAllCounts(p, ctx, d, round, codes, N, c);
  const truths = localTruths(ctx.core, codes, labels, firstTest, p.n_test, {
    L: p.L,
    alpha: round.alpha,
    beta: round.beta,
    exposureLlr: logOdds(GATA_DISC1, p.truth_pseudocount, p.background_order),
    outcomeLlr: logOdds(outcomeMotif(p), p.truth_pseudocount, p.background_order),
  });
  const sequences: ByteMatrix = { name: SEQUENCE_MATRIX, width: p.L, codes, alphabet: ALPHABET };
  const data = frame(
    COLUMNS.map((name) => [name, c[name], !REAL.has(name)] as const),
    [sequences],
  );
  return { data, roles: deepMrRoles(p), meta: metaOf(p, ctx, round, truths, firstTest) };
}

/** Scores every row with the data's matrices (spec §3.3) and draws the counts and targets. */
function drawAllCounts(
  p: DeepMrParams,
  ctx: SimContext,
  d: Draws,
  round: Round,
  codes: Uint8Array,
  N: number,
  c: Record<(typeof COLUMNS)[number], Float64Array>,
): void {
  const score = (motif: Motif) => occupancy(ctx.core, codes, N, p.L, logOdds(motif, p.pseudocount, p.background_order));
  const qExp = score(GATA_DISC1);
  const qOut = score(outcomeMotif(p));
  const qConf = hasConfounderMotif(p) ? score(SOX2_1) : null;
  const model = countModel(p, round);
  const out: CountColumns = {
    b: c.conf_b,
    expCount: c.exp_count,
    outCount: c.out_count,
    expTarget: c.exp_target,
    outTarget: c.out_target,
  };
  drawCounts(d, model, qExp, qOut, qConf, out);
}

/** The count model of a round under these parameters. */
export function countModel(p: DeepMrParams, round: Round): CountModel {
  return {
    alpha: round.alpha,
    beta: round.beta,
    eta: p.eta,
    nu: p.nu,
    tau1: p.tau1,
    tau2: p.tau2,
    confounderProb: confounderProbOf(p),
  };
}

function metaOf(
  p: DeepMrParams,
  ctx: SimContext,
  round: Round,
  truths: LocalTruths,
  firstTest: number,
): Simulated["meta"] {
  return {
    dgp: "deep_mr_sim",
    params: { ...p },
    seed: p.seed,
    rng: ctx.rng.backend,
    beta_true: globalTruth(truths),
    e: round.e,
    alpha: round.alpha,
    beta: round.beta,
    confounder_motif: hasConfounderMotif(p),
    confounder_prob: confounderProbOf(p),
    outcome_motif: outcomeMotif(p).name,
    layout: { train: p.n_train, copies: copiesOf(p), test: p.n_test, first_test: firstTest },
    truth: truths,
    unit_truths: { rows: truths.test_index.map((i) => firstTest + i), values: truths.local_ce },
  };
}

/** Simulated regulatory sequences with motif-driven exposure and outcome counts (spec deep-mr.md §3, §6). */
export const deepMrDgp: Dgp<DeepMrParams> = {
  id: "deep_mr_sim",
  label: "Deep MR: simulated regulatory sequences",
  description:
    "sequences of L bases with an exposure motif (GATA_disc1), an outcome motif (TAL1_known1) or both (about 25% each), an optional SOX2_1 confounder motif; c_exp = 1 + α q_exp + η q_conf + τ1 b, c_out = 1 + β q_exp q_out + ν q_conf + τ2 b, Poisson counts and Anscombe targets; variant-augmented training set, test set, and the true local effects of the both-motif test sequences (beta_true: their mean)",
  params: DEEP_MR_PARAMS,
  defaults: DEEP_MR_DEFAULTS,
  check: checkDeepMr,
  columns: () => [...COLUMNS],
  roles: deepMrRoles,
  rows: deepMrRows,
  width: () => COLUMNS.length,
  simulate: simulateDeepMr,
};
