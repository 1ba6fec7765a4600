import { type CorpusCase, cases, copy, type Draw, num, render, type Table } from "./case.js";

/**
 * A valid `mrsweep fit` input: Y, X, instruments G0.. (2 to 4) and sometimes an `age` covariate,
 * 24 to 40 rows. Its control test shows that fit accepts it, so each case's one defect is what is refused.
 */
export function fitBase(d: Draw): Table {
  const n = d.int(24, 40);
  const L = d.int(2, 4);
  const withAge = d.chance(0.4);
  const pi = Array.from({ length: L }, () => d.float(0.3, 1));
  const header = ["Y", "X", ...pi.map((_, j) => `G${j}`), ...(withAge ? ["age"] : [])];
  const rows = Array.from({ length: n }, () => {
    const g = pi.map(() => d.int(0, 2));
    const x = g.reduce((s, v, j) => s + v * (pi[j] as number), 0) + d.float(-1, 1);
    const y = 0.4 * x + d.float(-1, 1);
    return [num(y), num(x), ...g.map(String), ...(withAge ? [String(d.int(20, 80))] : [])];
  });
  return { header, rows };
}

/** The arguments of a fit on `data.csv`, with the covariate when the table has one. */
function fitArgs(t: Table, extra: readonly string[] = []): string[] {
  return ["fit", "$DIR/data.csv", ...(t.header.includes("age") ? ["--covariates", "age"] : []), ...extra];
}

/** A random column: fit reads every column of a base table (Y, X, the instruments and the covariate). */
function usedColumn(d: Draw, t: Table): number {
  return d.int(0, t.header.length - 1);
}

/** Sets one random cell of a column fit reads to `value`. */
function setCell(d: Draw, t: Table, value: string): Table {
  const out = copy(t);
  const row = out.rows[d.int(0, out.rows.length - 1)] as string[];
  row[usedColumn(d, out)] = value;
  return out;
}

/** A case writing `text` as data.csv and running fit on it. */
function onFile(text: string, t: Table, extra: readonly string[] = []): Omit<CorpusCase, "id" | "category"> {
  return { files: { "data.csv": text }, argv: fitArgs(t, extra) };
}

function cellCase(category: string, count: number, values: readonly string[]): CorpusCase[] {
  return cases(category, count, (d) => {
    const t = fitBase(d);
    return onFile(render(setCell(d, t, d.pick(values))), t);
  });
}

const NON_NUMERIC = ["abc", '"1,5"', "1.2.3", "--1", "NA", "na", "null", "TRUE", "1e", "e5", "1 2", "$3", "12%"];
const MORE_NON_NUMERIC = ["1_000", "\u0663", "\u00bd", "0x", "1..2", "+-1", "#1"];

function dropColumn(t: Table, j: number): Table {
  return { header: t.header.filter((_, i) => i !== j), rows: t.rows.map((r) => r.filter((_, i) => i !== j)) };
}

/** Every category of malformed fit input. */
export function fitCases(): CorpusCase[] {
  return [
    ...cases("fit/missing-column", 30, (d) => {
      const t = fitBase(d);
      const which = d.pick(["Y", "X", "G*", "age"]);
      if (which === "G*") {
        const kept = t.header.map((h, i) => (h.startsWith("G") ? -1 : i)).filter((i) => i >= 0);
        const out = {
          header: kept.map((i) => t.header[i] as string),
          rows: t.rows.map((r) => kept.map((i) => r[i] as string)),
        };
        return onFile(render(out), t);
      }
      const j = t.header.indexOf(which);
      if (j < 0) return onFile(render(t), t, ["--covariates", "age"]);
      return onFile(render(dropColumn(t, j)), t);
    }),
    ...cases("fit/renamed-column", 30, (d) => {
      const base = fitBase(d);
      const t = copy(base);
      const j = d.int(0, 1);
      const name = t.header[j] as string;
      t.header[j] = d.pick([`${name}_`, name.toLowerCase(), "outcome", "exposure", `"${name}x"`]);
      return onFile(render(t), base);
    }),
    ...cases("fit/duplicate-column", 30, (d) => {
      const base = fitBase(d);
      const t = copy(base);
      const j = d.int(0, t.header.length - 1);
      const k = d.chance(0.5) ? t.header.length : d.int(0, t.header.length - 1);
      const name = t.header[j] as string;
      if (k === t.header.length || k === j) {
        t.header.push(name);
        for (const r of t.rows) r.push(num(d.float(-2, 2)));
      } else t.header[k] = name;
      return onFile(render(t), base);
    }),
    ...cellCase("fit/non-numeric-cell", 40, [...NON_NUMERIC, ...MORE_NON_NUMERIC]),
    ...cellCase("fit/hex-cell", 25, ["0x1F", "0X1f", "0x0", "0xff", "0x10"]),
    ...cellCase("fit/binary-cell", 20, ["0b101", "0B11", "0b0", "0b1"]),
    ...cellCase("fit/octal-cell", 20, ["0o17", "0O7", "0o0", "0o1"]),
    ...cellCase("fit/empty-cell", 30, ["", "  ", '""']),
    ...cellCase("fit/nan-inf-cell", 35, [
      "NaN",
      "nan",
      "Inf",
      "inf",
      "Infinity",
      "-Infinity",
      "+Infinity",
      "1e999",
      "-1e400",
    ]),
    ...cases("fit/ragged-row", 30, (d) => {
      const t = fitBase(d);
      const out = copy(t);
      const row = out.rows[d.int(0, out.rows.length - 1)] as string[];
      if (d.chance(0.5)) row.push(num(d.float(0, 1)));
      else row.splice(d.int(0, row.length - 1), d.int(1, Math.min(2, row.length - 1)));
      return onFile(render(out), t);
    }),
    ...cases("fit/empty-file", 15, (d) => {
      const t = fitBase(d);
      return onFile(d.pick(["", "\n", "\r\n", "\n\n\n", " \n", "\t\n"]), t);
    }),
    ...cases("fit/header-only", 20, (d) => {
      const t = fitBase(d);
      return onFile(`${t.header.join(",")}${d.pick(["", "\n", "\n\n", "\r\n"])}`, t);
    }),
    ...cases("fit/all-empty-row", 25, (d) => {
      const base = fitBase(d);
      const t = copy(base);
      const blank = Array.from({ length: t.header.length }, () => d.pick(["", " "]));
      t.rows.splice(d.int(1, t.rows.length - 1), 0, blank);
      return onFile(render(t), base);
    }),
    ...cases("fit/too-few-rows", 25, (d) => {
      const t = copy(fitBase(d));
      const k = t.header.length - 2;
      t.rows = t.rows.slice(0, d.int(1, k + 1));
      return onFile(render(t), t);
    }),
    ...cases("fit/constant-column", 30, (d) => {
      const t = copy(fitBase(d));
      const j = usedColumn(d, t);
      const v = t.rows[0]?.[j] as string;
      for (const r of t.rows) r[j] = v;
      return onFile(render(t), t);
    }),
    ...cases("fit/collinear-instruments", 30, (d) => {
      const t = copy(fitBase(d));
      const g = t.header.map((h, i) => (h.startsWith("G") ? i : -1)).filter((i) => i >= 0);
      const [a, b, c] = [g[0], g[1], g[2]] as [number, number, number | undefined];
      const scale = d.pick([1, 2, -1, 0.5]);
      const shift = d.pick([0, 1, -3]);
      // Either a third instrument is the sum of two, or one is an affine copy of another.
      const sum = c !== undefined && d.chance(0.3);
      for (const r of t.rows) {
        if (sum) r[c] = String(Number(r[a]) + Number(r[b]));
        else r[b] = num(scale * Number(r[a]) + shift);
      }
      return onFile(render(t), t);
    }),
    ...cases("fit/bom-with-defect", 25, (d) => {
      const t = fitBase(d);
      const broken = setCell(d, t, d.pick(["abc", "", "NaN", "1,5"]));
      return onFile(`\ufeff${render(broken)}`, t);
    }),
    ...cases("fit/quotes", 30, (d) => {
      const t = fitBase(d);
      const out = copy(t);
      const row = out.rows[d.int(0, out.rows.length - 1)] as string[];
      const j = usedColumn(d, out);
      row[j] = d.pick([`"${row[j]}`, `${row[j]}"x`, `"1,5"`, `"${row[j]}""`, `'${row[j]}'`, `"a""b"`]);
      return onFile(render(out), t);
    }),
    ...cases("fit/wrong-delimiter", 25, (d) => {
      const t = fitBase(d);
      return onFile(render(t, d.pick([";", "|", ":", " "])), t);
    }),
  ];
}
