import type { Draws } from "./deep-mr-draws.js";
import type { RandomStream } from "./rng.js";

/** The Anscombe transform A(k) = 2 √(k + 3/8): the network's targets (spec §3.3). */
export function anscombe(k: number): number {
  return 2 * Math.sqrt(k + 0.375);
}

/** The laws of a round's effect sizes (spec §3, Rounds). */
export interface RoundLaw {
  readonly e_low: number;
  readonly e_high: number;
  readonly e_high_prob: number;
  readonly e_sd: number;
  readonly alpha_mean: number;
  readonly alpha_sd: number;
}

/** One round's (replicate's) effect sizes: β = α e. */
export interface Round {
  readonly e: number;
  readonly alpha: number;
  readonly beta: number;
}

/**
 * Draws a round: e ~ N(e_high, e_sd²) with probability e_high_prob, else N(e_low, e_sd²),
 * clipped at 0; α ~ N(alpha_mean, alpha_sd²); β = α e. Three draws from the stream, in that order.
 */
export function drawRound(rng: RandomStream, law: RoundLaw): Round {
  const high = (rng.uniform(0, 1, 1)[0] as number) < law.e_high_prob;
  const e = Math.max(0, rng.normal(high ? law.e_high : law.e_low, law.e_sd, 1)[0] as number);
  const alpha = rng.normal(law.alpha_mean, law.alpha_sd, 1)[0] as number;
  return { e, alpha, beta: alpha * e };
}

/** The count model's coefficients (spec §3.3). */
export interface CountModel {
  readonly alpha: number;
  readonly beta: number;
  readonly eta: number;
  readonly nu: number;
  readonly tau1: number;
  readonly tau2: number;
  /** P(b = 1), the sequence-independent confounder. */
  readonly confounderProb: number;
}

/** c_exp = 1 + α q_exp + η q_conf + τ1 b (spec §3.3). */
export function exposureRate(m: CountModel, qExp: number, qConf: number, b: number): number {
  return 1 + m.alpha * qExp + m.eta * qConf + m.tau1 * b;
}

/** c_out = 1 + β q_exp q_out + ν q_conf + τ2 b (spec §3.3). */
export function outcomeRate(m: CountModel, qExp: number, qOut: number, qConf: number, b: number): number {
  return 1 + m.beta * qExp * qOut + m.nu * qConf + m.tau2 * b;
}

/** Where the counts go: one value per row each. */
export interface CountColumns {
  readonly b: Float64Array;
  readonly expCount: Float64Array;
  readonly outCount: Float64Array;
  readonly expTarget: Float64Array;
  readonly outTarget: Float64Array;
}

/**
 * Per row: b ~ Bernoulli(confounderProb), then the exposure and the outcome count ~
 * Poisson(max(c, 0)), and their Anscombe targets. qConf null: no confounder motif (q_conf = 0).
 */
export function drawCounts(
  d: Draws,
  m: CountModel,
  qExp: Float64Array,
  qOut: Float64Array,
  qConf: Float64Array | null,
  out: CountColumns,
): void {
  for (let i = 0; i < qExp.length; i++) {
    const b = d.chance(m.confounderProb) ? 1 : 0;
    const qc = qConf ? (qConf[i] as number) : 0;
    const qe = qExp[i] as number;
    const ke = d.poisson(Math.max(exposureRate(m, qe, qc, b), 0));
    const ko = d.poisson(Math.max(outcomeRate(m, qe, qOut[i] as number, qc, b), 0));
    out.b[i] = b;
    out.expCount[i] = ke;
    out.outCount[i] = ko;
    out.expTarget[i] = anscombe(ke);
    out.outTarget[i] = anscombe(ko);
  }
}
