import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import type { Core } from "../../src/core/memory.js";
import { LineKernel, READ_END, READ_FULL, READ_REFUSED } from "../../src/io/line-kernel.js";
import { kernelValue, type Line, REFUSED_CELLS, randomLines } from "../helpers/line-corpus.js";

function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)] as T;
}

/**
 * Runs the kernel over the lines as ByteRows does (skipping each line it leaves, as if TypeScript
 * had taken it) and returns the first disagreement with the lines' own account, or null: a line
 * taken that must be left, a stop anywhere but before a line that must be left, a value that is not
 * bit for bit the expected one (Object.is: -0 and 0 differ).
 */
function firstDisagreement(
  core: Core,
  lines: readonly Line[],
  slots: readonly number[],
  delimiter: string,
  scalar: boolean,
) {
  const bytes = Buffer.from(lines.map((l) => l.text + l.end).join(""));
  const starts = [0];
  for (const l of lines) starts.push((starts.at(-1) as number) + Buffer.byteLength(l.text + l.end));
  const total = bytes.length;
  const wanted = Math.max(...slots) + 1;
  const stride = lines.length + 1;
  const ptr = core.alloc(wanted * stride);
  const kernel = LineKernel.for(core, delimiter.charCodeAt(0), Int32Array.from(slots), scalar) as LineKernel;
  kernel.begin();
  const taken: number[] = [];
  let at = 0;
  let pos = 0;
  while (pos < total) {
    const stop = kernel.run(bytes, pos, total, { ptr, stride, row0: taken.length, maxRows: stride - taken.length });
    for (let k = 0; k < kernel.rows; k++, at++) {
      if ((lines[at] as Line).values === null) return `took line ${at}: ${JSON.stringify(lines[at]?.text)}`;
      taken.push(at);
    }
    if (stop !== starts[at]) return `stopped at byte ${stop}, not at the start of line ${at} (${starts[at]})`;
    if (stop >= total) break;
    const last = at === lines.length - 1 && lines[at]?.end === "\r";
    if ((lines[at] as Line).values !== null && !last)
      return `stopped before line ${at}, which it must take: ${JSON.stringify(lines[at]?.text)}`;
    pos = starts[++at] as number;
  }
  const heap = core.heap;
  for (let r = 0; r < taken.length; r++) {
    const line = lines[taken[r] as number] as Line;
    for (let s = 0; s < wanted; s++) {
      const got = heap[(ptr >>> 3) + s * stride + r];
      const want = (line.values as number[])[s];
      if (!Object.is(got, want))
        return `line ${taken[r]} ${JSON.stringify(line.text)} slot ${s}: got ${got}, want ${want}`;
    }
  }
  return { taken: taken.length, left: lines.length - taken.length };
}

/** firstDisagreement in a scope of the thread's core. */
function check(lines: readonly Line[], slots: readonly number[], delimiter: string, scalar = false) {
  const core = getCore();
  const result = core.scoped(firstDisagreement, core, lines, slots, delimiter, scalar);
  if (typeof result === "string") expect.fail(result);
  return result;
}

describe("read_lines (assembly/io/read-lines.ts): the lines ByteRows.line would take, with its values bit for bit", () => {
  it("on 1,000,000 random decimal cells in CSV lines with text fields, bad cells, blanks, ragged rows, \\n \\r\\n \\r", () => {
    const rng = seedrandom("read-lines csv");
    let taken = 0;
    let left = 0;
    for (let round = 0; round < 5; round++) {
      const slots = round % 2 === 0 ? [0, 1, -1, 2, 3] : [-1, 3, 2, 1, -1, 0];
      const result = check(randomLines(rng, 50_000, slots, ","), slots, ",");
      taken += result.taken;
      left += result.left;
    }
    // The corpus must exercise both sides (20+ digit mantissas and subnormals are common in it).
    expect(taken).toBeGreaterThan(80_000);
    expect(left).toBeGreaterThan(80_000);
  });

  it("on TSV lines (the tab is the delimiter, not trimmed; spaces, \\v and \\f are)", () => {
    const rng = seedrandom("read-lines tsv");
    const slots = [2, -1, 0, 1];
    expect(check(randomLines(rng, 50_000, slots, "\t"), slots, "\t").left).toBeGreaterThan(500);
  });

  it("the scalar twin agrees on the same corpus", () => {
    const rng = seedrandom("read-lines scalar");
    const slots = [0, -1, 1];
    expect(check(randomLines(rng, 30_000, slots, ","), slots, ",", true).left).toBeGreaterThan(300);
  });

  it("on genotype lines (runs of one-digit fields, taken eight at a time) with other cells among them", () => {
    const rng = seedrandom("read-lines genotypes");
    for (const delimiter of [",", "\t"]) {
      let next = 0;
      const slots = Array.from({ length: 37 }, (_, j) => (j % 7 === 3 ? -1 : next++));
      const lines: Line[] = Array.from({ length: 20_000 }, () => {
        const cells = slots.map(() =>
          rng() < 0.003 ? pick(rng, ["12", " 1", "-1", "NA", "", "1.", "x"]) : String(Math.floor(rng() * 3)),
        );
        const values: number[] = [];
        let plain = true;
        cells.forEach((cell, j) => {
          const slot = slots[j] as number;
          if (slot < 0) return;
          const v = kernelValue(cell, delimiter);
          if (v === undefined) plain = false;
          values[slot] = v as number;
        });
        return { text: cells.join(delimiter), end: pick(rng, ["\n", "\r\n"]), values: plain ? values : null };
      });
      for (const scalar of [false, true]) expect(check(lines, slots, delimiter, scalar).left).toBeGreaterThan(500);
    }
  });

  const good = "1,2,3";
  it.each(REFUSED_CELLS.map((c) => [c]))(
    "stops exactly before a line with the wanted cell %j, takes the rest after it",
    (bad) => {
      const lines: Line[] = [
        { text: good, end: "\n", values: [1, 2, 3] },
        { text: `4,${bad},6`, end: "\n", values: null },
        { text: good, end: "\r\n", values: [1, 2, 3] },
      ];
      expect(check(lines, [0, 1, 2], ",")).toEqual({ taken: 2, left: 1 });
    },
  );

  it("stops before wrong field counts, blank lines, quotes in unwanted fields, an unfinished last line", () => {
    const lines: Line[] = [
      { text: "1,x,2", end: "\n", values: [1, 2] },
      { text: "1,x", end: "\n", values: null },
      { text: "1,x,2,3", end: "\n", values: null },
      { text: "  ", end: "\n", values: null },
      { text: "", end: "\r\n", values: null },
      { text: '1,"x",2', end: "\n", values: null },
      { text: "1,a\u00a0b,2", end: "\r", values: [1, 2] },
      { text: "1,x,2", end: "", values: null },
    ];
    expect(check(lines, [0, -1, 1], ",")).toEqual({ taken: 2, left: 6 });
  });
});

/** The kernel's raw results on `text` at byte offset `offset` of a core buffer. */
function raw(core: Core, text: Buffer, offset: number, slots: readonly number[], maxRows: number, scalar: boolean) {
  const buf = core.alloc(Math.ceil((text.length + offset + 16) / 8)) + offset;
  new Uint8Array(core.wasm.memory.buffer).set(text, buf);
  const table = core.alloc(slots.length);
  new Int32Array(core.wasm.memory.buffer, table, slots.length).set(slots);
  const size = (Math.max(...slots) + 1) * maxRows;
  const cols = core.alloc(size);
  const read = scalar ? core.wasm.read_lines_scalar : core.wasm.read_lines;
  const status = read(buf, text.length, 0x2c, table, slots.length, cols, maxRows, 0, maxRows);
  return {
    status,
    rows: core.wasm.read_lines_rows(),
    stop: core.wasm.read_lines_stop(),
    values: [...core.view(cols, size)],
  };
}

describe("read_lines and read_lines_scalar: the same on every length and offset", () => {
  it("text fields of 0-40 bytes around 16-byte steps, runs of one-digit fields, quotes and row ends anywhere, odd offsets", () => {
    const rng = seedrandom("read-lines twin");
    const core = getCore();
    const alphabet = 'abcdefgh     .-,,\n"\r0123';
    for (let round = 0; round < 3000; round++) {
      let text = "";
      const width = Math.floor(rng() * 20);
      for (let k = Math.floor(rng() * 5); k >= 0; k--) {
        let t = "";
        for (let i = Math.floor(rng() * 41); i > 0; i--) t += alphabet[Math.floor(rng() * alphabet.length)];
        const genotypes = Array.from({ length: width }, () => (rng() < 0.05 ? "x" : String(Math.floor(rng() * 3))));
        text += `${Math.floor(rng() * 100)},${t},${(rng() * 10).toFixed(3)}${genotypes.map((g) => `,${g}`).join("")}\n`;
      }
      const bytes = Buffer.from(text);
      const cut = bytes.subarray(0, Math.floor(rng() * (bytes.length + 1)));
      const offset = Math.floor(rng() * 16);
      const slots = [0, -1, 1, ...Array.from({ length: width }, (_, j) => (j % 5 === 4 ? -1 : j + 2))];
      const args = [cut, offset, slots, 8] as const;
      const simd = core.scoped(raw, core, ...args, false);
      const scalar = core.scoped(raw, core, ...args, true);
      expect(simd, JSON.stringify(cut.toString())).toEqual(scalar);
    }
  });

  it("reports the row limit (status 2) and where it stopped", () => {
    const core = getCore();
    const text = Buffer.from("1,x,2\n3,y,4\n5,z,6\n");
    expect(core.scoped(raw, core, text, 1, [0, -1, 1], 2, false)).toMatchObject({
      status: READ_FULL,
      rows: 2,
      stop: 12,
    });
    expect(core.scoped(raw, core, text, 1, [0, -1, 1], 3, false)).toMatchObject({
      status: READ_END,
      rows: 3,
      stop: 18,
    });
    const bad = Buffer.from("1,x,2\n3,y,NA\n");
    expect(core.scoped(raw, core, bad, 0, [0, -1, 1], 3, true)).toMatchObject({
      status: READ_REFUSED,
      rows: 1,
      stop: 6,
    });
    expect(core.scoped(raw, core, bad, 0, [-1, -1, -1], 3, true)).toMatchObject({
      status: READ_REFUSED,
      rows: 0,
      stop: 0,
    });
  });
});
