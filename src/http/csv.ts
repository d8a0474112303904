// CSV for spreadsheets that staff open: RFC 4180 quoting, and no cell a spreadsheet would run as a
// formula (OWASP "CSV injection"): text starting with = + - @ tab or carriage return gets a leading
// apostrophe, so an audit target or detail an outsider wrote is shown, never evaluated.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
