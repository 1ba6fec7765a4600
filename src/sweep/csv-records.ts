/**
 * Reading back a CSV file this tool wrote, robustly: records are parsed one at a time (RFC 4180
 * quoting, as fast-csv writes it), and a record that is malformed or does not have the expected
 * number of fields (an unbalanced quote, a line cut or pasted by hand) costs only its first line:
 * parsing starts again at the next line, so one damaged line never swallows the rest of the file.
 */

/** One record: its fields and the (1-based) line of the file it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** Records of `text` with `width` fields each, and the lines that could not be read as such. */
export interface CsvRecords {
  records: CsvRecord[];
  /** Lines dropped because no record of `width` fields starts there. */
  badLines: number[];
}

const QUOTE = 34;
const COMMA = 44;
const NEWLINE = 10;

/** Parses the record starting at `pos`; null if malformed or cut by the end of the text. */
function recordAt(text: string, pos: number): { fields: string[]; end: number } | null {
  const fields: string[] = [];
  let i = pos;
  for (;;) {
    let field = "";
    if (text.charCodeAt(i) === QUOTE) {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return null;
        field += text.slice(i, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      let j = i;
      while (j < text.length) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === NEWLINE) break;
        if (c === QUOTE) return null;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    fields.push(field);
    const c = text.charCodeAt(i);
    if (c === COMMA) i++;
    else if (c === NEWLINE) return { fields, end: i + 1 };
    else return null;
  }
}

/** Splits `text` (whole lines, each ending in a newline) into records of `width` fields. */
export function csvRecords(text: string, width: number): CsvRecords {
  const records: CsvRecord[] = [];
  const badLines: number[] = [];
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const r = recordAt(text, pos);
    if (r && r.fields.length === width) {
      records.push({ fields: r.fields, line });
      for (let k = pos; k < r.end; k++) if (text.charCodeAt(k) === NEWLINE) line++;
      pos = r.end;
    } else {
      badLines.push(line);
      const nl = text.indexOf("\n", pos);
      pos = nl < 0 ? text.length : nl + 1;
      line++;
    }
  }
  return { records, badLines };
}
