import { expect } from "vitest";
import type { CliResult } from "./cli.js";

/**
 * Asserts how the CLI failed: the exit code (2 input, 1 environment), exactly one stderr line
 * matching `re`, no stack trace and nothing on stdout.
 */
export function expectOneLineError(r: CliResult, code: 1 | 2, re: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr.trimEnd()).toMatch(re);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(r.stdout).toBe("");
}
