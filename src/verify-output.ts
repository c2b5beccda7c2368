// The guarantee gate: re-checks the decoded output with cloak/testing's string-based checkers before anything
// is written. They share no code with groupify or models, so an engine bug cannot vouch for itself.

import { CloakError, ExitCode } from './errors.js';
import type { SensitiveAttribute } from './models/privacy-model.js';
import type { ModelSpec } from './options.js';
import type { EncodedTable } from './table/encoded-table.js';
import { typedValue } from './table/attribute-types.js';
import { checkKAnonymity } from './testing/k-anonymity.js';
import { checkLDiversity } from './testing/l-diversity.js';
import { checkTCloseness } from './testing/t-closeness.js';
import { checkBetaLikeness, checkDeltaDisclosure } from './testing/disclosure.js';
import { checkSuppressionWithin } from './testing/suppression.js';
import { checkRisk } from './testing/risk.js';
import { riskModelLabel } from './risk/criteria.js';
import type { ColumnarTable } from './testing/table-input.js';
import type { Verdict } from './testing/verdict.js';

export interface VerificationInput {
  readonly output: EncodedTable;
  readonly original: EncodedTable;
  /** The search's decision, not the `*` cells: at the top node every released cell is `*` too. */
  readonly suppressedRows: Uint8Array;
  readonly quasiIdentifiers: readonly string[];
  readonly models: readonly ModelSpec[];
  readonly suppressionLimit: number;
  readonly sensitiveHierarchies: readonly SensitiveAttribute[];
}

function columnar(table: EncodedTable): ColumnarTable {
  const columns: Record<string, { codes: Int32Array; dictionary: readonly string[] }> = Object.create(null);
  for (const column of table.columns) columns[column.name] = { codes: column.codes, dictionary: column.dictionary };
  return { rowCount: table.rowCount, columns };
}

/** ARX-style rows rebuilt from a compiled hierarchy, for the data values only. */
function hierarchyRows(attribute: SensitiveAttribute): string[][] | undefined {
  const hierarchy = attribute.hierarchy;
  if (hierarchy === undefined) return undefined;
  return attribute.dictionary.map((value, code) => {
    const row = [value];
    for (let level = 1; level <= hierarchy.maxLevel; level++) row.push(hierarchy.labels[level][hierarchy.dataToLevel[level][code]]);
    return row;
  });
}

/** Values in the order the attribute's declared type gives them (ordered t-closeness). */
function declaredOrder(attribute: SensitiveAttribute): string[] {
  const values = attribute.dictionary.slice();
  if (attribute.type === 'string') return values.sort(byCodePoint);
  const typed = { type: attribute.type, format: attribute.format };
  return values.sort((a, b) => typedValue(a, typed) - typedValue(b, typed) || byCodePoint(a, b));
}

/** Unicode code point order (`<` on strings compares UTF-16 units and misorders astral characters). */
function byCodePoint(a: string, b: string): number {
  const pointsA = Array.from(a, (character) => character.codePointAt(0)!);
  const pointsB = Array.from(b, (character) => character.codePointAt(0)!);
  for (let i = 0; i < Math.min(pointsA.length, pointsB.length); i++) if (pointsA[i] !== pointsB[i]) return pointsA[i] - pointsB[i];
  return pointsA.length - pointsB.length;
}

/** Throws a verification error (exit 5) naming the first failed check; returns when every check passes. */
export function verifyOutput(input: VerificationInput): void {
  const output = columnar(input.output);
  const original = columnar(input.original);
  const suppressedRows = Array.from(input.suppressedRows, (flag) => flag === 1);
  const qi = input.quasiIdentifiers;
  const common = { qi, suppressedRows };
  const sensitiveByName = new Map(input.sensitiveHierarchies.map((attribute) => [attribute.name, attribute]));

  const checks: { name: string; run: () => Verdict }[] = [
    {
      name: 'suppression budget',
      run: () => checkSuppressionWithin(original, output, { qi, limit: input.suppressionLimit, suppressedRows }),
    },
  ];
  for (const spec of input.models) {
    switch (spec.type) {
      case 'k-anonymity':
        checks.push({ name: `${spec.k}-anonymity`, run: () => checkKAnonymity(output, { ...common, k: spec.k }) });
        break;
      case 'distinct-l-diversity':
        checks.push({ name: `distinct ${spec.l}-diversity`, run: () => checkLDiversity(output, { ...common, sensitive: spec.attribute, l: spec.l, variant: 'distinct' }) });
        break;
      case 'entropy-l-diversity':
        checks.push({
          name: `entropy ${spec.l}-diversity`,
          run: () => checkLDiversity(output, { ...common, sensitive: spec.attribute, l: spec.l, variant: 'entropy', estimator: spec.estimator }),
        });
        break;
      case 'recursive-cl-diversity':
        checks.push({
          name: `recursive (${spec.c},${spec.l})-diversity`,
          run: () => checkLDiversity(output, { ...common, sensitive: spec.attribute, l: spec.l, c: spec.c, variant: 'recursive' }),
        });
        break;
      case 't-closeness': {
        const attribute = sensitiveByName.get(spec.attribute)!;
        checks.push({
          name: `${spec.distance}-distance ${spec.t}-closeness`,
          run: () =>
            checkTCloseness(output, {
              ...common,
              sensitive: spec.attribute,
              t: spec.t,
              distance: spec.distance,
              reference: original,
              hierarchy: spec.distance === 'hierarchical' ? hierarchyRows(attribute) : undefined,
              order: spec.distance === 'ordered' ? declaredOrder(attribute) : undefined,
            }),
        });
        break;
      }
      case 'delta-disclosure':
        checks.push({
          name: `${spec.delta}-disclosure privacy`,
          run: () => checkDeltaDisclosure(output, { ...common, sensitive: spec.attribute, delta: spec.delta, reference: original }),
        });
        break;
      case 'beta-likeness':
        checks.push({
          name: `${spec.enhanced ? 'enhanced ' : ''}${spec.beta}-likeness`,
          run: () => checkBetaLikeness(output, { ...common, sensitive: spec.attribute, beta: spec.beta, enhanced: spec.enhanced, reference: original }),
        });
        break;
      case 'average-risk':
      case 'highest-risk':
      case 'records-at-risk':
      case 'population-uniqueness':
        checks.push({ name: riskModelLabel(spec), run: () => checkRisk(output, { ...common, model: spec }) });
        break;
    }
  }

  for (const check of checks) {
    const verdict = check.run();
    if (!verdict.ok) {
      throw new CloakError('VERIFICATION_FAILED', `independent verification of the output failed (${check.name}): ${verdict.failures.length} failure(s); nothing was written`, {
        exitCode: ExitCode.verification,
      });
    }
  }
}
