import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getColumn } from "../../src/data/frame.js";
import type { SummaryData } from "../../src/summary/data.js";
import { fixturePath, ROOT, readFrame } from "./fixtures.js";

/** The summary-MR reference fixture (test/fixtures/summary-mr/make.R) and its datasets. */
export type Rec = Record<string, Record<string, number> & { file?: string }>;

export const expected = JSON.parse(readFileSync(fixturePath("summary-mr", "expected.json"), "utf8")) as {
  datasets: Record<string, Rec & { file: string; J: number }>;
  per_snp: Record<string, { file: string; snps: string[]; bx: number[]; sx: number[]; by: number[]; sy: number[] }>;
};

/** A fixture dataset's per-variant statistics (small3: the first three rows of ldl_chd). */
export async function loadSummaryFixture(name: string, rec: { file: string; J: number }): Promise<SummaryData> {
  const path = join(ROOT, rec.file.replace(/ \(rows.*\)$/, ""));
  const f = await readFrame(path);
  const col = (a: string, b: string) => (getColumn(f, a) ?? getColumn(f, b)) as Float64Array;
  const take = (v: Float64Array) => (name === "small3" ? v.slice(0, 3) : v);
  return {
    names: [],
    bx: take(col("beta.exposure", "beta_exposure")),
    sx: take(col("se.exposure", "se_exposure")),
    by: take(col("beta.outcome", "beta_outcome")),
    sy: take(col("se.outcome", "se_outcome")),
  };
}
