import stringWidth from 'string-width';

export type Cell = string | number | boolean | null | undefined;

/** A list cell longer than this is cut: a table row stays one terminal line. */
const MAX_CELL_WIDTH = 48;

/** Columns padded to their widest cell, measured in terminal columns (a Chinese character takes two). */
export function formatTable(header: string[], rows: Cell[][]): string {
  const lines = [header, ...rows.map((row) => row.map((cell) => cut(shown(cell), MAX_CELL_WIDTH)))];
  const widths = header.map((_, column) => Math.max(...lines.map((line) => stringWidth(line[column] ?? ''))));
  return lines.map((line) => line.map((cell, column) => pad(cell, column === line.length - 1 ? 0 : widths[column] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** A record as `name  value` lines, values whole. */
export function formatFields(fields: Array<[string, Cell]>): string {
  const width = Math.max(...fields.map(([name]) => stringWidth(name)));
  return fields.map(([name, value]) => `${pad(name, width)}  ${shown(value)}`).join('\n');
}

/** Nothing is shown as "-", and a value keeps to one line. */
function shown(cell: Cell): string {
  if (cell === null || cell === undefined || cell === '') return '-';
  return String(cell).replace(/\s*\n\s*/g, ' ');
}

function cut(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let kept = '';
  for (const character of text) {
    if (stringWidth(kept + character) > width - 1) break;
    kept += character;
  }
  return `${kept}…`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}
