import { join } from "node:path";
import type { EstimateRow } from "../estimators/types.js";
import { CsvRowFormatter } from "../io/csv-text.js";
import type { DroppedRow, PairKey, SummaryPair } from "../io/summary-file.js";
import { numberText, writeText } from "../io/write-table.js";
import type { VariantResult } from "../summary/sensitivity.js";
import type { Steiger } from "../summary/steiger.js";
import { estimateObjects, estimateTable, short } from "./format.js";

/** Everything `mrsweep mr` found for one exposure-outcome pair. */
export interface PairResult {
  readonly pair: SummaryPair;
  readonly rows: readonly EstimateRow[];
  readonly wald: readonly VariantResult[];
  readonly leaveOneOut: readonly VariantResult[];
  readonly steiger: Steiger | null;
}

const KEY_COLUMNS = ["id.exposure", "id.outcome", "exposure", "outcome"] as const;

/** The pair as one line: ids, then names in parentheses, whichever the file has. */
function pairLabel(k: PairKey): string {
  const ids = k["id.exposure"] || k["id.outcome"] ? `${k["id.exposure"]} -> ${k["id.outcome"]}` : "";
  const names = k.exposure || k.outcome ? `${k.exposure} -> ${k.outcome}` : "";
  return ids && names ? `${ids} (${names})` : ids || names;
}

/** "3 rows dropped: 2 mr_keep FALSE (rows 5, 9), 1 missing se.outcome (row 7)". */
export function droppedLine(dropped: readonly DroppedRow[]): string {
  const byReason = new Map<string, number[]>();
  for (const d of dropped) byReason.set(d.reason, [...(byReason.get(d.reason) ?? []), d.row]);
  const parts = [...byReason].map(([reason, rows]) => {
    const shown = rows.slice(0, 8).join(", ") + (rows.length > 8 ? ", ..." : "");
    return `${rows.length} ${reason} (${rows.length === 1 ? "row" : "rows"} ${shown})`;
  });
  return `${dropped.length} ${dropped.length === 1 ? "row" : "rows"} dropped: ${parts.join("; ")}`;
}

/** The range of finite estimates, and the variant whose result is furthest from `centre`. */
function spread(results: readonly VariantResult[], centre: number): string {
  const ok = results.filter((r) => Number.isFinite(r.estimate));
  if (ok.length === 0) return "-";
  const values = ok.map((r) => r.estimate);
  const far = ok.reduce((a, b) => (Math.abs(b.estimate - centre) > Math.abs(a.estimate - centre) ? b : a));
  return `${short(Math.min(...values))} to ${short(Math.max(...values))} (furthest from IVW: ${far.variant}, ${short(far.estimate)})`;
}

/** The text report of one pair: heading, dropped rows, the estimate table and the analyses after it. */
export function pairText(file: string, r: PairResult, convention: string): string {
  const label = pairLabel(r.pair.key);
  const lines = [`${file}: ${label ? `${label}: ` : ""}${r.pair.data.bx.length} variants, ${convention} conventions`];
  if (r.pair.dropped.length > 0) lines.push(droppedLine(r.pair.dropped));
  const ivwRow = r.rows.find((x) => x.estimator === "ivw");
  const eggerRow = r.rows.find((x) => x.estimator === "mr_egger");
  const notes: string[] = [];
  if (ivwRow)
    notes.push(
      `IVW: Cochran's Q ${ivwRow.extras.q?.toFixed(2)} on ${ivwRow.extras.q_df} df (p ${ivwRow.extras.q_p?.toExponential(2)}).`,
    );
  if (eggerRow)
    notes.push(
      `MR-Egger intercept ${eggerRow.extras.intercept?.toPrecision(4)} (SE ${eggerRow.extras.intercept_se?.toPrecision(3)}, p ${eggerRow.extras.intercept_p?.toPrecision(3)}), I²_GX ${eggerRow.extras.i2_gx?.toFixed(3)}`,
    );
  const centre = ivwRow?.estimate ?? Number.NaN;
  const after = [
    `Wald ratios: ${spread(r.wald, centre)}`,
    `Leave-one-out IVW: ${spread(r.leaveOneOut, centre)}`,
    steigerLine(r),
  ];
  return `${lines.join("\n")}\n${estimateTable(r.rows)}${notes.length ? `${notes.join(" ")}\n` : ""}${after.join("\n")}\n`;
}

function steigerLine(r: PairResult): string {
  const s = r.steiger;
  if (!s) return `MR-Steiger: not run (${"missing" in r.pair.samplesize ? r.pair.samplesize.missing : "-"})`;
  const direction = s.correct_causal_direction ? "exposure -> outcome" : "outcome -> exposure";
  const given = [r.pair.rsq.exposure && "rsq.exposure", r.pair.rsq.outcome && "rsq.outcome"].filter(Boolean);
  const source = given.length ? `, r² from ${given.join(" and ")}` : "";
  return `MR-Steiger: r² exposure ${short(s.r2_exposure)}, outcome ${short(s.r2_outcome)} (mean n ${Math.round(s.n_exposure)}, ${Math.round(s.n_outcome)}): ${direction}, p ${s.p_value.toExponential(2)}${source}`;
}

/** The JSON objects of every pair's estimate rows, each led by the pair's columns. */
export function jsonObjects(results: readonly PairResult[]): Record<string, unknown>[] {
  return results.flatMap((r) => estimateObjects(r.rows).map((o) => ({ ...r.pair.key, ...o })));
}

type Cell = string | number | boolean;
const text = (v: Cell): string =>
  typeof v === "number" ? numberText(v) : typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : v;

/** Writes one CSV: header, then rows, each led by the pair columns. */
function writeCsv(path: string, header: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const csv = new CsvRowFormatter();
  writeText(path, csv.text([[...KEY_COLUMNS, ...header], ...rows.map((r) => r.map(text))]), "mr");
}

const INFERENCE = ["estimate", "se", "ci_lower", "ci_upper", "p_value"] as const;

/**
 * The tables TwoSampleMR users keep, into `dir`: mr.csv (the main table with every method's extras:
 * heterogeneity Q, Egger's intercept, ...), single_snp.csv (Wald
 * ratios, per-variant Steiger), leave_one_out.csv, directionality.csv (MR-Steiger per pair) and
 * dropped.csv (rows left out, and why). Logicals are written TRUE/FALSE, missing values NA.
 */
export function writeTables(dir: string, results: readonly PairResult[]): void {
  const key = (r: PairResult) => KEY_COLUMNS.map((c) => r.pair.key[c]);
  const inference = (x: VariantResult) => INFERENCE.map((c) => x[c]);
  // The extras of the chosen methods (Q, Egger's intercept, bandwidth ...) as columns, NA where a method has none.
  const extras = [...new Set(results.flatMap((r) => r.rows.flatMap((x) => Object.keys(x.extras))))];
  writeCsv(
    join(dir, "mr.csv"),
    ["estimator", ...INFERENCE, "status", ...extras],
    results.flatMap((r) =>
      r.rows.map((x) => [
        ...key(r),
        x.estimator,
        ...INFERENCE.map((c) => x[c]),
        x.status,
        ...extras.map((k) => x.extras[k] ?? Number.NaN),
      ]),
    ),
  );
  writeCsv(
    join(dir, "single_snp.csv"),
    ["SNP", ...INFERENCE, "r2_exposure", "r2_outcome", "steiger_p"],
    results.flatMap((r) =>
      r.wald.map((x, j) => {
        const s = r.steiger?.variants[j];
        return [
          ...key(r),
          x.variant,
          ...inference(x),
          s?.r2_exposure ?? Number.NaN,
          s?.r2_outcome ?? Number.NaN,
          s?.p_value ?? Number.NaN,
        ];
      }),
    ),
  );
  writeCsv(
    join(dir, "leave_one_out.csv"),
    ["SNP", ...INFERENCE, "status"],
    results.flatMap((r) => r.leaveOneOut.map((x) => [...key(r), x.variant, ...inference(x), x.status])),
  );
  writeCsv(
    join(dir, "directionality.csv"),
    ["r2_exposure", "r2_outcome", "n_exposure", "n_outcome", "correct_causal_direction", "z", "steiger_p"],
    results.flatMap((r) => {
      const s = r.steiger;
      return s
        ? [
            [
              ...key(r),
              s.r2_exposure,
              s.r2_outcome,
              s.n_exposure,
              s.n_outcome,
              s.correct_causal_direction,
              s.z,
              s.p_value,
            ],
          ]
        : [];
    }),
  );
  writeCsv(
    join(dir, "dropped.csv"),
    ["row", "SNP", "reason"],
    results.flatMap((r) => r.pair.dropped.map((d) => [...key(r), d.row, d.variant, d.reason])),
  );
}
