import { InvalidInputError } from '../errors.js';
import type { ProductRow, UnitsSoldRow } from './footprint.js';

/**
 * Small RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF). The first row is the header;
 * column names are matched without case, spaces, `_` or `-` (`product_id` = `Product ID` = `productId`).
 */
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f.trim() !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  if (quoted) throw new InvalidInputError('CSV_INVALID', 'unterminated quoted field');
  row.push(field);
  if (row.some((f) => f.trim() !== '')) rows.push(row);
  const [header, ...body] = rows;
  if (header === undefined) return [];
  const names = header.map((h) =>
    h
      .replace(/^\uFEFF/, '')
      .toLowerCase()
      .replace(/[\s_-]/g, ''),
  );
  return body.map((cells, r) => {
    if (cells.length !== names.length)
      throw new InvalidInputError(
        'CSV_INVALID',
        `row ${r + 2} has ${cells.length} fields, the header ${names.length}`,
        `/${r}`,
      );
    return Object.fromEntries(names.map((n, i) => [n, (cells[i] ?? '').trim()]));
  });
}

function column(record: Record<string, string>, names: string[], path: string): string {
  for (const name of names) {
    const value = record[name];
    if (value !== undefined && value !== '') return value;
  }
  throw new InvalidInputError('MISSING_FIELD', `${path}: column ${names[0]} is required`, path);
}

function count(text: string, path: string): number {
  if (!/^\d+$/.test(text))
    throw new InvalidInputError(
      'INVALID_FIELD',
      `${path} must be a whole number of units, got ${JSON.stringify(text)}`,
      path,
    );
  return Number(text);
}

/**
 * The products table: `productId,period,unitsSold,kgPerUnit[,name]` (`period` may be left out
 * when `defaultPeriod` is given). kgPerUnit stays decimal text, so nothing is rounded.
 *
 * @example productsFromCsv('productId,period,unitsSold,kgPerUnit\nhttps://id.example/01/1,2026,2800,8.9\n')
 */
export function productsFromCsv(text: string, defaultPeriod?: string): ProductRow[] {
  return parseCsv(text).map((r, i) => {
    const name = r.name;
    return {
      productId: column(r, ['productid', 'product'], `/${i}/productId`),
      period: r.period || defaultPeriod || column(r, ['period'], `/${i}/period`),
      unitsSold: count(column(r, ['unitssold', 'units'], `/${i}/unitsSold`), `/${i}/unitsSold`),
      kgPerUnit: column(r, ['kgperunit', 'kg'], `/${i}/kgPerUnit`),
      ...(name ? { name } : {}),
    };
  });
}

/** The units-sold table: `productId,period,units`. */
export function unitsSoldFromCsv(text: string, defaultPeriod?: string): UnitsSoldRow[] {
  return parseCsv(text).map((r, i) => ({
    productId: column(r, ['productid', 'product'], `/${i}/productId`),
    period: r.period || defaultPeriod || column(r, ['period'], `/${i}/period`),
    units: count(column(r, ['units', 'unitssold'], `/${i}/units`), `/${i}/units`),
  }));
}

/** Renders a footprint's lines as a products CSV (the equivalent table of a passport-based footprint). */
export function productsCsv(
  rows: Array<{ productId: string; period: string; units: number; kgPerUnit: string; name?: string }>,
): string {
  const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return (
    [
      'productId,period,unitsSold,kgPerUnit,name',
      ...rows.map((r) => [r.productId, r.period, String(r.units), r.kgPerUnit, r.name ?? ''].map(quote).join(',')),
    ].join('\n') + '\n'
  );
}
