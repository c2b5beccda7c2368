// Conversion between encoded tables and Apache Arrow tables of dictionary-encoded Utf8 vectors.
// Codes and dictionaries pass through as they are: no value is re-hashed per row in either direction.

import {
  DataType,
  Dictionary,
  Field,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  vectorFromArray,
  type Data,
} from 'apache-arrow';
import { inputError } from '../errors.js';
import { ColumnEncoder, type EncodedColumn, type EncodedTable } from './encoded-table.js';

/** An Arrow table whose every column is Dictionary<Utf8, Int32> sharing the encoded codes. */
export function toArrowTable(table: EncodedTable): Table {
  const type = (): Dictionary<Utf8, Int32> => new Dictionary(new Utf8(), new Int32());
  const fields = table.columns.map((column) => new Field(column.name, type(), false));
  const children = table.columns.map((column, index) =>
    makeData({
      type: fields[index].type as Dictionary<Utf8, Int32>,
      length: table.rowCount,
      nullCount: 0,
      data: column.codes.length === table.rowCount ? column.codes : column.codes.subarray(0, table.rowCount),
      dictionary: vectorFromArray(column.dictionary as string[], new Utf8()),
    }),
  );
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: table.rowCount, nullCount: 0, children });
  return new Table([new RecordBatch(schema, struct)]);
}

/** Reads an Arrow table; dictionary columns keep their codes (remapped per batch), others are encoded. */
export function fromArrowTable(arrow: Table, origin = 'Arrow table'): EncodedTable {
  const rowCount = arrow.numRows;
  const columns: EncodedColumn[] = arrow.schema.fields.map((field, index) => {
    const vector = arrow.getChildAt(index);
    if (vector === null) throw inputError('ARROW_MISSING_COLUMN', `${origin}: column "${field.name}" has no data`, { location: { file: origin, column: field.name } });
    if (DataType.isDictionary(field.type) && DataType.isUtf8((field.type as Dictionary).dictionary)) return fromDictionaryChunks(field.name, vector.data as Data<Dictionary>[], rowCount);
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
