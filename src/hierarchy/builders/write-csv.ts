// Serializes hierarchy rows in ARX's file format: no header, `;` between fields, `\n` after every line.
// Fields holding `;`, `"` or a line break are quoted RFC 4180 style, with inner quotes doubled.

const NEEDS_QUOTES = /[;"\r\n]/;

export function writeHierarchyCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => `${row.map(quoteField).join(';')}\n`).join('');
}

function quoteField(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
