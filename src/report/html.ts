/** Escapes text for HTML. */
function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

/** How far a run got, for the partial-run banner. */
export interface Progress {
  /** run.json's status: "complete", "stopped", "running" (killed before its end) or "unknown". */
  status: string;
  done: number;
  total: number;
}

/** The summary table's columns after the cell id and grid axes (those present in summary.csv). */
const SHOWN = [
  "estimator",
  "interval",
  "n_ok",
  "n_failed",
  "bias",
  "bias_mcse",
  "emp_se",
  "model_se",
  "mse",
  "mse_mcse",
  "coverage",
  "coverage_mcse",
  "rejection",
  "rejection_mcse",
  "best",
];

function fmt(v: string): string {
  const x = Number(v);
  return v === "NA" || !Number.isFinite(x) || Number.isInteger(x) ? v : x.toPrecision(4);
}

function summaryTable(summary: readonly string[][], grid: readonly string[]): string {
  const [header = [], ...rows] = summary;
  const cols = ["cell_id", ...grid, ...SHOWN].filter((c) => header.includes(c));
  const idx = cols.map((c) => header.indexOf(c));
  const best = header.indexOf("best");
  // Grid values are shown as summary.csv writes them (0.05, not 0.05000); measures to 4 digits.
  const measured = new Set(SHOWN.slice(2));
  const cell = (r: readonly string[], i: number) => {
    const v = r[i] ?? "";
    return `<td>${esc(measured.has(header[i] as string) ? fmt(v) : v)}</td>`;
  };
  return [
    `<thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead>`,
    ...rows.map((r) => `<tr${r[best] === "1" ? ' class="best"' : ""}>${idx.map((i) => cell(r, i)).join("")}</tr>`),
  ].join("\n");
}

/**
 * A figure's SVG made safe to inline beside others: vega numbers its clip paths and gradients from
 * 1 in every SVG, so ids are prefixed per figure, or every figure would clip by the first's paths.
 */
function inlined(svg: string, prefix: string): string {
  return svg
    .replace(/<\?xml[^>]*>/, "")
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`);
}

function banner(p: Progress): string {
  if (p.status === "complete") return "";
  return `<p class="partial" id="partial-run"><strong>Partial run: ${p.done} of ${p.total} tasks</strong> (run.json status: ${esc(p.status)}). The summary and figures cover only the finished tasks; re-run the same sweep command to resume.</p>\n`;
}

const STYLE = `body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 1400px; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
.table-wrap { max-height: 32rem; overflow: auto; display: inline-block; }
thead th { position: sticky; top: 0; background: #fff; }
tr.best td { font-weight: bold; background: #eef7ee; }
.partial { background: #fff3cd; border: 2px solid #d39e00; padding: 0.6rem 1rem; font-size: 1.1rem; }
figure { margin: 1.5rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.85rem; }
pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; }`;

/**
 * The one-page report, self-contained: a partial-run banner where the run did not finish, the
 * summary table (grid axes + the main measures), every figure inlined as SVG, figures not drawn
 * and why, and the configuration folded at the end.
 */
export function reportHtml(
  config: Record<string, unknown>,
  summary: readonly string[][],
  figures: ReadonlyArray<{ file: string; title: string; svg: string }>,
  skipped: readonly string[],
  progress: Progress,
): string {
  const grid = Object.keys((config.grid as Record<string, unknown>) ?? {});
  const figs = figures
    .map(
      (f, i) =>
        `<figure id="${esc(f.file.replace(/\.svg$/, ""))}">\n${inlined(f.svg, `f${i + 1}`)}\n<figcaption>${esc(f.title)} (figures/${esc(f.file)}, PNG beside it)</figcaption></figure>`,
    )
    .join("\n");
  const notDrawn = skipped.length
    ? `<h3>Not drawn</h3>\n<ul>${skipped.map((s) => `<li>${esc(s)}</li>`).join("")}</ul>\n`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mrsweep report${progress.status === "complete" ? "" : " (partial run)"}</title>
<style>
${STYLE}
</style></head>
<body>
<h1>mrsweep report</h1>
${banner(progress)}<h2 id="summary">Summary</h2>
<p>Per cell and estimator, with Monte Carlo standard errors (_mcse); coverage only for confidence intervals (see <code>interval</code>); rejection at α = 0.05; the best estimator of each cell (lowest MSE on the replicates where all succeeded) in bold. Every measure is in summary.csv.</p>
<div class="table-wrap"><table id="summary-table">
${summaryTable(summary, grid)}
</table></div>
<h2 id="figures">Figures</h2>
${figs}
${notDrawn}<details id="configuration"><summary>Configuration</summary>
<pre>${esc(JSON.stringify(config, null, 2))}</pre>
</details>
</body></html>
`;
}
