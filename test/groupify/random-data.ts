// Small random datasets with valid nested hierarchies, for kernel tests (no engine code involved).
import fc from 'fast-check';

export interface RandomDataset {
  qi: string[];
  rows: Record<string, string>[];
  /** value → its labels at levels 0..h */
  hierarchies: Record<string, Map<string, string[]>>;
  hierarchyRows: Record<string, string[][]>;
}

/** A nested hierarchy over `values`: each level merges the previous level's labels into random groups. */
function arbitraryHierarchyRows(values: string[], height: number): fc.Arbitrary<string[][]> {
  return fc.array(fc.array(fc.nat({ max: 3 }), { minLength: values.length, maxLength: values.length }), { minLength: height - 1, maxLength: height - 1 }).map((groupings) => {
    const rows = values.map((value) => [value]);
    let labels = values.slice();
    groupings.forEach((grouping, level) => {
      const next = new Map<string, string>();
      labels.forEach((label, i) => next.set(label, next.get(label) ?? `L${level + 1}g${grouping[i % grouping.length]}`));
      rows.forEach((row) => row.push(next.get(row[row.length - 1])!));
      labels = [...new Set(rows.map((row) => row[row.length - 1]))];
    });
    rows.forEach((row) => row.push('*'));
    return rows;
  });
}

export function arbitraryDataset(): fc.Arbitrary<RandomDataset> {
  return fc.integer({ min: 1, max: 3 }).chain((width) =>
    fc
      .tuple(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4 })), { minLength: width, maxLength: width }),
        fc.integer({ min: 1, max: 80 }),
      )
      .chain(([shapes, rowCount]) =>
        fc
          .tuple(
            fc.tuple(...shapes.map(([domain, height]) => arbitraryHierarchyRows(Array.from({ length: domain }, (_, v) => `v${v}`), height))),
            fc.array(fc.tuple(fc.array(fc.nat(), { minLength: width, maxLength: width }), fc.constantFrom('a', 'a', 'a', 'b', 'b', 'c')), { minLength: rowCount, maxLength: rowCount }),
          )
          .map(([hierarchyRowsList, cells]) => {
            const qi = shapes.map((_, j) => `q${j}`);
            const hierarchyRows: Record<string, string[][]> = {};
            const hierarchies: Record<string, Map<string, string[]>> = {};
            qi.forEach((name, j) => {
              hierarchyRows[name] = hierarchyRowsList[j];
              hierarchies[name] = new Map(hierarchyRowsList[j].map((row) => [row[0], row]));
            });
            const rows = cells.map(([codes, s]) => {
              const row: Record<string, string> = { s };
              qi.forEach((name, j) => (row[name] = `v${codes[j] % shapes[j][0]}`));
              return row;
            });
            return { qi, rows, hierarchies, hierarchyRows };
          }),
      ),
  );
}
