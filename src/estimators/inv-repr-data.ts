import { described, errors } from "../errors.js";
import type { InvReprShape } from "../models/inv-repr.js";
import type { InvReprRun } from "../models/inv-repr-train.js";
import type { InvReprParams } from "./inv-repr-params.js";
import { environmentCodes } from "./inv-subspace.js";
import type { FitStatus, IndividualData } from "./types.js";

const ID = "inv_repr";

/** Fewest rows of a bank: the batch covariances (log-det, divisor n − 1) need two distinct draws possible. */
const MIN_BANK = 2;

/** A task's training inputs: the network's shape and everything of a run but the draws and the epochs. */
export interface InvReprTask {
  shape: InvReprShape;
  run: Omit<InvReprRun, "rand" | "epochs" | "adam" | "lastEpochs">;
}

/** Row-major Z (n x dz) from the column-major instrument matrix. */
function rowMajor(data: IndividualData): Float64Array {
  const { rows, cols, data: m } = data.instruments;
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = m[j * rows + i] as number;
  return out;
}

/**
 * Centres and scales each column of row-major z (dz columns) in place by its mean and SD over
 * `rows` (the training banks); a constant column is only centred.
 */
function standardize(z: Float64Array, dz: number, rows: readonly number[]): void {
  for (let j = 0; j < dz; j++) {
    let mean = 0;
    for (const i of rows) mean += z[i * dz + j] as number;
    mean /= rows.length;
    let ss = 0;
    for (const i of rows) ss += ((z[i * dz + j] as number) - mean) ** 2;
    const sd = Math.sqrt(ss / Math.max(1, rows.length - 1));
    const scale = sd > 0 ? 1 / sd : 1;
    for (let i = 0; i < z.length / dz; i++) z[i * dz + j] = ((z[i * dz + j] as number) - mean) * scale;
  }
}

/** Per environment, the row indices of split `which` (0 training, 1 validation). */
function banks(codes: Int32Array, split: Float64Array, levels: number, which: number): Int32Array[] {
  return Array.from({ length: levels }, (_, e) => {
    const rows: number[] = [];
    for (let i = 0; i < codes.length; i++) if (codes[i] === e && split[i] === which) rows.push(i);
    return Int32Array.from(rows);
  });
}

/** Refuses parameter values no data can satisfy (the grids, before any training). */
export function checkParams(p: InvReprParams): void {
  for (const name of ["lambda1", "lambda2"] as const) {
    if (p[name].length === 0) throw errors.invalid(ID, `parameter ${name}`, "a non-empty list", described("[]"));
  }
}

/** Refuses an environment bank (training or validation) with fewer than MIN_BANK rows, naming it. */
function checkBanks(bank: Int32Array[], levels: number[], which: "training" | "validation", split: number): void {
  bank.forEach((b, e) => {
    if (b.length >= MIN_BANK) return;
    throw errors.invalid(
      ID,
      `the ${which} bank (split ${split}) of environment ${levels[e]}`,
      `at least ${MIN_BANK} rows`,
      described(`${b.length} rows`),
    );
  });
}

/**
 * The shape and the run inputs of `data` under `p`, or the status of data no network can be trained
 * on: fewer instruments than latents (`too_few_variants`: pv + pw > dz leaves nothing to compress).
 * Refused (thrown) as input errors: no environment or split role, one environment, and an
 * environment whose training or validation bank has fewer than 2 rows. An epoch is the mean bank
 * size in items; batch_items above that (for either bank) is cut to it, as PyTorch's loader then
 * yields one short batch. The decoder degree is not read by the MLP decoder.
 */
export function invReprTask(data: IndividualData, p: InvReprParams): InvReprTask | FitStatus {
  if (!data.environment) throw errors.missing(ID, "the data's environment role", "a column of environment labels");
  if (!data.split) throw errors.missing(ID, "the data's split role", "a column of 0 (training) and 1 (validation)");
  checkParams(p);
  const { codes, levels } = environmentCodes(data.environment);
  if (levels.length < 2) {
    throw errors.invalid(ID, "the data's environment role", "at least 2 distinct labels", described("1 label"));
  }
  const dz = data.instruments.cols;
  if (p.pv + p.pw > dz) return "too_few_variants";
  const train = banks(codes, data.split, levels.length, 0);
  const validation = banks(codes, data.split, levels.length, 1);
  checkBanks(train, levels, "training", 0);
  checkBanks(validation, levels, "validation", 1);
  const trainItems = Math.round(train.reduce((s, b) => s + b.length, 0) / levels.length);
  const validationItems = Math.round(validation.reduce((s, b) => s + b.length, 0) / levels.length);
  if (p.decoder === "matched") throw new Error("inv_repr: decoder matched reaches the task resolved (bug)");
  const shape: InvReprShape = {
    inputs: dz,
    width: p.width,
    pv: p.pv,
    pw: p.pw,
    decoderDegree: p.decoder_degree,
    decoder: p.decoder,
    predictor: p.lambda3 > 0,
    environments: levels.length,
    items: Math.min(p.batch_items, trainItems, validationItems),
    kernelDegree: 2,
    dtype: p.precision,
  };
  const z = rowMajor(data);
  if (p.standardize)
    standardize(
      z,
      dz,
      train.flatMap((b) => Array.from(b)),
    );
  const run = {
    z,
    x: data.exposure,
    train,
    validation,
    trainItems,
    validationItems,
    reshuffle: p.reshuffle,
    plateau: p.plateau,
  };
  return { shape, run };
}
