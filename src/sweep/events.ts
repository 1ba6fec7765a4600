/** What a running sweep reports; reporters (Ink, plain lines) only listen to these. */
export type SweepEvent =
  | {
      type: "start";
      run: string;
      total: number;
      resumed: number;
      threads: number;
      cells: ReadonlyArray<{ id: string; label: string; tasks: number; done: number }>;
    }
  | { type: "task-start"; cell: number; replicate: number }
  /** A piece of a task (an inv_repr λ run, src/sweep/parts.ts) came back from a worker. */
  | { type: "part"; cell: number; replicate: number }
  | { type: "task"; cell: number; replicate: number; failed: number; seconds: number }
  | { type: "cell-done"; cell: number }
  | { type: "failure"; cellId: string; replicate: number; seed: number; estimator: string; message: string }
  | { type: "stopping"; reason: string }
  | { type: "note"; text: string }
  /** What the run does after its tasks (writing figures), for a screen that would sit at 100%. */
  | { type: "phase"; text: string }
  | {
      type: "end";
      status: "complete" | "stopped";
      done: number;
      total: number;
      failures: number;
      seconds: number;
      dir: string;
    };

/** A reporter: gets every event, and is closed once at the end (restoring the terminal). */
export interface Reporter {
  onEvent(e: SweepEvent): void;
  close(): void | Promise<void>;
}
