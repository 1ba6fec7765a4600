import { lmrob } from "../deepmr/lmrob.js";
import type { RobustRegression } from "../deepmr/local-mr.js";
import { fitRecalibrations, recalibrateDraws } from "../deepmr/recalibrate.js";
import { type RoundResult, type RoundSequence, runRound } from "../deepmr/round.js";
import { described, errors } from "../errors.js";
import { type DeepCnnShape, deepCnnLayout, paperCnn } from "../models/deep-cnn.js";
import { passSeed } from "../models/deep-cnn-dropout.js";
import { ismFast, ismPasses, predictDeepCnn } from "../models/deep-cnn-predict.js";
import { type DeepCnnMember, memberSeed, trainDeepCnnMember } from "../models/deep-cnn-train.js";
import { checkDeepMrParams, type DeepMrParams } from "./deep-mr-params.js";
import type { FitContext, FitStatus, IndividualData } from "./types.js";
import type { DataShape } from "./workspace.js";
import { WORKSPACE_FLOOR } from "./workspace.js";

/**
 * The Deep MR model stage of one dataset (deep-mr.md §4–5): an ensemble trained on the training
 * rows (each member a fit piece, so a sweep spreads members over its workers), the members'
 * recalibration on the test rows, saturation mutagenesis of every test sequence carrying the
 * exposure motif, and the MR round (src/deepmr/round.ts). One stage per dataset, seed and settings,
 * shared by deep_mr_egger and deep_mr_naive. With `uncertainty` mc_dropout (deep-mr §2 step 3, the
 * workshop version) a single network with dropout layers (member 1's seed, so member 1's split and
 * initialisation) is the one piece, and the draws are `passes` MC-dropout passes of each sequence's
 * ISM batch, not recalibrated (recalibration is per ensemble member).
 */

const ID = "deep_mr";

/** The column that marks the sequences analysed (the exposure motif's carriers, §5.3 (1)). */
export const ANALYSED = "has_exposure";

/** A member as a fit piece: what the stage needs of it (structured-cloneable). */
export type Member = Pick<DeepCnnMember, "params" | "state" | "epochs" | "bestValidation">;

/** Each member's validation share of the training rows (§4: 85/15). */
const VALIDATION_SHARE = 0.15;

/** The network for these data and settings: the paper's layers at the data's sequence length. */
export function shapeOf(data: IndividualData, p: Pick<DeepMrParams, "batch" | "precision">): DeepCnnShape {
  const width = data.bases?.width ?? 100;
  return { ...paperCnn(p.precision), length: width, batch: p.batch };
}

/**
 * The piece keys of a fit: one per member, [index, epochs, patience, batch, precision]; with
 * mc_dropout the one network's, [1, epochs, patience, batch, precision, dropout].
 */
export function memberKeys(p: DeepMrParams): string[] {
  checkDeepMrParams(p);
  if (p.uncertainty === "mc_dropout")
    return [JSON.stringify([1, p.epochs, p.patience, p.batch, p.precision, p.dropout])];
  return Array.from({ length: p.members }, (_, k) =>
    JSON.stringify([k + 1, p.epochs, p.patience, p.batch, p.precision]),
  );
}

/** The training settings a member key holds (dropout 0: the paper's network). */
function memberSpec(key: string) {
  const [index, epochs, patience, batch, precision, dropout = 0] = JSON.parse(key) as [
    number,
    number,
    number,
    number,
    "f32" | "f64",
    number?,
  ];
  return { index, epochs, patience, batch, precision, dropout };
}

/** Rows of the split role equal to `which` (0 training, 1 test). */
function rowsOf(split: Float64Array, which: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < split.length; i++) if (split[i] === which) out.push(i);
  return out;
}

/** The inputs the stage reads, or an input error naming what is missing. */
function inputs(data: IndividualData) {
  const bases = data.bases;
  if (!bases) throw errors.missing(ID, "the bases role (sequences as base codes)", "for Deep MR");
  if (!data.split) throw errors.missing(ID, "the split role (0 training, 1 test)", "for Deep MR");
  const analysed = data.columns.get(ANALYSED);
  if (!analysed) throw errors.missing(ID, `column ${ANALYSED}`, "marking the sequences to mutate");
  const train = rowsOf(data.split, 0);
  const test = rowsOf(data.split, 1);
  for (const [what, rows] of [
    ["training", train],
    ["test", test],
  ] as const) {
    if (rows.length < 2)
      throw errors.invalid(ID, `the ${what} rows (split)`, "at least 2", described(String(rows.length)));
  }
  return { bases, train, test, analysed };
}

/** Base codes of `rows` (row-major) and their exposure and outcome targets (rows x 2). */
function gather(data: IndividualData, rows: readonly number[]) {
  const w = (data.bases as NonNullable<IndividualData["bases"]>).width;
  const src = (data.bases as NonNullable<IndividualData["bases"]>).codes;
  const codes = new Uint8Array(rows.length * w);
  const y = new Float64Array(rows.length * 2);
  rows.forEach((r, i) => {
    codes.set(src.subarray(r * w, (r + 1) * w), i * w);
    y[2 * i] = data.exposure[r] as number;
    y[2 * i + 1] = data.outcome[r] as number;
  });
  return { codes, y, n: rows.length };
}

/** Trains member `key` (a `memberKeys` entry) on the training rows. */
export function trainMember(data: IndividualData, ctx: FitContext, key: string): Member {
  const k = memberSpec(key);
  const { train } = inputs(data);
  const shape = { ...shapeOf(data, { batch: k.batch, precision: k.precision }), dropout: k.dropout };
  const seed = memberSeed(ctx.dataSeed ?? ctx.seed, k.index);
  const training = { epochs: k.epochs, patience: k.patience, validationShare: VALIDATION_SHARE };
  const m = trainDeepCnnMember(ctx.core, shape, gather(data, train), seed, training);
  return { params: m.params, state: m.state, epochs: m.epochs, bestValidation: m.bestValidation };
}

/** Seconds per parameter and row of a training epoch (forward and backward), f32, measured roughly. */
const SECONDS_PER_PARAMETER_ROW = 2.2e-9;

/** A member's rough cost: every epoch it may run (early stopping usually ends sooner) x rows x parameters. */
export function memberSeconds(shape: DataShape, key: string): number {
  const k = memberSpec(key);
  const parameters = deepCnnLayout({ ...paperCnn(k.precision), batch: k.batch }).count;
  return k.epochs * shape.n * (1 - VALIDATION_SHARE) * parameters * SECONDS_PER_PARAMETER_ROW;
}

/** Most test rows: the test set is predicted as one batch (BatchNorm's batch statistics, §5.1). */
export const MAX_TEST_ROWS = 2000;

/** Bytes per row of the network's workspace, f64 (activations and their gradients of the convolutions, dropout masks). */
function rowBytes(length: number): number {
  const s = paperCnn("f64");
  let values = 0;
  for (let j = 1; j <= s.layers; j++) values += s.filters * (length - j * (s.kernel - 1));
  return 8 * 7 * values;
}

/**
 * The core's bytes a Deep MR fit uses at most beyond the dataset: the training rows' copy, one
 * network with its optimiser state and a workspace for the largest batch (training, the test set,
 * or an ISM batch of 4L rows).
 */
export function workspaceBytes(shape: DataShape, p: DeepMrParams): number {
  const length = 100;
  const rows = Math.max(p.batch, MAX_TEST_ROWS, 4 * length);
  return shape.n * (length + 16) + rows * rowBytes(length) + WORKSPACE_FLOOR;
}

/** lmrob as the dispatcher's robust fit, one seeded stream per stage; a fit without SEs drops its sequence. */
function robustFit(ctx: FitContext): RobustRegression {
  const seed = `${ctx.dataSeed ?? ctx.seed}:${ID}:lmrob`;
  let calls = 0;
  return (x, y, w) => {
    const n = x.length;
    const design = new Float64Array(2 * n);
    design.fill(1, 0, n);
    design.set(x, n);
    const fit = lmrob(ctx.core, { rows: n, cols: 2, data: design }, y, w, `${seed}:${calls++}`, {
      kMax: 500,
      maxitScale: 500,
    });
    const [a, b] = fit.coefficients;
    const [sa, sb] = fit.se;
    if (fit.status !== "ok" || !Number.isFinite(sb as number)) return null;
    return { coef: [a as number, b as number], se: [sa as number, sb as number], scale: fit.scale };
  };
}

/** The stage's result: the MR round, and the members' mean epochs. */
export interface Stage {
  round: RoundResult;
  epochsMean: number;
}

/** The draws of one analysed sequence (data row r), laid out [draw][row][output] (src/deepmr/effects.ts). */
type SequenceDraws = (seq: Uint8Array, r: number) => Float64Array;

/** MC dropout: `passes` passes of fast ISM through the one network, pass k's masks from passSeed(model seed, r, k). */
function dropoutDraws(data: IndividualData, p: DeepMrParams, ctx: FitContext, model: Member): SequenceDraws {
  const shape = { ...shapeOf(data, p), dropout: p.dropout };
  const modelSeed = memberSeed(ctx.dataSeed ?? ctx.seed, 1);
  return (seq, r) => {
    const seeds = Array.from({ length: p.passes }, (_, k) => passSeed(modelSeed, r, k + 1));
    return ismPasses(ctx.core, shape, model, seq, p.bn_inference, seeds).draws;
  };
}

/** Ensemble: each member's fast ISM, recalibrated on the test rows when asked (§5.2). */
function ensembleDraws(
  data: IndividualData,
  p: DeepMrParams,
  ctx: FitContext,
  members: readonly Member[],
  test: readonly number[],
): SequenceDraws {
  const shape = shapeOf(data, p);
  const testData = gather(data, test);
  const models = p.recalibrate
    ? fitRecalibrations(predictAll(data, p, ctx, members, testData.codes, testData.n), members.length, 2, testData.y)
    : null;
  return (seq) => {
    const rows = 4 * seq.length;
    const raw = new Float64Array(members.length * rows * 2);
    members.forEach((m, k) => {
      raw.set(ismFast(ctx.core, shape, m, seq, p.bn_inference).y, k * rows * 2);
    });
    return models ? recalibrateDraws(models, raw, members.length) : raw;
  };
}

/** Member predictions of `codes` (n rows) laid out [member][row][output]. */
function predictAll(
  data: IndividualData,
  p: DeepMrParams,
  ctx: FitContext,
  members: readonly Member[],
  codes: Uint8Array,
  n: number,
) {
  const shape = shapeOf(data, p);
  const out = new Float64Array(members.length * n * 2);
  members.forEach((m, k) => {
    out.set(predictDeepCnn(ctx.core, shape, m, codes, n, p.bn_inference).y, k * n * 2);
  });
  return out;
}

/** Runs the stage from trained members (deep-mr §5): recalibration or MC-dropout passes, ISM of the analysed test sequences, the round. */
export function runStage(
  data: IndividualData,
  p: DeepMrParams,
  ctx: FitContext,
  members: readonly Member[],
): Stage | FitStatus {
  const { bases, test, analysed } = inputs(data);
  if (test.length > MAX_TEST_ROWS)
    throw errors.invalid(
      ID,
      "the test rows (split 1)",
      `at most ${MAX_TEST_ROWS} (predicted as one batch)`,
      described(String(test.length)),
    );
  const dropout = p.uncertainty === "mc_dropout";
  const drawsOf = dropout
    ? dropoutDraws(data, p, ctx, members[0] as Member)
    : ensembleDraws(data, p, ctx, members, test);
  const sequences: RoundSequence[] = [];
  for (const r of test) {
    if (analysed[r] !== 1) continue;
    const seq = bases.codes.subarray(r * bases.width, (r + 1) * bases.width);
    const truth = ctx.truth?.units?.get(r);
    sequences.push({ id: r, bases: seq.slice(), draws: drawsOf(seq, r), ...(truth === undefined ? {} : { truth }) });
  }
  if (sequences.length === 0) return "too_few_rows";
  const round = runRound(sequences, {
    draws: dropout ? p.passes : members.length,
    zThreshold: p.z_threshold,
    tau2: p.tau2,
    robust: p.egger_robust,
    ...(p.egger_robust === "never" ? {} : { robustFit: robustFit(ctx) }),
  });
  return { round, epochsMean: members.reduce((s, m) => s + m.epochs, 0) / members.length };
}
