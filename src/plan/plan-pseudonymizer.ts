// A plan's pseudonymized attributes when it is applied: the keys are loaded and matched with the plan's fingerprints
// before any row is read, then each batch of rows has its distinct values transformed at once, as anonymize does.

import { usageError } from '../errors.js';
import type { PseudonymizationKeys } from '../pseudonymize/keys.js';
import { keyTransforms, type PreparedTransforms } from '../pseudonymize/prepare-transforms.js';
import { pseudonymizeTable } from '../pseudonymize/pseudonymize-table.js';
import { encodeRows } from '../table/encoded-table.js';
import type { Plan } from './plan-format.js';
import type { RowBatch } from './sources.js';

export class PlanPseudonymizer {
  private constructor(
    private readonly transforms: PreparedTransforms,
    /** The columns the transforms read: the pseudonymized ones and the subjects of shifted dates. */
    private readonly read: readonly string[],
  ) {}

  /**
   * Loads the keys of the plan's keyed transforms (its own key sources, else `keys`); undefined when the plan
   * pseudonymizes nothing.
   * @throws CloakError (exit 2): a key problem, or PLAN_KEY_MISMATCH when a key is not the one the plan was made with.
   */
  static async create(plan: Plan, keys: PseudonymizationKeys | undefined, source: string): Promise<PlanPseudonymizer | undefined> {
    const entries = plan.pseudonymized ?? [];
    if (entries.length === 0) return undefined;
    const transforms = await keyTransforms(
      entries.map(({ attribute, transform, keyFile, keyEnv }) => ({ attribute, transform, ...(keyFile !== undefined ? { ownKey: { file: keyFile } } : keyEnv !== undefined ? { ownKey: { env: keyEnv } } : {}) })),
      keys,
    );
    const mismatches = entries.flatMap(({ attribute, keyFingerprint }) => {
      const used = transforms.get(attribute)?.key?.fingerprint;
      return used === keyFingerprint ? [] : [`"${attribute}": the key given (fingerprint ${used}) is not the one the plan was made with (fingerprint ${keyFingerprint})`];
    });
    if (mismatches.length > 0) {
      throw usageError('PLAN_KEY_MISMATCH', `${source}: ${mismatches.length === 1 ? mismatches[0] : `${mismatches.length} keys differ from the plan's:\n  - ${mismatches.join('\n  - ')}`}`, { problems: mismatches });
    }
    const subjects = entries.flatMap(({ transform }) => (transform.method === 'shift-dates' ? [transform.subject] : []));
    return new PlanPseudonymizer(transforms, [...new Set([...transforms.keys(), ...subjects])]);
  }

  /** Transforms the batch's pseudonymized cells in place; each distinct value of the batch once. */
  apply(batch: RowBatch, source: string): void {
    const columns = this.read.map((name) => batch.header.indexOf(name));
    const table = encodeRows(
      this.read,
      batch.rows.map((row) => columns.map((column) => row[column])),
    );
    const { columns: transformed } = pseudonymizeTable(table, this.transforms, { file: source, lineOfRow: Int32Array.from(batch.lines) });
    for (const [index, column] of transformed) {
      const target = columns[index];
      batch.rows.forEach((row, r) => (row[target] = column.dictionary[column.codes[r]]));
    }
  }
}
