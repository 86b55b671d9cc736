// Tables as users take them away: CSV (RFC 4180), Markdown and LaTeX, from one plain description, so every
// table the app shows exports the same way from the UI and from the command line.
import type { TableFormat } from '../../preload/contract';
import { AppFailure } from './errors';

export type { TableFormat };

export type Cell = string | number | null;

export interface Table {
  /** Used for the LaTeX caption and the exported file's name. */
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Digits after the point for numbers (default 3). */
  digits?: number;
}

const text = (cell: Cell, digits: number) =>
  cell === null ? '' : typeof cell === 'number' ? (Number.isInteger(cell) ? String(cell) : cell.toFixed(digits)) : cell;

/**
 * A text cell that a spreadsheet would read as a formula (OWASP's CSV injection list: = + - @, tab and carriage
 * return first) gets a leading single quote, so `=HYPERLINK(...)` from a model's text or a file shows as text and
 * never runs. Every text cell is treated so, even one that reads as a number ("-2"): text is text. Numbers the app
 * itself writes (number cells) are digits, not formulas, and stay plain so -0.25 still sums in a spreadsheet.
 */
/** Text that was already quoted so ('=x) gets one more quote, so that `unneutralised` gives every text back exactly. */
const FORMULA_START = /^'*[=+\-@\t\r]/;

function csvField(value: string, isText: boolean): string {
  const safe = isText && FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A text cell as it was before csvField neutralised it (for files the app reads back, such as exported pairs). */
export function unneutralised(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** One CSV record (no line break), text cells neutralised as in formatTable. */
export function csvLine(row: Cell[], digits = 3): string {
  return row.map((c) => csvField(text(c, digits), typeof c === 'string')).join(',');
}

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}', '&': '\\&', '%': '\\%', $: '\\$', '#': '\\#', _: '\\_', '{': '\\{', '}': '\\}',
  '~': '\\textasciitilde{}', '^': '\\textasciicircum{}',
};
const latex = (value: string) => value.replace(/[\\&%$#_{}~^]/g, (c) => LATEX_SPECIALS[c]);

export function formatTable(table: Table, format: TableFormat): string {
  const digits = table.digits ?? 3;
  const cells = table.rows.map((row) => row.map((c) => text(c, digits)));
  switch (format) {
    case 'csv':
      return [csvLine(table.columns, digits), ...table.rows.map((row) => csvLine(row, digits))].join('\r\n') + '\r\n';
    case 'md': {
      const escape = (v: string) => v.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
      const numeric = table.columns.map((_, i) => table.rows.length > 0 && table.rows.every((r) => r[i] === null || typeof r[i] === 'number'));
      return [
        `| ${table.columns.map(escape).join(' | ')} |`,
        `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
        ...cells.map((row) => `| ${row.map(escape).join(' | ')} |`),
      ].join('\n') + '\n';
    }
    case 'latex': {
      const align = table.columns.map((_, i) => (table.rows.length > 0 && table.rows.every((r) => r[i] === null || typeof r[i] === 'number') ? 'r' : 'l')).join('');
      return [
        '\\begin{table}[t]', '\\centering', `\\begin{tabular}{${align}}`, '\\hline',
        `${table.columns.map(latex).join(' & ')} \\\\`, '\\hline',
        ...cells.map((row) => `${row.map(latex).join(' & ')} \\\\`),
        '\\hline', '\\end{tabular}', `\\caption{${latex(table.title)}}`, '\\end{table}',
      ].join('\n') + '\n';
    }
    case 'json':
      return JSON.stringify(table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i]]))), null, 2) + '\n';
  }
}

/** A file name users can find later: what it is, where from, and when. */
export function exportFileName(parts: string[], extension: string, date = new Date()): string {
  const slug = parts.map((p) => p.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')).filter(Boolean).join('_');
  return `${slug}_${date.toISOString().slice(0, 10)}.${extension}`;
}

/** File extension and MIME type of each table format. */
export const TABLE_FILE_TYPES: Record<TableFormat, { extension: string; mime: string }> = {
  csv: { extension: 'csv', mime: 'text/csv;charset=utf-8' },
  md: { extension: 'md', mime: 'text/markdown;charset=utf-8' },
  latex: { extension: 'tex', mime: 'application/x-latex;charset=utf-8' },
  json: { extension: 'json', mime: 'application/json;charset=utf-8' },
};

/** A table as a file to save: its text in the format and a name users can find later. */
export function tableFile(table: Table, format: TableFormat, nameParts: string[]): { fileName: string; content: string; mime: string } {
  const type = TABLE_FILE_TYPES[format];
  if (!type) throw new AppFailure('INVALID', `Export as csv, md, latex or json, not ${JSON.stringify(format)}.`);
  return { fileName: exportFileName(nameParts, type.extension), content: formatTable(table, format), mime: type.mime };
}
