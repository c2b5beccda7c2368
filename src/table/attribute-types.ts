// Declared attribute types (string, integer, decimal, date) and their validation over a column's dictionary.
// Types give values an order (ordered t-closeness, interval and date hierarchies, Arrow numeric columns).

import { inputError, usageError } from '../errors.js';
import type { AttributeType, EncodedColumn } from './encoded-table.js';

export interface TypedAttribute {
  readonly type: AttributeType;
  /** Date format with the tokens YYYY, MM and DD (default `YYYY-MM-DD`). */
  readonly format?: string;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Exponent notation, as R and spreadsheets write large whole numbers (`7.3e+07`, `1E3`). */
const EXPONENT = /^[+-]?(\d*)\.?(\d*)[eE]([+-]?\d+)$/;

/** Parses a `--types` entry's type part: `integer`, `decimal`, `string`, `date` or `date:FORMAT`. */
export function parseTypeSpec(text: string, attribute: string): TypedAttribute {
  const [type, ...formatParts] = text.split(':');
  const format = formatParts.length > 0 ? formatParts.join(':') : undefined;
  if (type !== 'string' && type !== 'integer' && type !== 'decimal' && type !== 'date') {
    throw usageError('BAD_TYPE', `unknown type "${type}" for attribute "${attribute}"; use string, integer, decimal or date[:FORMAT]`);
  }
  if (format !== undefined && type !== 'date') throw usageError('BAD_TYPE', `a format is only allowed for dates (attribute "${attribute}")`);
  if (format !== undefined) compileDateFormat(format, attribute);
  return format === undefined ? { type } : { type, format };
}

interface DateFormat {
  readonly pattern: RegExp;
  readonly order: readonly ('YYYY' | 'MM' | 'DD')[];
}

function compileDateFormat(format: string, attribute: string): DateFormat {
  const order: ('YYYY' | 'MM' | 'DD')[] = [];
  let source = '^';
  for (let i = 0; i < format.length; ) {
    const token = (['YYYY', 'MM', 'DD'] as const).find((t) => format.startsWith(t, i));
    if (token !== undefined) {
      order.push(token);
      source += token === 'YYYY' ? '(\\d{4})' : '(\\d{2})';
      i += token.length;
    } else {
      source += format[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  if (!(order.includes('YYYY') && order.includes('MM') && order.includes('DD'))) {
    throw usageError('BAD_DATE_FORMAT', `date format for "${attribute}" must contain YYYY, MM and DD`);
  }
  return { pattern: new RegExp(source + '$'), order };
}

/** A sortable number for a typed value, or NaN when the value does not parse. */
export function typedValue(value: string, typed: TypedAttribute): number {
  switch (typed.type) {
    case 'integer':
      return parseInteger(value.trim());
    case 'decimal':
      return DECIMAL.test(value.trim()) ? Number(value) : NaN;
    case 'date':
      return parseDate(value, compileDateFormat(typed.format ?? 'YYYY-MM-DD', ''));
    case 'string':
      return 0;
  }
}

/**
 * An integer written plainly or in exponent notation with a whole value (`7.3e+07`, not `1.5e0`); NaN otherwise.
 * Wholeness is decided on the digits, not on the double: `1.0000000000000001e0` is not an integer.
 */
function parseInteger(text: string): number {
  if (INTEGER.test(text)) return Number(text);
  const match = EXPONENT.exec(text);
  if (match === null || match[1] + match[2] === '') return NaN;
  const [, whole, fraction, exponent] = match;
  const digits = (whole + fraction).replace(/^0+/, '');
  const trailingZeros = digits.length - digits.replace(/0+$/, '').length;
  // The value is digits × 10^(exponent − fraction digits): whole when the shift, with the trailing zeros, is not negative.
  const isWhole = digits === '' || Number(exponent) - fraction.length + trailingZeros >= 0;
  const value = Number(text);
  return isWhole && Number.isFinite(value) ? value : NaN;
}

function parseDate(value: string, format: DateFormat): number {
  const match = format.pattern.exec(value.trim());
  if (match === null) return NaN;
  const part = (token: 'YYYY' | 'MM' | 'DD') => Number(match[format.order.indexOf(token) + 1]);
  const year = part('YYYY');
  const month = part('MM');
  const day = part('DD');
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  // Date.UTC rolls 2023-02-30 over to March; a real date round-trips.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return NaN;
  return time;
}

/**
 * Fails on the first row whose value does not parse as the column's declared type. `lineOfRow` as in compiling
 * hierarchies: default row + 2; `null` when the data has no lines (then the message names none).
 */
export function validateColumnType(column: EncodedColumn, typed: TypedAttribute, file: string, lineOfRow?: Int32Array | null): void {
  if (typed.type === 'string') return;
  const bad = new Uint8Array(column.dictionary.length);
  let anyBad = false;
  column.dictionary.forEach((value, code) => {
    if (Number.isNaN(typedValue(value, typed))) {
      bad[code] = 1;
      anyBad = true;
    }
  });
  if (!anyBad) return;
  let row = 0;
  while (bad[column.codes[row]] === 0) row++;
  const expected =
    typed.type === 'date'
      ? `a date (${typed.format ?? 'YYYY-MM-DD'})`
      : typed.type === 'integer'
        ? 'an integer (a whole number, written plainly or with an exponent such as 7.3e+07)'
        : 'a decimal number';
  if (lineOfRow === null) {
    throw inputError('VALUE_NOT_OF_TYPE', `${file}: a value of column "${column.name}" is not ${expected}`, { location: { file, column: column.name } });
  }
  const line = lineOfRow?.[row] ?? row + 2;
  throw inputError('VALUE_NOT_OF_TYPE', `${file}:${line}: the value of column "${column.name}" is not ${expected}`, {
    location: { file, line, column: column.name },
  });
}
