import { appendFileSync, closeSync, openSync } from "node:fs";

/**
 * A file open for appending, written synchronously: each `append` is one write call that has
 * reached the operating system when it returns, so a crash right after loses nothing appended,
 * and no thread-pool write or stream buffer is involved (cheaper per call than a WriteStream).
 */
export class Appender {
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, "a");
  }

  /** Appends `text` whole. */
  append(text: string): void {
    if (text.length > 0) appendFileSync(this.fd, text);
  }

  close(): void {
    closeSync(this.fd);
  }
}
