import { numberText } from "../io/write-table.js";

/**
 * Performance measures of an estimator over replicates, each with its Monte Carlo standard error
 * (Morris, White and Crowther 2019, Stat Med 38:2074, table 6): bias, empirical SE, MSE, RMSE
 * (delta method), coverage of the 95% interval, mean model SE, mean person_mse.
 */
export interface Measures {
  n_ok: number;
  n_failed: number;
  mean: number;
  mean_mcse: number;
  bias: number;
  bias_mcse: number;
  emp_se: number;
  emp_se_mcse: number;
  mse: number;
  mse_mcse: number;
  rmse: number;
  rmse_mcse: number;
  coverage: number;
  coverage_mcse: number;
  n_ci: number;
  mean_se: number;
  mean_person_mse: number;
}

/** One replicate's numbers for an estimator: estimate, model SE, interval and person_mse (NaN when absent). */
export interface Replicate {
  estimate: number;
  se: number;
  ciLower: number;
  ciUpper: number;
  personMse: number;
  ok: boolean;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((s, v) => s + v, 0) / xs.length;
}

/** The measures of `reps` against the true value `theta`; failed or NaN estimates count as failures. */
export function measures(reps: readonly Replicate[], theta: number): Measures {
  const good = reps.filter((r) => r.ok && Number.isFinite(r.estimate));
  const est = good.map((r) => r.estimate);
  const n = est.length;
  const m = mean(est);
  const ss = est.reduce((s, v) => s + (v - m) ** 2, 0);
  const empSe = Math.sqrt(ss / (n - 1));
  const sq = est.map((v) => (v - theta) ** 2);
  const mse = mean(sq);
  const mseMcse = Math.sqrt(sq.reduce((s, v) => s + (v - mse) ** 2, 0) / (n * (n - 1)));
  const withCi = good.filter((r) => Number.isFinite(r.ciLower) && Number.isFinite(r.ciUpper));
  const covered = withCi.filter((r) => r.ciLower <= theta && theta <= r.ciUpper).length;
  const coverage = withCi.length ? covered / withCi.length : Number.NaN;
  const ses = good.map((r) => r.se).filter(Number.isFinite);
  const pm = good.map((r) => r.personMse).filter(Number.isFinite);
  return {
    n_ok: n,
    n_failed: reps.length - n,
    mean: m,
    mean_mcse: empSe / Math.sqrt(n),
    bias: m - theta,
    bias_mcse: empSe / Math.sqrt(n),
    emp_se: empSe,
    emp_se_mcse: empSe / Math.sqrt(2 * (n - 1)),
    mse,
    mse_mcse: mseMcse,
    rmse: Math.sqrt(mse),
    rmse_mcse: mseMcse / (2 * Math.sqrt(mse)),
    coverage,
    coverage_mcse: Math.sqrt((coverage * (1 - coverage)) / withCi.length),
    n_ci: withCi.length,
    mean_se: mean(ses),
    mean_person_mse: mean(pm),
  };
}

/** Columns of summary.csv after the cell id, grid axes and estimator. */
export const MEASURE_COLUMNS: readonly (keyof Measures)[] = [
  "n_ok",
  "n_failed",
  "mean",
  "mean_mcse",
  "bias",
  "bias_mcse",
  "emp_se",
  "emp_se_mcse",
  "mse",
  "mse_mcse",
  "rmse",
  "rmse_mcse",
  "coverage",
  "coverage_mcse",
  "n_ci",
  "mean_se",
  "mean_person_mse",
];

/**
 * summary.csv from replicates.csv's rows (header first): one row per cell x estimator in the
 * order they appear, with `best` = 1 for the lowest MSE in the cell.
 */
export function summarize(table: readonly (readonly string[])[], axes: readonly string[]): string[][] {
  const [header, ...rows] = table;
  if (!header) return [];
  const col = (name: string) => header.indexOf(name);
  const [cCell, cEst, cBeta] = [col("cell_id"), col("estimator"), col("beta_true")];
  const [cEstimate, cSe, cLower, cUpper, cPersonMse, cStatus] = [
    "estimate",
    "se",
    "ci_lower",
    "ci_upper",
    "person_mse",
    "status",
  ].map(col) as [number, number, number, number, number, number];
  const num = (r: readonly string[], i: number) => (i < 0 || r[i] === "NA" ? Number.NaN : Number(r[i]));
  const groups = new Map<string, { lead: string[]; theta: number; reps: Replicate[] }>();
  for (const r of rows) {
    const key = `${r[cCell]}\u0000${r[cEst]}`;
    const g = groups.get(key) ?? {
      lead: [r[cCell] as string, ...axes.map((a) => r[col(a)] as string), r[cEst] as string],
      theta: Number(r[cBeta]),
      reps: [],
    };
    g.reps.push({
      estimate: num(r, cEstimate),
      se: num(r, cSe),
      ciLower: num(r, cLower),
      ciUpper: num(r, cUpper),
      personMse: num(r, cPersonMse),
      ok: r[cStatus] !== "failed",
    });
    groups.set(key, g);
  }
  const out = [...groups.values()].map((g) => ({ lead: g.lead, m: measures(g.reps, g.theta) }));
  const bestMse = new Map<string, number>();
  for (const o of out) {
    const cell = o.lead[0] as string;
    if (Number.isFinite(o.m.mse) && !(o.m.mse >= (bestMse.get(cell) ?? Number.POSITIVE_INFINITY)))
      bestMse.set(cell, o.m.mse);
  }
  const head = ["cell_id", ...axes, "estimator", ...MEASURE_COLUMNS, "best"];
  return [
    head,
    ...out.map((o) => [
      ...o.lead,
      ...MEASURE_COLUMNS.map((k) => numberText(o.m[k])),
      o.m.mse === bestMse.get(o.lead[0] as string) ? "1" : "0",
    ]),
  ];
}
