/**
 * RFC 4180 CSV writing, safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a
 * tab or a carriage return is prefixed with `'` (so it is text, never a formula), and a cell holding
 * `"`, `,`, CR or LF is quoted with its quotes doubled. Lines end with CRLF.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell. */
export function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * One line (with its CRLF).
 *
 * @example
 *   csvLine(['RET-1', '=HYPERLINK("x")']); // 'RET-1,"\'=HYPERLINK(""x"")"\r\n'
 */
export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
