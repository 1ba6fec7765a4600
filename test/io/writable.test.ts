import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MrsweepError } from "../../src/errors.js";
import { checkWritable } from "../../src/io/writable.js";

/** The error `checkWritable` throws for `path`, or undefined. */
function failure(path: string): MrsweepError | undefined {
  try {
    checkWritable("simulate", path);
  } catch (e) {
    return e as MrsweepError;
  }
  return undefined;
}

/** Whether this process can write into a folder whose mode forbids it (root can). */
function writesIgnoreModes(): boolean {
  const d = mkdtempSync(join(tmpdir(), "mrsweep-mode-"));
  chmodSync(d, 0o555);
  try {
    writeFileSync(join(d, "x"), "");
    return true;
  } catch {
    return false;
  }
}

describe("checkWritable", () => {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-writable-"));

  it("accepts a new file, an existing file, and a path whose parent folders are missing, creating nothing", () => {
    writeFileSync(join(dir, "old.csv"), "a\n1\n");
    for (const path of [join(dir, "new.csv"), join(dir, "old.csv"), join(dir, "a", "b", "c.csv")])
      expect(failure(path)).toBeUndefined();
    expect(readdirSync(dir)).toEqual(["old.csv"]);
  });

  const cases: Array<[string, () => string, RegExp]> = [
    [
      "a folder",
      () => {
        mkdirSync(join(dir, "folder.csv"), { recursive: true });
        return join(dir, "folder.csv");
      },
      /^simulate: ".*folder\.csv" must be writable; got EISDIR \(it is a folder\)$/,
    ],
    [
      "a path under a file",
      () => {
        writeFileSync(join(dir, "plain.txt"), "");
        return join(dir, "plain.txt", "sub", "x.csv");
      },
      /^simulate: ".*plain\.txt\/sub\/x\.csv" must be writable; got ENOTDIR \(a path component is not a folder\)$/,
    ],
    ["a device", () => "/dev/null", /^simulate: "\/dev\/null" must be writable; got it is not a regular file/],
  ];
  for (const [what, make, re] of cases) {
    it(`refuses ${what} with one errors.fileSystem line (kind environment)`, () => {
      const e = failure(make());
      expect(e).toBeInstanceOf(MrsweepError);
      expect(e?.kind).toBe("environment");
      expect(e?.message).toMatch(re);
    });
  }

  it.skipIf(writesIgnoreModes())(
    "refuses a read-only folder (skipped when running as root, whom modes do not stop)",
    () => {
      const ro = mkdtempSync(join(tmpdir(), "mrsweep-ro-"));
      chmodSync(ro, 0o555);
      expect(failure(join(ro, "x.csv"))?.message).toMatch(/must be writable; got EACCES \(permission denied\)$/);
      expect(failure(join(ro, "sub", "x.csv"))?.message).toMatch(/got EACCES/);
      expect(existsSync(join(ro, "x.csv"))).toBe(false);
    },
  );
});
