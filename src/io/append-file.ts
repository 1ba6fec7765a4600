import { appendFileSync, closeSync, openSync } from "node:fs";

/**
 * A file open for appending, written synchronously: each `append` is one write call that has
 * reached the operating system when it returns, so a crash right after loses nothing appended,
 * and no thread-pool write or stream buffer is involved (cheaper per call than a WriteStream).
 */
export class Appender {
  private readonly fd: number;

  constructor(private readonly path: string) {
    this.fd = openSync(path, "a");
  }

  /** Appends `text` whole; a failed write (ENOSPC ...) throws with the file's path attached. */
  append(text: string): void {
    if (text.length === 0) return;
    try {
      appendFileSync(this.fd, text);
    } catch (e) {
      throw Object.assign(e as Error, { path: this.path });
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
