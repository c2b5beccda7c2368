// Output conversion of an encoded table to an Apache Arrow table of dictionary-encoded Utf8 vectors.
// Kept apart from the input side so that Arrow (~170 ms to load) is imported only when an Arrow table is produced.

import { Dictionary, Field, Int32, makeData, RecordBatch, Schema, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { EncodedTable } from './encoded-table.js';

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
