import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsv } from "../../src/sweep/outputs.js";
import { summarize } from "../../src/sweep/summary.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath } from "../helpers/fixtures.js";

/** summary.csv against numpy (test/fixtures/sweep/make_summary.py). */
describe("summary statistics", () => {
  it("equal an independent numpy computation over ok rows only, failed and other statuses counted apart", async () => {
    const expected = JSON.parse(readFileSync(fixturePath("sweep", "summary-expected.json"), "utf8")) as Record<
      string,
      Record<string, number>
    >;
    const table = await readCsv(fixturePath("sweep", "replicates.csv"));
    const [head, ...rows] = summarize(table, ["n"]);
    expect(head?.slice(0, 6)).toEqual(["cell_id", "n", "estimator", "n_ok", "n_failed", "n_nonok"]);
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const want = expected[`${row[0]}/${row[2]}`] as Record<string, number>;
      for (const [k, v] of Object.entries(want)) {
        const got = Number(row[(head as string[]).indexOf(k)]);
        assertClose(got, v, { rtol: 1e-12, atol: 1e-15 }, `${row[0]} ${row[2]} ${k}`);
      }
    }
    const best = rows.filter((r) => r.at(-1) === "1").map((r) => `${r[0]}/${r[2]}`);
    expect(best).toEqual(["c001/tsls", "c002/tsls"]);
  });
});
