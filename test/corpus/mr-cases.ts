import { type CorpusCase, cases, copy, type Draw, num, render, type Table } from "./case.js";

/** The four columns `mrsweep mr` reads, in TwoSampleMR's names or with underscores. */
const DOTS = ["beta.exposure", "se.exposure", "beta.outcome", "se.outcome"];
const UNDERSCORES = DOTS.map((c) => c.replace(".", "_"));

/** A valid harmonised summary file: SNP and the four columns, 5 to 15 variants. */
export function mrBase(d: Draw): Table {
  const names = d.chance(0.3) ? UNDERSCORES : DOTS;
  const rows = Array.from({ length: d.int(5, 15) }, (_, i) => {
    const bx = d.pick([-1, 1]) * d.float(0.05, 0.3);
    return [
      `rs${1000 + i}`,
      num(bx),
      num(d.float(0.01, 0.05)),
      num(0.3 * bx + d.float(-0.02, 0.02)),
      num(d.float(0.01, 0.05)),
    ];
  });
  return { header: ["SNP", ...names], rows };
}

function onFile(text: string, extra: readonly string[] = []): Omit<CorpusCase, "id" | "category"> {
  return { files: { "summary.csv": text }, argv: ["mr", "$DIR/summary.csv", ...extra] };
}

/** Sets one random cell of the four numeric columns (1..4) to `value`, or of `col` when given. */
function setCell(d: Draw, t: Table, value: string, col = d.int(1, 4)): Table {
  const out = copy(t);
  (out.rows[d.int(0, out.rows.length - 1)] as string[])[col] = value;
  return out;
}

/** Every category of malformed mr input. */
export function mrCases(): CorpusCase[] {
  return [
    ...cases("mr/missing-column", 25, (d) => {
      const t = mrBase(d);
      const j = d.int(1, 4);
      return onFile(
        render({ header: t.header.filter((_, i) => i !== j), rows: t.rows.map((r) => r.filter((_, i) => i !== j)) }),
      );
    }),
    ...cases("mr/bad-se", 30, (d) => {
      const t = mrBase(d);
      return onFile(render(setCell(d, t, d.pick(["0", "-0.01", "-1", "0.0", "-0", "-1e-9"]), d.pick([2, 4]))));
    }),
    ...cases("mr/zero-bx", 10, (d) => onFile(render(setCell(d, mrBase(d), d.pick(["0", "0.0", "-0"]), 1)))),
    ...cases("mr/non-numeric", 30, (d) =>
      onFile(
        render(setCell(d, mrBase(d), d.pick(["abc", "", "NA", "NaN", "Inf", "-Infinity", '"1,5"', "1.2.3", "1e999"]))),
      ),
    ),
    ...cases("mr/hex-cell", 10, (d) => onFile(render(setCell(d, mrBase(d), d.pick(["0x1", "0b1", "0o1"]))))),
    ...cases("mr/header-only", 15, (d) => onFile(`${mrBase(d).header.join(",")}${d.pick(["", "\n", "\n\n"])}`)),
    ...cases("mr/empty-file", 10, (d) => onFile(d.pick(["", "\n", "\r\n", "\n\n"]))),
    ...cases("mr/ragged-row", 20, (d) => {
      const t = copy(mrBase(d));
      const row = t.rows[d.int(0, t.rows.length - 1)] as string[];
      if (d.chance(0.5)) row.push("0.1");
      else row.pop();
      return onFile(render(t));
    }),
    ...cases("mr/bad-flags", 25, (d) => {
      const t = mrBase(d);
      const flag = d.pick([
        ["--convention", d.pick(["nope", "twosamplemr", ""])],
        [d.pick(["--bx", "--sx", "--by", "--sy"]), d.pick(["nocol", "SNP2", "beta"])],
        ["--bogus"],
        ["$DIR/summary.csv"],
        ["--json=yes"],
      ]);
      return onFile(render(t), flag);
    }),
  ];
}
