import { getCore } from "../../src/core/load.js";

// Generated lines for the line kernel's tests (assembly/io/read-lines.ts): random decimal cells of
// every shape, cells the kernel must leave to TypeScript, and an independent account of which
// lines the kernel may take.

/** A random run of `k` digits. */
function digits(rng: () => number, k: number): string {
  let s = "";
  for (let i = 0; i < k; i++) s += String(Math.floor(rng() * 10));
  return s;
}

/**
 * A random decimal string: signs, leading zeros, integer and fraction parts of 0-22 digits (so
 * 16-20 digit mantissas are common), exponents to +-350 (subnormals, overflow), or a double as
 * programs print it (shortest round trip, 17 digits, exponent form), or a subnormal.
 */
export function decimalText(rng: () => number): string {
  const r = rng();
  if (r < 0.25) {
    const x = (rng() - 0.5) * 10 ** Math.floor(rng() * 40 - 20);
    const f = rng();
    if (f < 0.5) return String(x);
    if (f < 0.8) return x.toPrecision(1 + Math.floor(rng() * 21));
    return x.toExponential(Math.floor(rng() * 20));
  }
  if (r < 0.3)
    return `${rng() < 0.5 ? "-" : ""}${digits(rng, 1 + Math.floor(rng() * 20))}e-${300 + Math.floor(rng() * 40)}`;
  if (r < 0.35) return String(Math.floor(rng() * 3));
  const sign = rng() < 0.2 ? "-" : rng() < 0.05 ? "+" : "";
  const zeros = rng() < 0.1 ? "0".repeat(1 + Math.floor(rng() * 4)) : "";
  const int = digits(rng, Math.floor(rng() * (rng() < 0.5 ? 6 : 22)));
  const frac = rng() < 0.7 ? `.${digits(rng, Math.floor(rng() * (rng() < 0.5 ? 6 : 22)))}` : "";
  const e = rng();
  const exp =
    e < 0.5
      ? ""
      : `${rng() < 0.5 ? "e" : "E"}${rng() < 0.4 ? "-" : rng() < 0.1 ? "+" : ""}${Math.floor(rng() * (e < 0.8 ? 23 : 351))}`;
  return `${sign}${zeros}${int}${frac}${exp}`;
}

/** Wanted cells the kernel must leave to TypeScript (bad cells, or numbers only Number() decides). */
export const REFUSED_CELLS = [
  "",
  " ",
  "NA",
  "nan",
  "0x1F",
  "Infinity",
  "-Infinity",
  "1e400",
  "1e-400",
  "5e-324",
  "12345678901234567890",
  "0.12345678901234567890",
  "1_0",
  "1e",
  "1e+",
  ".",
  "-",
  "+",
  "e5",
  "1.2.3",
  "1 2",
  "--1",
  '"1"',
  "\u00a01",
  "1\u00a0",
  "\u20001",
  "é",
  "1\u0000",
];

/** Unwanted cells: text of any kind the kernel skips (a double quote only in QUOTED_CELLS). */
const TEXT_CELLS = ["x", "", " ", "NA", "ID_0042", "é€", "a b\tc", "0x1F", "long text with many words in it", "\u00a0"];

/** What String.prototype.trim removes among the bytes the kernel trims (\t only when it is not the delimiter). */
function trimAscii(text: string, delimiter: string): string {
  const space = delimiter === "\t" ? "[ \\v\\f]" : "[ \\t\\v\\f]";
  return text.replace(new RegExp(`^${space}+|${space}+$`, "g"), "");
}

const GRAMMAR = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The value the kernel must write for a wanted cell, or undefined when it must refuse the cell:
 * Number() of the trimmed text when it is a decimal with at most 19 significant digits whose value
 * Clinger's path (<= 15 digits, |exponent| <= 22) or Eisel-Lemire (the core's, tested against
 * Number() on its own) decides, zero included. Computed from the text, not by the code under test.
 */
export function kernelValue(cell: string, delimiter: string): number | undefined {
  const t = trimAscii(cell, delimiter);
  if (!DECIMAL.test(t)) return undefined;
  const [, sign, int, frac, written] = GRAMMAR.exec(t) as RegExpExecArray;
  const significant = `${int}${frac}`.replace(/^0+/, "");
  if (significant === "") return Number(t);
  if (significant.length > 19) return undefined;
  const exp = Number(written ?? "0") - (frac as string).length;
  if (significant.length <= 15 && exp >= -22 && exp <= 22) return Number(t);
  const m = BigInt(significant);
  const v = getCore().wasm.eisel_lemire(Number(m >> 32n), Number(m & 0xffffffffn), exp, sign === "-" ? 1 : 0);
  return Number.isNaN(v) ? undefined : v;
}

/** One generated line: its text (without the row delimiter) and what the kernel must do with it. */
export interface Line {
  text: string;
  end: string;
  /** The values of the wanted fields in slot order, or null when the kernel must stop before the line. */
  values: number[] | null;
}

/** A random file body of `count` lines with `slots` (field -> slot, -1 unwanted). */
export function randomLines(rng: () => number, count: number, slots: readonly number[], delimiter: string): Line[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  const spaces = delimiter === "\t" ? [" ", "  ", "\v", "\f"] : [" ", "\t", " \t", "\f"];
  const wanted = slots.filter((s) => s >= 0).length;
  const lines: Line[] = [];
  for (let i = 0; i < count; i++) {
    const end = pick(["\n", "\n", "\r\n", "\r"]);
    const r = rng();
    if (r < 0.005) {
      const text = pick(["", " ", "\t", "  "]);
      // A \r and the \n of an empty line after it would be one \r\n.
      const previous = lines.at(-1);
      if (text === "" && end !== "\r" && previous?.end === "\r") previous.end = "\r\n";
      lines.push({ text, end, values: null });
      continue;
    }
    const width = r < 0.01 ? slots.length + (rng() < 0.5 ? 1 : -1) : slots.length;
    const values: Array<number | undefined> = new Array(wanted);
    let plain = width === slots.length;
    const cells = Array.from({ length: width }, (_, f) => {
      const slot = f < slots.length ? (slots[f] as number) : -1;
      if (slot < 0) {
        if (rng() < 0.003) {
          plain = false;
          return pick(['"x"', 'a"b', '"']);
        }
        return pick(TEXT_CELLS).replaceAll(delimiter, "_");
      }
      let cell = rng() < 0.01 ? pick(REFUSED_CELLS) : decimalText(rng);
      if (rng() < 0.1) cell = `${pick(spaces)}${cell}`;
      if (rng() < 0.1) cell = `${cell}${pick(spaces)}`;
      const v = kernelValue(cell, delimiter);
      if (v === undefined) plain = false;
      values[slot] = v;
      return cell;
    });
    const text = cells.join(delimiter);
    // A line of blanks only, whatever its width, is not data: TypeScript decides what it is.
    if (text.trim() === "" || text.includes("\r") || text.includes("\n")) plain = false;
    lines.push({ text, end, values: plain ? (values as number[]) : null });
  }
  return lines;
}
