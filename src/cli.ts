#!/usr/bin/env node
import { main } from "./main.js";

// A closed pipe (`mrsweep fit ... | head`) is the reader's choice, not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

// main never rejects: every error is already one line on stderr and an exit code.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
