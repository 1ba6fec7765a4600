import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import seedrandom from "seedrandom";
import { getCore } from "../src/core/load.js";
import { numericFrame } from "../src/io/columns.js";
import { openNumericTable } from "../src/io/numeric-reader.js";
import { readTable } from "../src/io/read-table.js";
import { kernelSeconds } from "./read-lines.js";

const PYTHON = "/usr/bin/python3";
const COLUMNS = 100;

/** A kind of numeric file: how each cell of a row is written. */
interface Kind {
  name: string;
  label: string;
  cell: (j: number, rng: () => number) => string;
}

const KINDS: readonly Kind[] = [
  {
    name: "genotypes",
    label: "X, Y as shortest round-trip doubles (16-17 digits), 8 covariates to 6 digits, 90 genotypes 0/1/2",
    cell: (j, rng) =>
      j < 2 ? String(rng() - 0.5) : j < 10 ? ((rng() - 0.5) * 50).toPrecision(6) : String(Math.floor(rng() * 3)),
  },
  {
    name: "doubles",
    label: "100 columns of shortest round-trip doubles (16-17 digits, as mrsweep simulate writes them)",
    cell: (_, rng) => String((rng() - 0.5) * 10),
  },
];

/** Writes the CSV of `kind` with n rows and its gzipped copy; returns both paths. */
function writeFiles(dir: string, kind: Kind, n: number): [string, string] {
  const rng = seedrandom(`bench read ${kind.name}`);
  const parts = [`${Array.from({ length: COLUMNS }, (_, j) => `c${j}`).join(",")}\n`];
  for (let i = 0; i < n; i++) {
    const row = new Array<string>(COLUMNS);
    for (let j = 0; j < COLUMNS; j++) row[j] = kind.cell(j, rng);
    parts.push(`${row.join(",")}\n`);
  }
  const text = Buffer.from(parts.join(""));
  const plain = join(dir, `${kind.name}.csv`);
  writeFileSync(plain, text);
  writeFileSync(`${plain}.gz`, gzipSync(text));
  return [plain, `${plain}.gz`];
}

/** CPU seconds of this process (user + system, every thread: gunzip runs on libuv's pool). */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * CPU seconds to read every column of `file` as numbers with mrsweep's reader (`inCore`: columns
 * in the core, filled by its line kernel); checks the shape.
 */
async function mrsweepSeconds(file: string, n: number, inCore = false): Promise<number> {
  const core = inCore ? getCore() : undefined;
  const mark = core?.wasm.mark();
  const t0 = cpuSeconds();
  const table = await openNumericTable(file, "bench");
  const data = await table.read(table.names, { core });
  const s = cpuSeconds() - t0;
  if (mark !== undefined) core?.wasm.reset(mark);
  if (data.n !== n || data.columns.length !== COLUMNS) throw new Error(`bench: read ${data.n} rows of ${file}`);
  return s;
}

/** CPU seconds of the reader fit used before (fast-csv rows of strings, then numericFrame). */
async function stringSeconds(file: string): Promise<number> {
  const t0 = cpuSeconds();
  const table = await readTable(file, "bench");
  numericFrame(table, table.names);
  return cpuSeconds() - t0;
}

/** pandas' read_csv seconds per file, or the reason there are none. */
function pandasSeconds(files: string[]): Record<string, [number, number, number]> | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ["-c", "import pandas"], { encoding: "utf8" });
  if (probe.status !== 0) return `pandas does not import in ${PYTHON} (apt-get install python3-pandas)`;
  const r = spawnSync(PYTHON, [join("bench", "read_csv_pandas.py"), ...files], { encoding: "utf8" });
  if (r.status !== 0) return `the pandas script failed: ${r.stderr.trim().split("\n").at(-1)}`;
  return JSON.parse(r.stdout) as Record<string, [number, number, number]>;
}

/**
 * Reading a generated CSV of n rows x 100 numeric columns and its gzipped copy (MB of
 * uncompressed text per CPU second: on a shared machine wall time mostly measures the neighbours),
 * mrsweep's numeric reader against pandas.read_csv in one run, one read each after the file was
 * written (so from the page cache). With `strings`, the string reader fit
 * used before, on the first plain file only (it is slow).
 */
export async function benchReadCsv(n: number, strings = true): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-bench-read-"));
  try {
    const files = KINDS.map((k) => writeFiles(dir, k, n));
    const ours = new Map<string, number>();
    const inCore = new Map<string, number>();
    for (const f of files.flat()) {
      ours.set(f, await mrsweepSeconds(f, n));
      inCore.set(f, await mrsweepSeconds(f, n, true));
    }
    const kernel = files.map(([plain]) => [kernelSeconds(plain, n), kernelSeconds(plain, n, true)]);
    const before = strings ? await stringSeconds(files[0]?.[0] as string) : undefined;
    const pandas = pandasSeconds(files.flat());
    const lines = [
      `Reading CSV, n = ${n} x ${COLUMNS} columns (MB of uncompressed text per CPU second; one read each):`,
    ];
    if (typeof pandas === "string") lines.push(`  pandas skipped: ${pandas}`);
    KINDS.forEach((kind, k) => {
      const [plain] = files[k] as [string, string];
      const mb = statSync(plain).size / 1e6;
      lines.push(`  ${kind.name} (${mb.toFixed(0)} MB): ${kind.label}`);
      for (const f of files[k] as [string, string]) {
        const s = ours.get(f) as number;
        const c = inCore.get(f) as number;
        const p = typeof pandas === "string" ? undefined : pandas[f]?.[0];
        const vs = p === undefined ? "" : `, pandas ${(mb / p).toFixed(1)} MB/s: ratio ${(p / s).toFixed(2)}x`;
        const cvs = p === undefined ? "" : `: ratio ${(p / c).toFixed(2)}x`;
        lines.push(`    ${f.endsWith(".gz") ? ".csv.gz" : ".csv   "} mrsweep ${(mb / s).toFixed(1)} MB/s${vs}`);
        lines.push(`            with the core's line kernel ${(mb / c).toFixed(1)} MB/s${cvs}`);
      }
      const [simd, scalar] = kernel[k] as [number, number];
      lines.push(
        `    kernel alone (bytes in memory): ${(mb / simd).toFixed(1)} MB/s, scalar twin ${(mb / scalar).toFixed(1)} MB/s`,
      );
      if (k === 0 && before !== undefined)
        lines.push(`    .csv    string reader (fast-csv + numericFrame, before) ${(mb / before).toFixed(1)} MB/s`);
    });
    return lines.join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
