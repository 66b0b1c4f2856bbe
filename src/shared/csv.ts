/** A spreadsheet would read these as the start of a formula (CSV injection, OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[;"\r\n]/;

/**
 * One cell: a text a spreadsheet would run as a formula gets a leading `'`, and a text holding the
 * separator, a quote or a line break is quoted (RFC 4180, quotes doubled).
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows as CSV the way Norwegian spreadsheets open it by a double click: `;` between cells (the
 * decimal comma's locales use it), CRLF between rows, and a byte order mark so Excel reads UTF-8.
 */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return '\ufeff' + rows.map((row) => row.map(csvCell).join(';') + '\r\n').join('');
}
