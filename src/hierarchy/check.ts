// Hierarchy validation: the non-throwing report (height, per-level counts, coverage, ragged / non-functional /
// non-nested rows) that compile.ts also relies on, and the CSV-level verbs behind `cloak hierarchy check|build`.

import { resolve } from 'node:path';
import { CloakError, inputError, usageError, type ErrorLocation } from '../errors.js';
import { checkWritableTarget, writeFileAtomic } from '../io/atomic-file.js';
import { readCsvFile, type CsvTable } from '../io/csv-reader.js';
import { missingColumnProblems } from '../table/column-names.js';
import type { EncodedColumn } from '../table/encoded-table.js';
import type { CompileHierarchyOptions, HierarchyRowsSource } from './compile.js';
import { resolveHierarchy } from './resolve.js';
import type { HierarchySpec } from './builders/spec.js';
import { writeHierarchyCsv } from './builders/write-csv.js';

/** Problems that make a hierarchy unusable, in the order compileHierarchy reports the first of them. */
export type HierarchyProblemCode = 'HIERARCHY_EMPTY' | 'HIERARCHY_RAGGED' | 'HIERARCHY_NOT_FUNCTIONAL' | 'HIERARCHY_MISSING_VALUES' | 'HIERARCHY_NOT_NESTED';

export interface HierarchyProblem {
  readonly code: HierarchyProblemCode;
  /** Says what and where (file line, or data lines for missing values); values only with `showValues`. */
  readonly message: string;
  readonly location: ErrorLocation;
}

export interface HierarchyLevelCounts {
  readonly level: number;
  /** Distinct data values at level 0; above it, distinct labels the data's covered values generalize to. */
  readonly dataValues: number;
  /** Distinct labels in this column of the hierarchy. */
  readonly hierarchyLabels: number;
}

export interface MissingValuesSummary {
  /** Distinct data values without a hierarchy row. */
  readonly distinctValues: number;
  /** Records holding one of them. */
  readonly records: number;
  /** 1-based data-file lines of the first such records. */
  readonly firstDataLines: readonly number[];
  /** The first missing values, only when values may be shown. */
  readonly values?: readonly string[];
}

export interface HierarchyReport {
  readonly attribute: string;
  /** The hierarchy's file name or description. */
  readonly origin: string;
  /** True when the hierarchy can be compiled for this data: no problem at all. */
  readonly usable: boolean;
  /** Number of generalization levels above the values (columns − 1 of the first row). */
  readonly height: number;
  readonly rowCount: number;
  /** Levels 0…height, computed over the rows of the first row's length. */
  readonly levels: readonly HierarchyLevelCounts[];
  readonly missing: MissingValuesSummary;
  /** Hierarchy values that never occur in the data: reported, not a problem. */
  readonly absentFromData: number;
  /** The first few problems of each kind, in compileHierarchy's order. */
  readonly problems: readonly HierarchyProblem[];
  /** Problems found beyond those listed. */
  readonly unlistedProblems: number;
}

export type ValidateHierarchyOptions = CompileHierarchyOptions;

/** The report plus the intermediate structures compileHierarchy builds its code maps from. */
export interface HierarchyAnalysis {
  readonly report: HierarchyReport;
  readonly maxLevel: number;
  /** Hierarchy row of each data code, -1 when the value has none. */
  readonly rowOfDataCode: Int32Array;
  /** labels[level][labelCode]; level 0 is the data dictionary. */
  readonly labels: readonly string[][];
  /** labelOfRow[level][row] → label code for levels ≥ 1; -1 for ragged rows. */
  readonly labelOfRow: readonly Int32Array[];
  /** fileRowsPerLabel[level][labelCode]; level 0 counts 1 per data value. */
  readonly fileRowsPerLabel: readonly Int32Array[];
  /** parentOfLabel[level][labelCode] → label code at level + 1, for 1 ≤ level < maxLevel. */
  readonly parentOfLabel: readonly Int32Array[];
}

const MAX_LINES_SHOWN = 5;
const MAX_PROBLEMS_LISTED_PER_KIND = 5;

/** Collects problems, listing the first few of each kind and counting the rest. */
class ProblemList {
  readonly listed: HierarchyProblem[] = [];
  unlisted = 0;
  private readonly perKind = new Map<HierarchyProblemCode, number>();

  add(code: HierarchyProblemCode, message: string, location: ErrorLocation): void {
    const seen = this.perKind.get(code) ?? 0;
    this.perKind.set(code, seen + 1);
    if (seen < MAX_PROBLEMS_LISTED_PER_KIND) this.listed.push({ code, message, location });
    else this.unlisted++;
  }
}

/** Checks `source` as the hierarchy of `column` without throwing: every problem and statistic in one report. */
export function validateHierarchy(column: EncodedColumn, source: HierarchyRowsSource, options: ValidateHierarchyOptions = {}): HierarchyReport {
  return analyzeHierarchy(column, source, options).report;
}

export function analyzeHierarchy(column: EncodedColumn, source: HierarchyRowsSource, options: ValidateHierarchyOptions = {}): HierarchyAnalysis {
  const { rows, origin } = source;
  const attribute = column.name;
  const lineOf = (row: number): number => source.lineOfRow?.[row] ?? row + 1;
  const at = (row: number): ErrorLocation => ({ file: origin, line: lineOf(row), column: attribute });
  const problems = new ProblemList();

  const width = rows.length === 0 ? 0 : rows[0].length;
  if (width === 0) {
    problems.add(
      'HIERARCHY_EMPTY',
      rows.length === 0 ? `${origin}: the hierarchy of "${attribute}" has no rows` : `${origin}:${lineOf(0)}: the first row of the hierarchy of "${attribute}" has no fields`,
      { file: origin, column: attribute },
    );
  }
  const maxLevel = Math.max(0, width - 1);
  // Ragged rows still count for coverage (column 1), but not for the levels above.
  const wellFormed = new Uint8Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    if (width > 0 && rows[r].length === width) wellFormed[r] = 1;
    else if (width > 0) {
      problems.add(
        'HIERARCHY_RAGGED',
        `${origin}:${lineOf(r)}: the row has ${rows[r].length} columns, the first row has ${width}; all rows of a hierarchy need the same number of levels`,
        at(r),
      );
    }
  }

  // Level 0: each data value must have exactly one hierarchy row.
  const dataCodeOf = new Map<string, number>();
  column.dictionary.forEach((value, code) => dataCodeOf.set(value, code));
  const rowOfDataCode = new Int32Array(column.dictionary.length).fill(-1);
  const firstRowOfValue = new Map<string, number>();
  for (let r = 0; r < rows.length; r++) {
    if (rows[r].length === 0) continue;
    const value = rows[r][0];
    const earlier = firstRowOfValue.get(value);
    if (earlier !== undefined) {
      problems.add(
        'HIERARCHY_NOT_FUNCTIONAL',
        `${origin}:${lineOf(r)}: the value in column 1 already has a row at line ${lineOf(earlier)}; each value needs exactly one generalization per level`,
        at(r),
      );
      continue;
    }
    firstRowOfValue.set(value, r);
    const code = dataCodeOf.get(value);
    if (code !== undefined) rowOfDataCode[code] = r;
  }
  const missing = summarizeMissingValues(column, rowOfDataCode, options);
  if (missing.distinctValues > 0) {
    const lines = missing.firstDataLines.join(', ');
    const where = lines === '' ? ` of ${options.dataFile ?? 'the data'}` : options.dataFile !== undefined ? `; first at ${options.dataFile} lines ${lines}` : `; first at data lines ${lines}`;
    const shown = missing.values !== undefined ? ` (${missing.values.map((value) => JSON.stringify(value)).join(', ')})` : '';
    problems.add(
      'HIERARCHY_MISSING_VALUES',
      `${origin}: ${missing.distinctValues} distinct value(s) of column "${attribute}"${shown} are missing from its hierarchy, in ${missing.records} record(s)${where}`,
      missing.firstDataLines.length === 0 ? { file: origin, column: attribute } : { file: origin, column: attribute, line: missing.firstDataLines[0] },
    );
  }
  let absentFromData = 0;
  for (const value of firstRowOfValue.keys()) if (!dataCodeOf.has(value)) absentFromData++;

  // Higher levels: dictionaries of labels per level, with the number of rows that hold each label.
  const labels: string[][] = [column.dictionary.slice()];
  const fileRowsPerLabel: Int32Array[] = [new Int32Array(column.dictionary.length).fill(1)];
  const labelOfRow: Int32Array[] = [new Int32Array(0)];
  for (let level = 1; level <= maxLevel; level++) {
    const codeOf = new Map<string, number>();
    const levelLabels: string[] = [];
    const perRow = new Int32Array(rows.length).fill(-1);
    for (let r = 0; r < rows.length; r++) {
      if (wellFormed[r] === 0) continue;
      const label = rows[r][level];
      let code = codeOf.get(label);
      if (code === undefined) {
        code = levelLabels.length;
        codeOf.set(label, code);
        levelLabels.push(label);
      }
      perRow[r] = code;
    }
    const counts = new Int32Array(levelLabels.length);
    for (let r = 0; r < rows.length; r++) if (perRow[r] >= 0) counts[perRow[r]]++;
    labels.push(levelLabels);
    fileRowsPerLabel.push(counts);
    labelOfRow.push(perRow);
  }

  // Nesting: each label at level i must have one parent at level i+1 (then sharing propagates to every higher level).
  const parentOfLabel: Int32Array[] = [new Int32Array(0)];
  for (let level = 1; level < maxLevel; level++) {
    const parent = new Int32Array(labels[level].length).fill(-1);
    const firstRowOfLabel = new Int32Array(labels[level].length).fill(-1);
    const here = labelOfRow[level];
    const above = labelOfRow[level + 1];
    for (let r = 0; r < rows.length; r++) {
      const label = here[r];
      if (label < 0) continue;
      if (parent[label] === -1) {
        parent[label] = above[r];
        firstRowOfLabel[label] = r;
      } else if (parent[label] !== above[r]) {
        problems.add(
          'HIERARCHY_NOT_NESTED',
          `${origin}:${lineOf(r)}: column ${level + 1} generalizes to a different column ${level + 2} label than at line ${lineOf(firstRowOfLabel[label])}; values that share a generalization must share it at every higher level`,
          at(r),
        );
      }
    }
    parentOfLabel.push(parent);
  }

  const levels: HierarchyLevelCounts[] = [{ level: 0, dataValues: column.dictionary.length, hierarchyLabels: firstRowOfValue.size }];
  for (let level = 1; level <= maxLevel; level++) {
    const reached = new Uint8Array(labels[level].length);
    let dataValues = 0;
    for (const row of rowOfDataCode) {
      const label = row < 0 ? -1 : labelOfRow[level][row];
      if (label >= 0 && reached[label] === 0) {
        reached[label] = 1;
        dataValues++;
      }
    }
    levels.push({ level, dataValues, hierarchyLabels: labels[level].length });
  }

  const report: HierarchyReport = {
    attribute,
    origin,
    usable: problems.listed.length === 0,
    height: maxLevel,
    rowCount: rows.length,
    levels,
    missing,
    absentFromData,
    problems: problems.listed,
    unlistedProblems: problems.unlisted,
  };
  return { report, maxLevel, rowOfDataCode, labels, labelOfRow, fileRowsPerLabel, parentOfLabel };
}

/** Counts the data values without a hierarchy row and the records and first data lines holding them. */
function summarizeMissingValues(column: EncodedColumn, rowOfDataCode: Int32Array, options: ValidateHierarchyOptions): MissingValuesSummary {
  const missingCodes: number[] = [];
  for (let code = 0; code < rowOfDataCode.length; code++) if (rowOfDataCode[code] === -1) missingCodes.push(code);
  if (missingCodes.length === 0) return { distinctValues: 0, records: 0, firstDataLines: [] };
  const firstDataLines: number[] = [];
  let records = 0;
  const { dataLineOfRow, dataWeights } = options;
  for (let row = 0; row < column.codes.length; row++) {
    if (rowOfDataCode[column.codes[row]] === -1) {
      records += dataWeights?.[row] ?? 1;
      if (firstDataLines.length < MAX_LINES_SHOWN && dataLineOfRow !== null) firstDataLines.push(dataLineOfRow?.[row] ?? row + 2);
    }
  }
  const values = options.showValues ? missingCodes.slice(0, MAX_LINES_SHOWN).map((code) => column.dictionary[code]) : undefined;
  return { distinctValues: missingCodes.length, records, firstDataLines, ...(values !== undefined ? { values } : {}) };
}

/** The outcome of checking one attribute's hierarchy file: a report, or why none could be made. */
export type AttributeHierarchyCheck =
  | { readonly attribute: string; readonly usable: boolean; readonly report: HierarchyReport; readonly failure?: undefined }
  | {
      readonly attribute: string;
      readonly usable: false;
      readonly report?: undefined;
      /** The hierarchy file is absent, unreadable or malformed. */
      readonly failure: { readonly code: string; readonly message: string };
    };

export interface CheckHierarchiesRequest {
  /** Data CSV path, or `-` for stdin. */
  readonly input: string;
  readonly attributes: readonly string[];
  readonly hierarchiesDir: string;
  /** Detected when absent. */
  readonly delimiter?: string;
  readonly showValues?: boolean;
}

/** Checks the hierarchy file of every attribute against the data's column; never stops at the first bad one. */
export async function checkHierarchies(request: CheckHierarchiesRequest): Promise<AttributeHierarchyCheck[]> {
  const csv = await readCsvFile(request.input, { delimiter: request.delimiter });
  const dataFile = request.input === '-' ? '<stdin>' : request.input;
  const columns = findColumns(csv, request.attributes, dataFile);
  const checks: AttributeHierarchyCheck[] = [];
  for (const column of columns) {
    let source: HierarchyRowsSource;
    try {
      source = await resolveHierarchy(column.name, undefined, request.hierarchiesDir, column);
    } catch (error) {
      if (!(error instanceof CloakError)) throw error;
      checks.push({ attribute: column.name, usable: false, failure: { code: error.code, message: error.message } });
      continue;
    }
    const report = validateHierarchy(column, source, { dataLineOfRow: csv.lineOfRow, dataFile, showValues: request.showValues });
    checks.push({ attribute: column.name, usable: report.usable, report });
  }
  return checks;
}

export interface BuildColumnHierarchyRequest {
  /** Data CSV path whose column supplies the values (and their counts). */
  readonly data: string;
  readonly column: string;
  readonly spec: HierarchySpec;
  /** Detected when absent. */
  readonly delimiter?: string;
  /** Written atomically in ARX's format when given; otherwise the caller uses the returned text. */
  readonly output?: string;
  /** Quote offending values in messages. */
  readonly showValues?: boolean;
}

export interface BuiltColumnHierarchy {
  readonly rows: readonly (readonly string[])[];
  /** The hierarchy in ARX's format. */
  readonly text: string;
  readonly report: HierarchyReport;
}

/** Builds a hierarchy from the distinct values of a CSV column, checks it as a file would be, and writes it. */
export async function buildColumnHierarchy(request: BuildColumnHierarchyRequest): Promise<BuiltColumnHierarchy> {
  if (request.output !== undefined) {
    if (request.data !== '-' && resolve(request.output) === resolve(request.data)) {
      throw usageError('OUTPUT_IS_INPUT', `the output path is the data path (${request.data}); choose another output file`);
    }
    await checkWritableTarget(request.output, 'output');
  }
  const csv = await readCsvFile(request.data, { delimiter: request.delimiter });
  const dataFile = request.data === '-' ? '<stdin>' : request.data;
  const [column] = findColumns(csv, [request.column], dataFile);
  // A spec copy is a plain object type, which HierarchySource accepts (a builder spec interface is not).
  const source = await resolveHierarchy(column.name, { ...request.spec }, undefined, column, { file: dataFile, lineOfRow: csv.lineOfRow, showValues: request.showValues });
  const analysis = analyzeHierarchy(column, source);
  const firstProblem = analysis.report.problems[0];
  if (firstProblem !== undefined) throw inputError(firstProblem.code, firstProblem.message, { location: firstProblem.location });
  const text = writeHierarchyCsv(source.rows);
  if (request.output !== undefined) await writeFileAtomic(request.output, text);
  return { rows: source.rows, text, report: analysis.report };
}

/** The named columns of the table; every name missing from the header is reported at once. */
function findColumns(csv: CsvTable, names: readonly string[], file: string): EncodedColumn[] {
  const byName = new Map(csv.table.columns.map((column) => [column.name, column]));
  const unknown = names.filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    const problems = missingColumnProblems(unknown, [...byName.keys()], file);
    throw usageError('UNKNOWN_COLUMN', problems.length === 1 ? problems[0] : `${problems.length} columns are not in the header of ${file}:\n  - ${problems.join('\n  - ')}`, {
      location: { file, column: unknown[0] },
      problems,
    });
  }
  return names.map((name) => byName.get(name)!);
}
