import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { errors } from "../errors.js";
import { fit } from "../estimators/fit.js";
import { writeText } from "../io/write-table.js";
import { simulate } from "../sim/simulate.js";
import { helpText, parseCommand } from "./args.js";

const NS = [1000, 3000, 5000, 10000, 20000];
const LS = [5, 10, 15, 30, 50];
const METHODS: ReadonlyArray<readonly [string, string]> = [
  ["ols", "OLS"],
  ["tsls", "2SLS"],
  ["tsls_lasso", "2SLS-LASSO"],
];
const HEADER = ["n", "L", "confounding", "method", "beta_hat"];

const USAGE = helpText(
  "mrsweep reproduce study-baseline [--out table.tsv] [--compare reference.tsv] [--tolerance 1e-9] [--n 1000,3000]",
  "Regenerates the contextualized-MR study's baseline table: its 50 datasets (n x L x context, seed 7, numpy's\ngenerator) and OLS, 2SLS and 2SLS-LASSO on each, in the study's columns (tab-separated, 17 significant digits).",
  [
    ["--out FILE", "write the table here (default: standard output)"],
    ["--compare FILE", "compare with a reference table: maximum absolute difference per method"],
    ["--tolerance X", "with --compare, exit 1 when a difference exceeds X (default 1e-9)"],
    ["--n LIST", "only these sample sizes (default all: 1000,3000,5000,10000,20000)"],
    ["-h, --help", "show this help"],
  ],
);

/** C's %.17g: 17 significant digits, trailing zeros dropped, exponent form outside [1e-4, 1e17). */
export function formatG17(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(17)))));
  const trim = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= 17) {
    const [mant, e] = v.toExponential(16).split("e") as [string, string];
    const n = Number(e);
    return `${trim(mant)}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return trim(v.toPrecision(17));
}

type Row = { n: number; L: number; context: boolean; method: string; beta: number };

function key(r: { n: number; L: number; context: boolean; method: string }): string {
  return `${r.n}\t${r.L}\t${r.context ? "True" : "False"}\t${r.method}`;
}

/** Reads a study baseline table (n, L, confounding, method, beta_hat; tab-separated). */
function readReference(file: string): Map<string, number> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw errors.noFile("reproduce", file, (e as NodeJS.ErrnoException).code ?? String(e));
  }
  const lines = text.trim().split(/\r?\n/);
  if (lines[0]?.split("\t").join(",") !== HEADER.join(",")) {
    throw errors.invalid(file, "the header", HEADER.join("\\t"), lines[0] ?? "");
  }
  return new Map(
    lines.slice(1).map((line, i) => {
      const f = line.split("\t");
      const v = Number(f[4]);
      if (f.length !== 5 || !Number.isFinite(v))
        throw errors.invalid(file, `row ${i + 2}`, "5 tab-separated fields ending in a number", line);
      return [f.slice(0, 4).join("\t"), v] as const;
    }),
  );
}

/** `mrsweep reproduce study-baseline`. */
export async function reproduceCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("reproduce", argv, {
    out: { type: "string" },
    compare: { type: "string" },
    tolerance: { type: "string", default: "1e-9" },
    n: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals[0] !== "study-baseline" || positionals.length !== 1) {
    throw errors.unknownId("reproduce", "the target", positionals.join(" ") || "nothing", ["study-baseline"]);
  }
  const tolerance = Number(values.tolerance);
  if (!(tolerance >= 0)) throw errors.invalid("reproduce", "--tolerance", "a number >= 0", values.tolerance);
  const ns = values.n ? String(values.n).split(",").map(Number) : NS;
  for (const n of ns)
    if (!NS.includes(n)) throw errors.invalid("reproduce", "--n entries", `some of ${NS.join(",")}`, n);
  const reference = values.compare ? readReference(values.compare as string) : null;

  const rows: Row[] = [];
  const cells = ns.flatMap((n) => LS.flatMap((L) => [true, false].map((context) => ({ n, L, context }))));
  const t0 = Date.now();
  cells.forEach(({ n, L, context }, i) => {
    const sim = simulate("study", { n, L, context, seed: 7 }, { rng: "numpy" });
    const fitted = fit(sim.data, sim.roles, { estimators: METHODS.map((m) => m[0]) });
    METHODS.forEach(([, method], k) => {
      rows.push({ n, L, context, method, beta: fitted[k]?.estimate ?? Number.NaN });
    });
    process.stderr.write(
      `reproduce: cell ${i + 1}/${cells.length} (n=${n}, L=${L}, context=${context}) ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
  });
  const text = `${[HEADER.join("\t"), ...rows.map((r) => `${key(r)}\t${formatG17(r.beta)}`)].join("\n")}\n`;
  if (values.out) {
    mkdirSync(dirname(values.out as string), { recursive: true });
    writeText(values.out as string, text);
  } else process.stdout.write(text);
  if (reference) compare(rows, reference, tolerance);
}

/** Prints the largest absolute difference per method; exit code 1 on a missing row or a difference over tolerance. */
function compare(rows: readonly Row[], reference: ReadonlyMap<string, number>, tolerance: number): void {
  const ours = new Map(rows.map((r) => [key(r), r.beta]));
  const missing = [...reference.keys()].filter((k) => !ours.has(k));
  const worst = new Map<string, { diff: number; count: number }>();
  for (const [k, ref] of reference) {
    const v = ours.get(k);
    if (v === undefined) continue;
    const method = k.split("\t")[3] as string;
    const w = worst.get(method) ?? { diff: 0, count: 0 };
    worst.set(method, { diff: Math.max(w.diff, Math.abs(v - ref)), count: w.count + 1 });
  }
  for (const [method, w] of worst) {
    process.stderr.write(
      `compare: ${method.padEnd(11)} ${w.count} rows, max |difference| ${w.diff.toExponential(2)}\n`,
    );
  }
  const over = [...worst.values()].some((w) => !(w.diff <= tolerance));
  if (missing.length > 0) {
    process.stderr.write(
      `compare: ${missing.length} reference rows missing from the table (first: ${missing[0]?.replaceAll("\t", " ")})\n`,
    );
  }
  if (missing.length > 0 || over) {
    throw errors.run(
      "reproduce",
      `the table does not match the reference (${missing.length} rows missing; tolerance ${tolerance} ${over ? "exceeded" : "met"})`,
    );
  }
  process.stderr.write(`compare: all ${reference.size} reference rows present, every difference <= ${tolerance}\n`);
}
