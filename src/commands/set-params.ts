import { errors } from "../errors.js";
import { getEstimator } from "../estimators/registry.js";
import { parseParamText } from "../params.js";

/**
 * `--set NAME=VALUE` settings (`fit`, `mr`), each parsed by the spec of a chosen estimator that
 * declares NAME; a name no chosen estimator has is an input error listing the names they have.
 */
export function setParams(where: string, ids: readonly string[], settings: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const text of settings) {
    const eq = text.indexOf("=");
    if (eq <= 0) throw errors.invalid(where, "--set", "NAME=VALUE", text);
    const name = text.slice(0, eq).trim();
    const spec = ids.flatMap((id) => getEstimator(id, where).params.filter((p) => p.name === name))[0];
    if (!spec) {
      const known = [...new Set(ids.flatMap((id) => getEstimator(id, where).params.map((p) => p.name)))];
      throw errors.unknownId(where, `--set parameter of ${ids.join(", ")}`, name, known);
    }
    out[name] = parseParamText(where, spec, text.slice(eq + 1));
  }
  return out;
}
