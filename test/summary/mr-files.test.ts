import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { readSummaryPairs, type SummaryPair } from "../../src/io/summary-file.js";
import { simpleModeEstimator } from "../../src/summary/estimators.js";
import type { Convention } from "../../src/summary/methods.js";
import { leaveOneOut, type VariantResult, waldRatios } from "../../src/summary/sensitivity.js";
import { steiger } from "../../src/summary/steiger.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath } from "../helpers/fixtures.js";

/**
 * The analyses after the main table against base-R implementations of their documented
 * definitions (test/fixtures/mr-files/make.R, README there), on the pairs read from a
 * TwoSampleMR-style file with mr_keep FALSE rows and missing cells: estimates to rtol 1e-10, SEs
 * and p-values 1e-8; the simple mode's bootstrap SE (B = 10000, different generators) to 5%.
 */
type Columns = Record<"estimate" | "se" | "ci_lower" | "ci_upper" | "p_value", number[]>;
interface PairRef {
  "id.exposure": string;
  J: number;
  snps: string[];
  wald: Columns;
  leave_one_out: Record<Convention, Columns>;
  steiger: Record<string, number | boolean | number[]>;
  simple_mode: { estimate: number; bandwidth: number; se_boot: number; B: number; seed: number };
}
const expected = JSON.parse(readFileSync(fixturePath("mr-files", "expected.json"), "utf8")) as {
  pairs: Record<string, PairRef>;
};
const EST = { rtol: 1e-10 };
const STAT = { rtol: 1e-8 };

function compare(actual: readonly VariantResult[], ref: Columns, label: string): void {
  assertClose(
    actual.map((r) => r.estimate),
    ref.estimate,
    EST,
    `${label} estimate`,
  );
  for (const k of ["se", "ci_lower", "ci_upper", "p_value"] as const)
    assertClose(
      actual.map((r) => r[k]),
      ref[k],
      STAT,
      `${label} ${k}`,
    );
}

async function pairs(): Promise<Map<string, SummaryPair>> {
  const read = await readSummaryPairs(fixturePath("mr-files", "harmonised.csv"), { columns: {}, dropMissing: true });
  return new Map(read.map((p) => [p.key["id.exposure"], p]));
}

describe("Wald ratios, leave-one-out IVW, MR-Steiger and the simple mode equal the R reference", () => {
  for (const [name, ref] of Object.entries(expected.pairs)) {
    it(`${name} (${ref["id.exposure"]}, J = ${ref.J})`, async () => {
      const pair = (await pairs()).get(ref["id.exposure"]) as SummaryPair;
      expect(pair.data.names).toEqual(ref.snps);
      compare(waldRatios(pair.data), ref.wald, "wald");
      for (const convention of ["MendelianRandomization", "TwoSampleMR"] as const)
        compare(
          leaveOneOut(pair.data, "default", convention),
          ref.leave_one_out[convention],
          `leave-one-out ${convention}`,
        );
      if ("missing" in pair.samplesize) throw new Error(pair.samplesize.missing);
      const s = steiger(pair.data, pair.samplesize.exposure, pair.samplesize.outcome);
      const r = ref.steiger;
      expect(s.correct_causal_direction).toBe(r.correct_causal_direction);
      for (const k of ["r2_exposure", "r2_outcome", "n_exposure", "n_outcome", "z"] as const)
        assertClose(s[k], r[k] as number, EST, `steiger ${k}`);
      assertClose(s.p_value, r.p_value as number, STAT, "steiger p");
      assertClose(
        s.variants.map((v) => v.r2_exposure),
        r.variant_r2_exposure as number[],
        EST,
        "variant r2 exposure",
      );
      assertClose(
        s.variants.map((v) => v.r2_outcome),
        r.variant_r2_outcome as number[],
        EST,
        "variant r2 outcome",
      );
      assertClose(
        s.variants.map((v) => v.p_value),
        r.variant_p as number[],
        STAT,
        "variant Steiger p",
      );
      const e = simpleModeEstimator;
      const mode = e.fit(pair.data, { ...e.defaults, iterations: ref.simple_mode.B }, { core: getCore(), seed: "1" });
      assertClose(mode.estimate, ref.simple_mode.estimate, EST, "simple mode");
      assertClose(mode.extras.bandwidth as number, ref.simple_mode.bandwidth, EST, "simple mode bandwidth");
      assertClose(mode.se, ref.simple_mode.se_boot, { rtol: 0.05 }, "simple mode bootstrap SE (mad)");
    }, 60_000); // two bootstraps of 10000 modes on a loaded 2-core machine
  }

  it("MR-Steiger takes the file's rsq.exposure where given and r2 from b/se for the other side", async () => {
    const pair = (await pairs()).get("ieu-a-300") as SummaryPair;
    if ("missing" in pair.samplesize) throw new Error(pair.samplesize.missing);
    const ref = expected.pairs.pair2 as PairRef;
    const given = Float64Array.from(pair.data.bx, (_, j) => 0.001 * (j + 1));
    const s = steiger(pair.data, pair.samplesize.exposure, pair.samplesize.outcome, { exposure: given, outcome: null });
    assertClose(s.r2_exposure, 0.001 * (1 + 2 + 3 + 4), EST, "r2 exposure from rsq.exposure");
    assertClose(s.r2_outcome, ref.steiger.r2_outcome as number, EST, "r2 outcome from b/se");
    expect(s.p_value).not.toBe(ref.steiger.p_value);
  });

  it("the TwoSampleMR convention matters where it should: leave-one-out on 3 variants (pair 2)", () => {
    const p2 = expected.pairs.pair2 as PairRef;
    const mr = p2.leave_one_out.MendelianRandomization.se;
    const tsmr = p2.leave_one_out.TwoSampleMR.se;
    expect(mr.some((v, i) => Math.abs(v - (tsmr[i] as number)) > 1e-6 * v)).toBe(true);
  });
});
