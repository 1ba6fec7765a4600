import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { simulateCommand } from "../../src/commands/simulate.js";
import { frame } from "../../src/data/frame.js";
import { MrsweepError } from "../../src/errors.js";
import { writeFrame, writeText } from "../../src/io/write-table.js";

/** Which writes fail with ENOSPC, as on a full disk: file streams, and writeFileSync. */
const full = vi.hoisted(() => ({ streams: false, writeFileSync: false }));

/** The error a write(2) on a full disk gives in Node: a code and a syscall, but no path. */
function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error("ENOSPC: no space left on device, write"), {
    code: "ENOSPC",
    errno: -28,
    syscall: "write",
  });
}

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  return {
    ...fs,
    // The stream opens (creates) its file for real; only its writes fail.
    createWriteStream: (...args: Parameters<typeof fs.createWriteStream>) => {
      const s = fs.createWriteStream(...args);
      if (full.streams) {
        s._write = (_chunk, _encoding, callback) => callback(enospc());
        s._writev = (_chunks, callback) => callback(enospc());
      }
      return s;
    },
    writeFileSync: (...args: Parameters<typeof fs.writeFileSync>) => {
      if (!full.writeFileSync) return fs.writeFileSync(...args);
      fs.writeFileSync(args[0], "");
      throw enospc();
    },
  };
});

afterEach(() => {
  full.streams = false;
  full.writeFileSync = false;
});

const data = frame([
  ["a", Float64Array.from([1, 2, 3]), true],
  ["b", Float64Array.from([0.5, -1, 2.25])],
]);

describe("a full disk", () => {
  it("writeFrame: one errors.fileSystem line naming the file, no temporary file, the old file intact", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-full-"));
    const path = join(dir, "d.csv");
    writeFileSync(path, "old\n");
    full.streams = true;
    const e = await writeFrame(path, data, "simulate").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MrsweepError);
    expect((e as MrsweepError).kind).toBe("environment");
    expect((e as Error).message).toBe(
      `simulate: ${JSON.stringify(path)} must be writable; got ENOSPC (no space left on device)`,
    );
    expect(readdirSync(dir)).toEqual(["d.csv"]);
    expect(readFileSync(path, "utf8")).toBe("old\n");
  });

  it("writeText, and without a command name the Node error names the file, not the temporary one", () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-full-"));
    const path = join(dir, "run.json");
    full.writeFileSync = true;
    expect(() => writeText(path, "{}\n", "demo")).toThrow(
      `demo: ${JSON.stringify(path)} must be writable; got ENOSPC (no space left on device)`,
    );
    const raw = (() => {
      try {
        writeText(path, "{}\n");
      } catch (x) {
        return x as NodeJS.ErrnoException;
      }
      return undefined;
    })();
    expect(raw).not.toBeInstanceOf(MrsweepError);
    expect(raw).toMatchObject({ code: "ENOSPC", path, syscall: "write" });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("simulate --out: one line, exit-code-1 kind, and nothing left in the folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-full-"));
    const out = join(dir, "sim", "d.csv");
    full.streams = true;
    const e = await simulateCommand(["--n", "40", "--L", "2", "--out", out]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MrsweepError);
    expect((e as MrsweepError).kind).toBe("environment");
    expect((e as Error).message).toMatch(
      /^simulate: ".*d\.csv" must be writable; got ENOSPC \(no space left on device\)$/,
    );
    expect(readdirSync(join(dir, "sim"))).toEqual([]);
  });
});
