// Applies the prepared transforms to the columns of an encoded table: each distinct value of a column's dictionary
// is transformed once (dates once per subject and date), and errors name column and line, never a value.

import { inputError } from '../errors.js';
import { columnIndex, type EncodedColumn, type EncodedTable } from '../table/encoded-table.js';
import { resolveAlphabet, type Alphabet } from './alphabet.js';
import { ff1Values } from './ff1-values.js';
import type { Ff1Direction } from './ff1.js';
import { hmacTokens } from './hmac-tokens.js';
import { maskValues } from './mask.js';
import type { PreparedTransform, PreparedTransforms } from './prepare-transforms.js';
import { shiftDates } from './shift-dates.js';
import type { ResolvedTransform } from './transform-spec.js';

type Ff1Resolved = Extract<ResolvedTransform, { readonly method: 'ff1' }>;

/** How one attribute was pseudonymized, for the report (never a key or a value). */
export interface PseudonymizedAttribute {
  readonly attribute: string;
  readonly transform: ResolvedTransform;
  /** Of the key used (see `keyFingerprint`); absent for `mask`. */
  readonly keyFingerprint?: string;
  /** Distinct values of the column, each transformed once. */
  readonly distinctValues: number;
}

export interface Pseudonymization {
  /** The transformed columns by column index. */
  readonly columns: ReadonlyMap<number, EncodedColumn>;
  readonly attributes: readonly PseudonymizedAttribute[];
}

/** Where rows come from, to name lines in errors. */
export interface RowSource {
  readonly file: string;
  readonly lineOfRow?: Int32Array;
}

/** Every transform of `transforms` applied to its column of `table`. */
export function pseudonymizeTable(table: EncodedTable, transforms: PreparedTransforms, source: RowSource): Pseudonymization {
  const columns = new Map<number, EncodedColumn>();
  const attributes: PseudonymizedAttribute[] = [];
  for (const prepared of transforms.values()) {
    const index = columnIndex(table, prepared.attribute);
    const column = usedValuesOnly(table.columns[index], table.rowCount);
    columns.set(index, transformColumn(table, column, prepared, source));
    attributes.push({
      attribute: prepared.attribute,
      transform: prepared.transform,
      ...(prepared.key === undefined ? {} : { keyFingerprint: prepared.key.fingerprint }),
      distinctValues: column.dictionary.length,
    });
  }
  return { columns, attributes };
}

function transformColumn(table: EncodedTable, column: EncodedColumn, prepared: PreparedTransform, source: RowSource): EncodedColumn {
  const { transform } = prepared;
  const key = prepared.key?.bytes ?? new Uint8Array(0);
  switch (transform.method) {
    case 'hmac': {
      // An empty cell stays empty, as under every method.
      const empty = column.dictionary.indexOf('');
      const { tokens, collide } = hmacTokens(key, empty === -1 ? column.dictionary : column.dictionary.filter((value) => value !== ''), transform);
      if (empty !== -1) tokens.splice(empty, 0, '');
      // Distinct values, distinct tokens: a collision would merge two people silently.
      if (collide) {
        throw inputError('TOKEN_COLLISION', `column "${column.name}": two distinct values get the same ${transform.length}-character hmac token; give a longer length (at most 52)`, {
          location: { file: source.file, column: column.name },
        });
      }
      return { name: column.name, codes: column.codes, dictionary: tokens };
    }
    case 'ff1':
      return { name: column.name, codes: column.codes, dictionary: ff1Dictionary(column, transform, key, source, 'encrypt') };
    case 'mask':
      return deduplicated(column.name, column.codes, maskValues(column.dictionary, transform));
    case 'shift-dates': {
      const subjects = table.columns[columnIndex(table, transform.subject)];
      const shifted = shiftDates(key, column, subjects, transform);
      if ('codes' in shifted) return shifted;
      const line = lineOf(source, shifted.row);
      const where = { file: source.file, line, column: column.name };
      if (shifted.reason === 'not-a-date') {
        throw inputError('VALUE_NOT_OF_TYPE', `${source.file}:${line}: the value of column "${column.name}" is not a date (${transform.format})`, { location: where });
      }
      throw inputError('DATE_SHIFT_OUT_OF_RANGE', `${source.file}:${line}: the date of column "${column.name}" shifted by up to ${transform.days} days leaves the years 0000–9999`, { location: where });
    }
  }
}

/** The ff1 encryption or decryption of a column's dictionary; an input error names the first row that cannot take it. */
export function ff1Dictionary(column: EncodedColumn, transform: Ff1Resolved, key: Uint8Array, source: RowSource, direction: Ff1Direction): string[] {
  // The alphabet was checked with the options.
  const alphabet = resolveAlphabet(transform.alphabet) as Alphabet;
  const result = ff1Values(key, column.dictionary, { alphabet, tweak: Buffer.from(transform.tweak, 'hex'), other: transform.other }, direction);
  if (Array.isArray(result)) return result;
  const line = lineOf(source, column.codes.indexOf(result.index));
  const location = { file: source.file, line, column: column.name };
  const named = transform.alphabet.length <= 12 ? `"${transform.alphabet}"` : `of ${transform.radix} characters`;
  if (result.reason === 'outside-alphabet') {
    throw inputError('FF1_OUTSIDE_ALPHABET', `${source.file}:${line}: the value of column "${column.name}" has a character outside the ff1 alphabet ${named} (other=error)`, { location });
  }
  const minimum = Math.ceil(6 / Math.log10(transform.radix) - 1e-9);
  throw inputError('FF1_VALUE_TOO_SHORT', `${source.file}:${line}: the value of column "${column.name}" has fewer than ${minimum} characters of the ff1 alphabet (radix ${transform.radix}: radix^length must reach 1,000,000)`, {
    location,
  });
}

/**
 * The column with only the values its rows hold: a dictionary from Arrow may list others, which must neither be
 * transformed (a value no row has cannot be named by a line) nor count as colliding.
 */
function usedValuesOnly(column: EncodedColumn, rowCount: number): EncodedColumn {
  const used = new Uint8Array(column.dictionary.length);
  let distinct = 0;
  for (let row = 0; row < rowCount; row++) {
    const code = column.codes[row];
    if (used[code] === 0) {
      used[code] = 1;
      distinct++;
    }
  }
  if (distinct === column.dictionary.length) return column;
  const remap = new Int32Array(column.dictionary.length);
  const dictionary: string[] = [];
  column.dictionary.forEach((value, code) => {
    if (used[code] === 1) remap[code] = dictionary.push(value) - 1;
  });
  return { name: column.name, codes: column.codes.subarray(0, rowCount).map((code) => remap[code]), dictionary };
}

/** A column whose dictionary may repeat values, re-encoded so that it holds each value once. */
function deduplicated(name: string, codes: Int32Array, values: readonly string[]): EncodedColumn {
  const codeOf = new Map<string, number>();
  const dictionary: string[] = [];
  const remap = new Int32Array(values.length);
  values.forEach((value, code) => {
    let target = codeOf.get(value);
    if (target === undefined) {
      target = dictionary.push(value) - 1;
      codeOf.set(value, target);
    }
    remap[code] = target;
  });
  if (dictionary.length === values.length) return { name, codes, dictionary };
  return { name, codes: codes.map((code) => remap[code]), dictionary };
}

function lineOf(source: RowSource, row: number): number {
  return source.lineOfRow?.[row] ?? row + 2;
}
