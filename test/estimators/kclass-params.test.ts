import { describe, expect, it } from "vitest";
import { getEstimator } from "../../src/estimators/registry.js";
import { checkParam, parseParamText } from "../../src/params.js";

/** kclass's `kappa`: a choice that also takes a number (ParamSpec.orNumber), from configs and from text. */
const spec = getEstimator("kclass").params.find((p) => p.name === "kappa");

describe("kappa: liml, fuller or a number", () => {
  it("parses command-line text to a choice or a number", () => {
    if (!spec) throw new Error("kclass has no kappa");
    expect(parseParamText("fit", spec, "liml")).toBe("liml");
    expect(parseParamText("fit", spec, "0.5")).toBe(0.5);
    expect(parseParamText("fit", spec, "1e0")).toBe(1);
    expect(checkParam("fit", spec, parseParamText("fit", spec, "fuller"))).toBe("fuller");
    expect(() => checkParam("fit", spec, parseParamText("fit", spec, "tsls"))).toThrow(
      /^fit: parameter kappa must be one of liml, fuller or a finite number >= 0; got "tsls"$/,
    );
  });

  it("a plain choice still refuses numbers", () => {
    const environmentAs = getEstimator("tsls_z_po_k").params.find((p) => p.name === "environment_as");
    if (!environmentAs) throw new Error("tsls_z_po_k has no environment_as");
    expect(() => checkParam("fit", environmentAs, 1)).toThrow(/must be one of dummies, index; got "1"/);
  });
});
