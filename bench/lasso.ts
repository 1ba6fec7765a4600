import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getCore } from "../src/core/load.js";
import { fromColumns } from "../src/core/matrix.js";
import { getColumn } from "../src/data/frame.js";
import { lassoCv } from "../src/estimators/lasso-cv.js";
import { simulate } from "../src/sim/simulate.js";
import { fmtTime, timeIt } from "./timing.js";
import { lassoCvTs } from "./ts-lasso.js";

const PYTHON = "/usr/bin/python3";

/** scikit-learn's median time per LassoCV fit on each file, or null when it is not installed. */
function sklearnTimes(files: string[]): Record<string, number> | null {
  if (!existsSync(PYTHON)) return null;
  const r = spawnSync(PYTHON, [join("bench", "sklearn_lasso.py"), ...files], { encoding: "utf8" });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout) as Record<string, number>;
}

/** LassoCV(cv = 5) of X on G at each (n, L): WASM vs the TypeScript port vs scikit-learn. */
export function benchLasso(shapes: ReadonlyArray<readonly [number, number]>): string {
  const core = getCore();
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-bench-"));
  const rows = shapes.map(([n, L]) => {
    const sim = simulate("study", { n, L, seed: 11 });
    const g = fromColumns(sim.roles.instruments.map((k) => getColumn(sim.data, k) as Float64Array));
    const x = getColumn(sim.data, "X") as Float64Array;
    const file = join(dir, `g-${n}-${L}.csv`);
    const lines = [["X", ...sim.roles.instruments].join(",")];
    for (let i = 0; i < n; i++) lines.push([x[i], ...sim.roles.instruments.map((_, j) => g.data[j * n + i])].join(","));
    writeFileSync(file, `${lines.join("\n")}\n`);
    const a = lassoCv(core, g, x);
    const b = lassoCvTs(g.data, x, n, L);
    const agree =
      Math.abs(a.alpha - b.alpha) <= 1e-12 * a.alpha &&
      a.coef.every((c, j) => Math.abs(c - (b.coef[j] as number)) <= 1e-9 * (1 + Math.abs(c)));
    const wasm = timeIt(() => lassoCv(core, g, x));
    const ts = timeIt(() => lassoCvTs(g.data, x, n, L));
    return { n, L, file, wasm, ts, agree };
  });
  const sk = sklearnTimes(rows.map((r) => r.file));
  const lines = rows.map((r) => {
    const s = sk?.[r.file];
    const skText =
      s === undefined
        ? "sklearn not installed"
        : `sklearn ${fmtTime(s)} (${(s / r.wasm).toFixed(1)}x slower than WASM)`;
    const port = `TS port ${fmtTime(r.ts)} (${(r.ts / r.wasm).toFixed(1)}x; ${r.agree ? "same alpha and coefficients" : "RESULTS DIFFER"})`;
    return `LassoCV n=${r.n} L=${r.L}: WASM ${fmtTime(r.wasm)}, ${port}, ${skText}`;
  });
  return lines.join("\n");
}
