/**
 * The sbatch array script `mrsweep slurm submit` writes into the run folder: plain bash with
 * #SBATCH lines, meant to be read and edited (module loads, a scratch folder, other resources);
 * `slurm resubmit` submits the same file again for the shards left.
 */

/** What goes into the script. */
export interface ScriptSpec {
  /** The job's name (the preset or configuration file's name). */
  name: string;
  /** Absolute run folder. */
  dir: string;
  /** The folder of the tasks' logs, inside the run folder (created before submitting). */
  logs: string;
  /** Absolute path of the resolved configuration the shards run (written beside the script). */
  configFile: string;
  shards: number;
  cpusPerTask: number;
  /** `#SBATCH` options: the named flags (--partition=…) and every --sbatch-arg, in order. */
  options: readonly string[];
  /** Further sweep flags every shard takes (--units, --max-failures N …). */
  sweepFlags: readonly string[];
  /** The Node.js binary and mrsweep's CLI (this installation's; on a cluster, a shared file system). */
  node: string;
  cli: string;
}

/** A word as bash reads it back (quoted only when needed). */
export function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`;
}

/** The script's text. */
export function sbatchScript(s: ScriptSpec): string {
  const sbatch = [
    `--job-name=${s.name}`,
    `--array=1-${s.shards}`,
    `--cpus-per-task=${s.cpusPerTask}`,
    `--output=${s.dir}/${s.logs}/%A_%a.out`,
    ...s.options,
  ];
  const sweep = [
    shellWord(s.node),
    shellWord(s.cli),
    "sweep",
    "--config",
    shellWord(s.configFile),
    "--out",
    shellWord(s.dir),
    ...s.sweepFlags.map(shellWord),
    `--shard "$SLURM_ARRAY_TASK_ID/${s.shards}"`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's parameter expansion, not a template
    '--threads "${SLURM_CPUS_PER_TASK:-1}"',
  ];
  return [
    "#!/bin/bash",
    `# mrsweep: ${s.name} as ${s.shards} shards, one per array task. Written by mrsweep slurm submit;`,
    "# edit freely (partition, time, modules): mrsweep slurm resubmit submits this file again,",
    "# with --array set to the shards that are missing, incomplete or failed.",
    ...sbatch.map((o) => `#SBATCH ${o}`),
    "set -euo pipefail",
    "# Array indices count from 1: task I runs shard I of N (resumable: a rerun finishes it).",
    `exec ${sweep.join(" ")}`,
    "",
  ].join("\n");
}
