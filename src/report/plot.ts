import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SweepConfig } from "../sweep/config.js";
import { openRun, type RunManifest } from "../sweep/manifest.js";
import { readCsv } from "../sweep/outputs.js";
import { figures } from "./figures.js";
import { type Progress, reportHtml } from "./html.js";
import { writeFigure } from "./render.js";
import { summaryRows } from "./summary-rows.js";

/**
 * How far the run got: run.json's task counts when it has them, else the (cell, replicate) pairs in
 * replicates.csv out of the plan's (a sweep killed before it could write its end has no counts).
 */
function progressOf(run: RunManifest, config: SweepConfig, replicates: readonly string[][]): Progress {
  const tasks = run.tasks as { done?: unknown; total?: unknown } | undefined;
  const status = typeof run.status === "string" ? run.status : "unknown";
  if (typeof tasks?.done === "number" && typeof tasks.total === "number")
    return { status, done: tasks.done, total: tasks.total };
  const [head = [], ...rows] = replicates;
  const rep = head.indexOf("replicate");
  const done = new Set(rows.map((r) => `${r[0]}\t${r[rep]}`)).size;
  const cells = config.grid.reduce((m, [, values]) => m * values.length, 1);
  return { status, done, total: cells * config.replicates };
}

/**
 * `mrsweep plot`: writes every figure as SVG, and as PNG beside it (twice the size, for slides),
 * into DIR/figures/, and DIR/report.html with the figures inlined; returns the SVG files.
 */
export async function plotRun(dir: string): Promise<string[]> {
  const { run, config } = openRun("plot", dir);
  const axes = config.grid.map(([k]) => k);
  const summaryTable = await readCsv(join(dir, "summary.csv"));
  const replicates = await readCsv(join(dir, "replicates.csv"));
  const made = figures(config, summaryRows(summaryTable, axes), replicates, summaryTable[0] ?? []);
  mkdirSync(join(dir, "figures"), { recursive: true });
  const drawn: Array<{ file: string; title: string; svg: string }> = [];
  for (const f of made.figures)
    drawn.push({ file: f.file, title: f.title, svg: await writeFigure(join(dir, "figures", f.file), f.spec) });
  const progress = progressOf(run, config, replicates);
  writeFileSync(join(dir, "report.html"), reportHtml(run.config, summaryTable, drawn, made.skipped, progress));
  return made.figures.map((f) => join("figures", f.file));
}
