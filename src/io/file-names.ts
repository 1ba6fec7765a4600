import { extname } from "node:path";

/** Whether a file name says it is gzip-compressed (`.gz`, any case). */
export function isGzipped(path: string): boolean {
  return /\.gz$/i.test(path);
}

/** Whether a file name says its text is tab-separated: `.tsv` or `.tab`, also before `.gz`. */
export function isTabSeparatedName(path: string): boolean {
  const ext = extname(isGzipped(path) ? path.slice(0, -3) : path).toLowerCase();
  return ext === ".tsv" || ext === ".tab";
}
