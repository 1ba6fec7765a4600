import { describe, expect, it } from "vitest";
import { parseCsvText } from "../../src/io/csv-text.js";
import type { ResultRow, TaskResult } from "../../src/sweep/messages.js";
import { formatResult } from "../../src/sweep/replicates.js";
import { replicateAt, summarize, summarizeGroups } from "../../src/sweep/summary.js";

const LEAD = ["c001", "500"];
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

function row(estimator: string, estimate: number, se: number, extras: Record<string, number> = {}): ResultRow {
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

/** Two replicates whose numbers include what text cannot keep exactly: -0, infinities, NaN, a failure. */
const RESULTS: TaskResult[] = [
  {
    cell: 0,
    replicate: 1,
    seed: 11,
    betaTrue: 0.3,
    rows: [
      row("ols", -0, 0.1, { person_mse: Number.POSITIVE_INFINITY }),
      row("tsls", 0.1 + 0.2, Number.NaN, { person_mse: 1e-300 }),
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
];

describe("a task's output", () => {
  it("carries summary numbers equal to what reading its CSV text back gives", async () => {
    const outputs = RESULTS.map((r) => formatResult(LEAD, EXTRAS, r));
    const table = await parseCsvText(`${COLUMNS.join(",")}\n${outputs.map((o) => o.csv).join("")}`);
    const fromText = summarize(table, ["n"]);
    const fromNumbers = summarizeGroups(
      ["ols", "tsls"].map((name, k) => ({
        lead: [...LEAD, name],
        theta: outputs[0]?.numbers[0] as number,
        reps: outputs.map((o) => replicateAt(o.numbers, k)),
      })),
      ["n"],
    );
    expect(fromNumbers).toEqual(fromText);
    expect(table.slice(1).map((r) => r[6])).toEqual(["0", "0.30000000000000004", "NA", "NA"]);
    expect(outputs.map((o) => o.failures)).toEqual([[], [{ estimator: "tsls", message: 'singular, "quoted"\nline' }]]);
    expect(outputs[1]?.timings).toBe("c001,2,ols,0.001\nc001,2,tsls,0.002\n");
  });
});
