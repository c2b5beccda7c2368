// Input conversion to encoded tables: Apache Arrow tables (dictionary codes kept) and arrays of records.
// Imports no Arrow value, so loading it does not load Arrow (~170 ms); to-arrow.ts builds Arrow tables.

import type { Data, Dictionary, Table, Type } from 'apache-arrow';
import { inputError } from '../errors.js';
import { ColumnEncoder, type EncodedColumn, type EncodedTable } from './encoded-table.js';

/**
 * Arrow's type ids of the two types read as dictionary codes. Written out because even Arrow's enum module costs
 * ~80 ms to load (it pulls in the flatbuffers schema); the table test checks them against the enum.
 */
export const ARROW_TYPE_ID = { dictionary: -1 as Type.Dictionary, utf8: 5 as Type.Utf8 } as const;

/** Reads an Arrow table; dictionary columns keep their codes (remapped per batch), others are encoded. */
export function fromArrowTable(arrow: Table, origin = 'Arrow table'): EncodedTable {
  const rowCount = arrow.numRows;
  const columns: EncodedColumn[] = arrow.schema.fields.map((field, index) => {
    const vector = arrow.getChildAt(index);
    if (vector === null) throw inputError('ARROW_MISSING_COLUMN', `${origin}: column "${field.name}" has no data`, { location: { file: origin, column: field.name } });
    if (field.type.typeId === ARROW_TYPE_ID.dictionary && (field.type as Dictionary).dictionary.typeId === ARROW_TYPE_ID.utf8) return fromDictionaryChunks(field.name, vector.data as Data<Dictionary>[], rowCount);
    const encoder = new ColumnEncoder(field.name, rowCount);
    for (let r = 0; r < rowCount; r++) {
      const value = vector.get(r);
      encoder.push(value === null || value === undefined ? '' : String(value));
    }
    return encoder.finish();
  });
  return { columns, rowCount };
}

/** Merges the per-batch dictionaries once, then translates each batch's indices through a small remap table. */
function fromDictionaryChunks(name: string, chunks: readonly Data<Dictionary>[], rowCount: number): EncodedColumn {
  const codeOf = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(rowCount);
  let row = 0;
  let nullCode = -1;
  for (const chunk of chunks) {
    const values = chunk.dictionary!;
    const remap = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const value = (values.get(i) as string | null) ?? '';
      let code = codeOf.get(value);
      if (code === undefined) {
        code = dictionary.length;
        codeOf.set(value, code);
        dictionary.push(value);
      }
      remap[i] = code;
    }
    const indices = chunk.values as unknown as ArrayLike<number>;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk.nullCount > 0 && !chunk.getValid(i)) {
        if (nullCode === -1) {
          nullCode = codeOf.get('') ?? dictionary.length;
          if (nullCode === dictionary.length) {
            codeOf.set('', nullCode);
            dictionary.push('');
          }
        }
        codes[row++] = nullCode;
      } else codes[row++] = remap[indices[i]];
    }
  }
  return { name, codes, dictionary };
}

/** Encodes an array of records; every record must have the first record's columns. */
export function fromRecords(records: readonly Readonly<Record<string, unknown>>[], origin = 'records'): EncodedTable {
  if (records.length === 0) throw inputError('INPUT_EMPTY', `${origin}: no records`, { location: { file: origin } });
  const names = Object.keys(records[0]);
  const encoders = names.map((name) => new ColumnEncoder(name, records.length));
  records.forEach((record, index) => {
    if (Object.keys(record).length !== names.length) {
      throw inputError('RECORD_SHAPE', `${origin}: record ${index + 1} has ${Object.keys(record).length} fields, the first record has ${names.length}`, {
        location: { file: origin, line: index + 1 },
      });
    }
    for (let c = 0; c < names.length; c++) {
      if (!Object.prototype.hasOwnProperty.call(record, names[c])) {
        throw inputError('RECORD_SHAPE', `${origin}: record ${index + 1} has no field "${names[c]}"`, { location: { file: origin, line: index + 1, column: names[c] } });
      }
      const value = record[names[c]];
      encoders[c].push(value === null || value === undefined ? '' : String(value));
    }
  });
  return { columns: encoders.map((encoder) => encoder.finish()), rowCount: records.length };
}
