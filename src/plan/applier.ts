// Applies a plan record by record: maps each quasi-identifier through the plan, counts classes and sensitive values,
// and re-checks every model of the plan on the classes of the new data. Memory grows with classes, never with rows.

import { CloakError, ExitCode, inputError, usageError } from '../errors.js';
import type { EquivalenceClasses, SensitiveHistograms } from '../groupify/equivalence-classes.js';
import { ruleLabels } from '../hierarchy/builders/rule.js';
import { compileHierarchy } from '../hierarchy/compile.js';
import { createModel, minimumClassSize, type PrivacyModel, type SensitiveAttribute } from '../models/index.js';
import { enforceReleaseCriteria } from '../models/release-suppression.js';
import { typedValue, type TypedAttribute } from '../table/attribute-types.js';
import type { Plan } from './plan-format.js';

/** Room per class in the flat sensitive-count keys: 2^24 distinct sensitive values; class × 2^24 stays below 2^53. */
const SENSITIVE_STRIDE = 2 ** 24;

/** What the re-check decided for the classes counted so far. */
export interface PlanDecision {
  /** suppressed[c] = 1 when class c fails a per-class model (or is below the smallest admissible size). */
  readonly suppressed: Uint8Array;
  readonly suppressedRecords: number;
  readonly suppressedClasses: number;
  readonly rows: number;
  readonly classes: number;
  /** floor(suppressionLimit × rows). */
  readonly budget: number;
  /** Labels of the models failed by some class, and of criteria over the whole release that fail. */
  readonly failedModels: readonly string[];
  readonly releaseFailures: readonly string[];
}

interface SensitiveState {
  readonly name: string;
  readonly column: number;
  readonly codeOf: Map<string, number>;
  readonly values: string[];
  /**
   * The values the attribute may take, when its models need each value placed in a hierarchy (hierarchical
   * t-closeness): any other value is an error. Undefined: every value is counted (a new one with no planning records).
   */
  readonly allowed: ReadonlySet<string> | undefined;
  /** The declared type, which every value must parse as (as when anonymizing). */
  readonly typed: TypedAttribute;
  /** class × SENSITIVE_STRIDE + code → records. */
  counts: Map<number, number>;
}

/** The per-record engine shared by the two-pass and held-back modes and the stream. */
export class PlanApplier {
  private qiColumns: number[] = [];
  private identifyingColumns: number[] = [];
  /** Per quasi-identifier: value → label code, for every value met (or listed by the plan's map). */
  private readonly labelCodeOf: Map<string, number>[];
  /** Per quasi-identifier: label → label code. */
  private readonly labelCodeByLabel: Map<string, number>[] = [];
  private readonly labels: string[][];
  private readonly radix: number[];
  /** Whether a class key fits one exact number (else it is a string). */
  private readonly packed: boolean;
  private readonly classOfKey = new Map<number | string, number>();
  private keys: Int32Array = new Int32Array(1024);
  private sizes: Int32Array = new Int32Array(256);
  private classCount = 0;
  private readonly codes: Int32Array;
  private sensitive: SensitiveState[] = [];
  private frozen: { sizes: Int32Array } | undefined;
  rows = 0;
  private source = 'input';

  constructor(readonly plan: Plan) {
    this.labelCodeOf = [];
    this.labels = [];
    this.radix = [];
    let space = 1;
    for (const qi of plan.quasiIdentifiers) {
      const codeOf = new Map<string, number>();
      const labelCode = new Map<string, number>();
      const labels: string[] = [];
      this.labelCodeByLabel.push(labelCode);
      for (const [value, label] of qi.map ?? []) codeOf.set(value, this.codeOfLabel(labels, labelCode, label));
      this.labelCodeOf.push(codeOf);
      this.labels.push(labels);
      this.radix.push(Math.max(1, labels.length));
      // A rule's labels are found as values arrive, so its number of labels is open: keys are then strings.
      space *= qi.rule === undefined ? Math.max(1, labels.length) : Infinity;
    }
    this.packed = space < Number.MAX_SAFE_INTEGER;
    this.codes = new Int32Array(plan.quasiIdentifiers.length);
  }

  /** Binds the columns of the data; the header must be exactly the plan's columns, in order. */
  bind(header: readonly string[], source: string): void {
    this.source = source;
    const expected = this.plan.columns;
    if (header.length !== expected.length || header.some((name, index) => name !== expected[index])) {
      const missing = expected.filter((name) => !header.includes(name));
      const extra = header.filter((name) => !expected.includes(name));
      const detail = [missing.length > 0 ? `missing ${missing.map((n) => `"${n}"`).join(', ')}` : '', extra.length > 0 ? `unexpected ${extra.map((n) => `"${n}"`).join(', ')}` : '']
        .filter((part) => part !== '')
        .join('; ');
      throw inputError('PLAN_SCHEMA_MISMATCH', `${source}: the columns differ from the plan's (${expected.length} columns: ${detail || 'same names in another order'})`, { location: { file: source } });
    }
    const index = (name: string) => header.indexOf(name);
    this.qiColumns = this.plan.quasiIdentifiers.map((qi) => index(qi.name));
    // Pseudonymized attributes are identifying too, but released transformed (see PlanPseudonymizer), not hidden.
    const pseudonymized = new Set((this.plan.pseudonymized ?? []).map((entry) => entry.attribute));
    this.identifyingColumns = this.plan.identifying.filter((name) => !pseudonymized.has(name)).map(index);
    if (this.sensitive.length === 0) {
      this.sensitive = this.plan.sensitive.map((attribute) => {
        const values = (attribute.counts ?? []).map(([value]) => value);
        return {
          name: attribute.name,
          column: index(attribute.name),
          codeOf: new Map(values.map((value, code) => [value, code])),
          values,
          allowed: attribute.hierarchy === undefined ? undefined : new Set(attribute.hierarchy.map((row) => row[0])),
          typed: { type: attribute.type, format: attribute.format },
          counts: new Map(),
        };
      });
    }
  }

  /** Counts one record and returns its class; throws on a value the plan cannot generalize. */
  count(row: readonly string[], line: number): number {
    const { qiColumns, codes } = this;
    for (let j = 0; j < qiColumns.length; j++) {
      const code = this.labelCode(j, row[qiColumns[j]]);
      if (code === undefined) throw this.unknownValue(this.plan.quasiIdentifiers[j].name, line, 'hierarchy');
      codes[j] = code;
    }
    const cls = this.classOf(codes);
    for (let s = 0; s < this.sensitive.length; s++) {
      const attribute = this.sensitive[s];
      const value = row[attribute.column];
      const code = this.sensitiveCode(s, value);
      if (code === undefined) throw this.unknownValue(attribute.name, line, Number.isNaN(typedValue(value, attribute.typed)) ? 'type' : 'distribution');
      this.tallySensitive(attribute, cls, code);
    }
    this.sizes[cls]++;
    this.rows++;
    return cls;
  }

  /**
   * Counts one record already encoded by the caller: `labelCodes` from `labelCode`, `valueCodes` from `sensitiveCode`,
   * in the order of `countedColumns`. Returns its class.
   */
  countCoded(labelCodes: Int32Array, valueCodes: Int32Array, records = 1): number {
    const cls = this.classOf(labelCodes);
    for (let s = 0; s < this.sensitive.length; s++) this.tallySensitive(this.sensitive[s], cls, valueCodes[s], records);
    this.sizes[cls] += records;
    this.rows += records;
    return cls;
  }

  /**
   * The label codes of quasi-identifier j's distinct values, as an SQL engine reads them (no line to point at).
   * @throws CloakError `PLAN_UNKNOWN_VALUE` when the plan's hierarchy lacks one of them.
   */
  labelCodesOf(j: number, values: readonly string[]): Int32Array {
    return Int32Array.from(values, (value) => {
      const code = this.labelCode(j, value);
      if (code === undefined) throw this.unknownValue(this.plan.quasiIdentifiers[j].name, undefined, 'hierarchy');
      return code;
    });
  }

  /**
   * The codes of sensitive attribute s's distinct values, as an SQL engine reads them.
   * @throws CloakError `PLAN_BAD_VALUE` or `PLAN_UNKNOWN_VALUE` as `count` does, naming no line.
   */
  sensitiveCodesOf(s: number, values: readonly string[]): Int32Array {
    const attribute = this.sensitive[s];
    return Int32Array.from(values, (value) => {
      const code = this.sensitiveCode(s, value);
      if (code === undefined) throw this.unknownValue(attribute.name, undefined, Number.isNaN(typedValue(value, attribute.typed)) ? 'type' : 'distribution');
      return code;
    });
  }

  /** The labels of quasi-identifier j, by label code (those of a rule as far as values were met). */
  labelsOf(j: number): readonly string[] {
    return this.labels[j];
  }

  /** The records of class c counted so far. */
  classSize(c: number): number {
    return this.sizes[c];
  }

  /** The label codes of class c, in plan order. */
  classCodes(c: number): Int32Array {
    const width = this.codes.length;
    return this.keys.slice(c * width, (c + 1) * width);
  }

  /** The bound columns a count reads: the quasi-identifiers in plan order, then the sensitive attributes. */
  countedColumns(): number[] {
    return [...this.qiColumns, ...this.sensitive.map((attribute) => attribute.column)];
  }

  /** The plan's label code of quasi-identifier j's value; undefined when its hierarchy (list or rule) lacks the value. */
  labelCode(j: number, value: string): number | undefined {
    const known = this.labelCodeOf[j].get(value);
    if (known !== undefined) return known;
    const { rule, level } = this.plan.quasiIdentifiers[j];
    const label = rule === undefined ? undefined : ruleLabels(rule, value)?.[level];
    if (label === undefined) return undefined;
    const code = this.codeOfLabel(this.labels[j], this.labelCodeByLabel[j], label);
    this.labelCodeOf[j].set(value, code);
    return code;
  }

  private codeOfLabel(labels: string[], labelCode: Map<string, number>, label: string): number {
    let code = labelCode.get(label);
    if (code === undefined) {
      code = labels.length;
      labelCode.set(label, code);
      labels.push(label);
    }
    return code;
  }

  /**
   * The code of sensitive attribute s's value, added when new; undefined when the value does not parse as the
   * attribute's type or its models cannot place it.
   */
  sensitiveCode(s: number, value: string): number | undefined {
    const attribute = this.sensitive[s];
    let code = attribute.codeOf.get(value);
    if (code === undefined && (attribute.allowed === undefined || attribute.allowed.has(value)) && !Number.isNaN(typedValue(value, attribute.typed))) {
      code = attribute.values.length;
      attribute.codeOf.set(value, code);
      attribute.values.push(value);
    }
    return code;
  }

  /** Rewrites the record in place: labels of the plan's levels, or the suppressed value; identifying columns hidden. */
  generalize(row: string[], suppressed: boolean): string[] {
    const star = this.plan.suppressedValue;
    for (let j = 0; j < this.qiColumns.length; j++) row[this.qiColumns[j]] = suppressed ? star : this.labels[j][this.codes[j]];
    for (const column of this.identifyingColumns) row[column] = star;
    return row;
  }

  /** Replaces a generalized record's quasi-identifiers with the suppressed value, in place. */
  suppress(row: string[]): void {
    for (const column of this.qiColumns) row[column] = this.plan.suppressedValue;
  }

  /** Starts a second read of the same data: classes are fixed, and the counts must come out the same. */
  beginSecondPass(): void {
    this.frozen = { sizes: this.sizes.slice(0, this.classCount) };
    this.sizes = new Int32Array(this.sizes.length);
    this.rows = 0;
    for (const attribute of this.sensitive) attribute.counts = new Map();
  }

  /** After the second read: throws when the data differed from the first read. */
  endSecondPass(): void {
    const first = this.frozen?.sizes;
    if (first === undefined) return;
    for (let c = 0; c < this.classCount; c++) if (first[c] !== this.sizes[c]) throw this.changedSource();
  }

  /** Re-checks every model of the plan on the classes counted so far. */
  decide(): PlanDecision {
    const classes = this.classes();
    // The planning data's records are the distributions' denominator; an estimated k-map sizes the data at hand.
    const context = { rowCount: this.plan.rows, recordCount: this.rows, sensitive: this.sensitiveAttributes() };
    const models: PrivacyModel[] = this.plan.models.map((spec) => createModel(spec, context));
    const minClassSize = minimumClassSize(models);
    const suppressed = new Uint8Array(classes.count);
    const failed = new Set<string>();
    let suppressedRecords = 0;
    let suppressedClasses = 0;
    for (let c = 0; c < classes.count; c++) {
      let fails = classes.sizes[c] < minClassSize;
      for (const model of models) {
        if (classes.sizes[c] < model.minClassSize || !model.isClassValid(classes, c)) {
          fails = true;
          failed.add(model.label);
        }
      }
      if (fails) {
        suppressed[c] = 1;
        suppressedRecords += classes.sizes[c];
        suppressedClasses++;
      }
    }
    // Criteria over the whole release suppress further classes, smallest first, as when the plan was made.
    const budget = Math.floor(this.plan.suppressionLimit * this.rows);
    const releaseCriteria = models.filter((model) => model.isReleaseValid !== undefined);
    if (suppressedRecords <= budget) {
      const enforced = enforceReleaseCriteria(classes, suppressed, releaseCriteria, budget, suppressedRecords);
      suppressedRecords += enforced.records;
      suppressedClasses += enforced.classes;
    }
    const releasedSizes = classes.sizes.filter((_, c) => suppressed[c] === 0);
    const releaseFailures = releaseCriteria.filter((model) => !model.isReleaseValid!(releasedSizes)).map((model) => model.label);
    return {
      suppressed,
      suppressedRecords,
      suppressedClasses,
      rows: this.rows,
      classes: classes.count,
      budget,
      failedModels: [...failed],
      releaseFailures,
    };
  }

  /** The class of a combination of label codes, added when new (a second pass may not add any). */
  private classOf(codes: Int32Array): number {
    let key: number | string = 0;
    if (this.packed) for (let j = 0; j < codes.length; j++) key = key * this.radix[j] + codes[j];
    else key = codes.join(',');
    let cls = this.classOfKey.get(key);
    if (cls === undefined) {
      if (this.frozen !== undefined) throw this.changedSource();
      cls = this.classCount++;
      const width = codes.length;
      if ((cls + 1) * width > this.keys.length) this.keys = grow(this.keys, (cls + 1) * width);
      if (cls >= this.sizes.length) this.sizes = grow(this.sizes, cls + 1);
      this.keys.set(codes, cls * width);
      this.classOfKey.set(key, cls);
    }
    return cls;
  }

  private tallySensitive(attribute: SensitiveState, cls: number, code: number, records = 1): void {
    const slot = cls * SENSITIVE_STRIDE + code;
    attribute.counts.set(slot, (attribute.counts.get(slot) ?? 0) + records);
  }

  private classes(): EquivalenceClasses {
    const count = this.classCount;
    const sensitive: SensitiveHistograms[] = this.sensitive.map((attribute) => {
      const entries = [...attribute.counts].sort((a, b) => a[0] - b[0]);
      const offsets = new Int32Array(count + 1);
      const codes = new Int32Array(entries.length);
      const counts = new Int32Array(entries.length);
      entries.forEach(([slot, records], i) => {
        offsets[Math.floor(slot / SENSITIVE_STRIDE) + 1]++;
        codes[i] = slot % SENSITIVE_STRIDE;
        counts[i] = records;
      });
      for (let c = 0; c < count; c++) offsets[c + 1] += offsets[c];
      return { offsets, codes, counts };
    });
    return {
      count,
      width: this.codes.length,
      levels: Int32Array.from(this.plan.quasiIdentifiers, (qi) => qi.level),
      keys: this.keys.subarray(0, count * this.codes.length),
      sizes: this.sizes.subarray(0, count),
      sensitive,
    };
  }

  /**
   * The sensitive attributes as the models see them: the plan's distribution, in which a value new to it has no
   * records (p = 0; ordered distance ranks it with the nearest planning value below it, see value-order.ts).
   */
  private sensitiveAttributes(): SensitiveAttribute[] {
    return this.sensitive.map((attribute, slot) => {
      const planned = this.plan.sensitive[slot];
      const globalCounts = new Int32Array(attribute.values.length);
      planned.counts?.forEach(([, records], code) => (globalCounts[code] = records));
      const hierarchy =
        planned.hierarchy === undefined
          ? undefined
          : compileHierarchy({ name: attribute.name, codes: new Int32Array(0), dictionary: attribute.values }, { rows: planned.hierarchy, origin: `plan hierarchy of "${attribute.name}"` });
      return { name: attribute.name, slot, type: planned.type, format: planned.format, dictionary: attribute.values, globalCounts, hierarchy };
    });
  }

  /** The error of a value the plan cannot take, at a line of the source (none for an engine's distinct values). */
  private unknownValue(column: string, line: number | undefined, what: 'hierarchy' | 'distribution' | 'type'): CloakError {
    const where = line === undefined ? this.source : `${this.source}:${line}`;
    const location = line === undefined ? { file: this.source, column } : { file: this.source, line, column };
    if (what === 'type') {
      const { type } = this.plan.sensitive.find((attribute) => attribute.name === column)!;
      return inputError('PLAN_BAD_VALUE', `${where}: a value of column "${column}" is not a valid ${type}`, { location });
    }
    const message =
      what === 'hierarchy'
        ? `${where}: a value of column "${column}" is not in the plan's hierarchy; plan again on data that includes it, or extend the hierarchy`
        : `${where}: a value of sensitive column "${column}" is not in the plan's hierarchy for it (hierarchical t-closeness places every value in it); plan again with a hierarchy that includes it`;
    return inputError('PLAN_UNKNOWN_VALUE', message, { location });
  }

  private changedSource(): CloakError {
    return sourceChanged(this.source);
  }
}

/** The error of a two-pass run whose source read differently the second time. */
export function sourceChanged(source: string): CloakError {
  return inputError('PLAN_SOURCE_CHANGED', `${source}: the data changed between the two passes; nothing was written`, { location: { file: source } });
}

/** Throws when a decision does not allow releasing the data (exit 4); returns otherwise. */
export function assertReleasable(decision: PlanDecision, source: string): void {
  if (decision.suppressedRecords > decision.budget) {
    throw new CloakError(
      'PLAN_SUPPRESSION_EXCEEDED',
      `${source}: the plan's models fail for ${decision.suppressedClasses} classes (${decision.suppressedRecords} of ${decision.rows} records: ${decision.failedModels.join(', ')}), more than the suppression budget of ${decision.budget} records`,
      { exitCode: ExitCode.noSolution },
    );
  }
  if (decision.releaseFailures.length > 0) {
    throw new CloakError('PLAN_MODEL_FAILED', `${source}: the release fails ${decision.releaseFailures.join(', ')} under the plan`, { exitCode: ExitCode.noSolution });
  }
}

/** Guards modes that need to read the source twice. */
export function notRereadable(source: string): CloakError {
  return usageError('PLAN_SOURCE_NOT_REREADABLE', `${source}: the two-pass mode reads its source twice; give a file path or a function returning a fresh iterable, or use one-pass`);
}

function grow(array: Int32Array, needed: number): Int32Array {
  const grown = new Int32Array(Math.max(needed, array.length * 2));
  grown.set(array);
  return grown;
}
