import { describe, expect, it } from "vitest";
import type { EstimateRow, IntervalKind } from "../../src/estimators/types.js";
import { parseCsvText } from "../../src/io/csv-text.js";
import type { TaskResult } from "../../src/sweep/messages.js";
import { formatResult } from "../../src/sweep/replicates.js";
import { replicateAt, summarize, summarizeGroups } from "../../src/sweep/summary.js";

const LEAD = ["c001", "500"];
const INTERVALS = new Map<string, IntervalKind>([
  ["ols", "exact"],
  ["tsls", "asymptotic"],
]);
const EXTRAS = ["first_stage_f", "person_mse"];
const COLUMNS = [
  "cell_id",
  "n",
  "replicate",
  "seed",
  "beta_true",
  "estimator",
  "estimate",
  "se",
  "ci_lower",
  "ci_upper",
  "p_value",
  "status",
  "message",
  ...EXTRAS,
];

function row(estimator: string, estimate: number, se: number, extras: Record<string, number> = {}): EstimateRow {
  return {
    estimator,
    estimate,
    se,
    ci_lower: estimate - 2 * se,
    ci_upper: estimate + 2 * se,
    p_value: 0.5,
    status: "ok",
    message: "",
    extras,
  };
}

/**
 * Replicates whose numbers include what text cannot keep exactly (-0, infinities, NaN), a failure,
 * and fit statuses other than ok: a not_converged last iterate and a degenerate first stage.
 */
const RESULTS: TaskResult[] = [
  {
    cell: 0,
    replicate: 1,
    seed: 11,
    betaTrue: 0.3,
    rows: [
      row("ols", -0, 0.1, { person_mse: Number.POSITIVE_INFINITY }),
      row("tsls", 0.1 + 0.2, Number.NaN, { person_mse: 1e-300, first_stage_f: 12 }),
    ],
    seconds: [0.001, 0.002],
  },
  {
    cell: 0,
    replicate: 2,
    seed: 12,
    betaTrue: 0.3,
    rows: [
      row("ols", Number.NEGATIVE_INFINITY, 0.2),
      { ...row("tsls", Number.NaN, Number.NaN), status: "failed", message: 'singular, "quoted"\nline' },
    ],
    seconds: [0.001, 0.002],
  },
  {
    cell: 0,
    replicate: 3,
    seed: 13,
    betaTrue: 0.3,
    rows: [
      { ...row("ols", 9.5, 0.1), status: "not_converged" },
      { ...row("tsls", Number.NaN, Number.NaN), status: "degenerate_first_stage" },
    ],
    seconds: [0.001, 0.002],
  },
  {
    cell: 0,
    replicate: 4,
    seed: 14,
    betaTrue: 0.3,
    rows: [{ ...row("ols", 0.5, 0.1), p_value: 0.01 }, row("tsls", 0.25, 0.1, { first_stage_f: 7.5 })],
    seconds: [0.001, 0.002],
  },
];

describe("a task's output", () => {
  it("carries summary numbers equal to what reading its CSV text back gives", async () => {
    const outputs = RESULTS.map((r) => formatResult(LEAD, EXTRAS, r));
    const table = await parseCsvText(`${COLUMNS.join(",")}\n${outputs.map((o) => o.csv).join("")}`);
    const fromText = summarize(table, ["n"], INTERVALS);
    const fromNumbers = summarizeGroups(
      ["ols", "tsls"].map((name, k) => ({
        lead: [...LEAD, name],
        theta: outputs[0]?.numbers[0] as number,
        interval: INTERVALS.get(name) as IntervalKind,
        reps: outputs.map((o) => replicateAt(o.numbers, k)),
      })),
      ["n"],
    );
    expect(fromNumbers).toEqual(fromText);
    expect(table.slice(1, 5).map((r) => r[6])).toEqual(["0", "0.30000000000000004", "NA", "NA"]);
    expect(outputs.map((o) => o.failures)).toEqual([
      [],
      [{ estimator: "tsls", message: 'singular, "quoted"\nline' }],
      [],
      [],
    ]);
    expect(outputs[1]?.timings).toBe("c001,2,ols,0.001\nc001,2,tsls,0.002\n");
  });
});

describe("summary counts", () => {
  /**
   * Per estimator over the four replicates above. ols: -0 and 0.5 are ok, -Inf is an ok row without
   * a finite estimate (non-ok), 9.5 is not_converged (non-ok: its far-off value must not move the
   * mean). tsls: 0.3 and 0.25 ok, one failed, one degenerate_first_stage.
   */
  it("measure ok rows only and count failed and other statuses apart", async () => {
    const outputs = RESULTS.map((r) => formatResult(LEAD, EXTRAS, r));
    const table = await parseCsvText(`${COLUMNS.join(",")}\n${outputs.map((o) => o.csv).join("")}`);
    const [head, ...rows] = summarize(table, ["n"], INTERVALS);
    const get = (r: readonly string[] | undefined, k: string) => r?.[(head as string[]).indexOf(k)];
    const [ols, tsls] = rows;
    expect([get(ols, "n_ok"), get(ols, "n_failed"), get(ols, "n_nonok"), get(ols, "mean")]).toEqual([
      "2",
      "0",
      "2",
      "0.25",
    ]);
    expect([get(tsls, "n_ok"), get(tsls, "n_failed"), get(tsls, "n_nonok")]).toEqual(["2", "1", "1"]);
    expect(Number(get(tsls, "mean"))).toBeCloseTo(0.275, 15);
  });
});
