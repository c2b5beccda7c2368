// A plan's pseudonymized attributes when it is applied: the keys are loaded and matched with the plan's fingerprints
// before any row is read, then each batch of rows has its distinct values transformed at once, as anonymize does.

import { inputError, usageError } from '../errors.js';
import type { PseudonymizationKeys } from '../pseudonymize/keys.js';
import { keyTransforms, type PreparedTransforms } from '../pseudonymize/prepare-transforms.js';
import { pseudonymizeTable } from '../pseudonymize/pseudonymize-table.js';
import { encodeRows, type EncodedColumn } from '../table/encoded-table.js';
import type { Plan } from './plan-format.js';
import type { RowBatch } from './sources.js';

/**
 * Tokens at least this long (5 bits a character: 100 bits, the default length) are checked within each batch only:
 * among a billion distinct values two collide with a probability below 10^-12. Shorter ones are checked across the
 * whole input, at the cost of remembering each distinct value.
 */
const CROSS_BATCH_CHECK_BELOW = 20;

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

  /**
   * Per hmac attribute whose tokens are short enough to collide in practice: token → the value that got it, over
   * every batch so far. Batches check their own distinct values; across batches only these could merge two people.
   */
  private readonly tokensSeen = new Map<string, Map<string, string>>();

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
      this.checkAcrossBatches(table.columns[index], column, batch, source);
      batch.rows.forEach((row, r) => (row[target] = column.dictionary[column.codes[r]]));
    }
  }

  /** Refuses a token an earlier batch gave to another value (the in-batch check cannot see it). */
  private checkAcrossBatches(original: EncodedColumn, tokens: EncodedColumn, batch: RowBatch, source: string): void {
    const transform = this.transforms.get(original.name)?.transform;
    if (transform?.method !== 'hmac' || transform.length >= CROSS_BATCH_CHECK_BELOW) return;
    let seen = this.tokensSeen.get(original.name);
    if (seen === undefined) this.tokensSeen.set(original.name, (seen = new Map()));
    const checked = new Uint8Array(original.dictionary.length);
    for (let r = 0; r < original.codes.length; r++) {
      const code = original.codes[r];
      if (checked[code] === 1) continue;
      checked[code] = 1;
      const value = original.dictionary[code];
      const token = tokens.dictionary[code];
      if (value === '') continue;
      const earlier = seen.get(token);
      if (earlier === undefined) seen.set(token, value);
      else if (earlier !== value) {
        throw inputError('TOKEN_COLLISION', `${source}:${batch.lines[r]}: column "${original.name}": two distinct values get the same ${transform.length}-character hmac token; give a longer length (at most 52)`, {
          location: { file: source, line: batch.lines[r], column: original.name },
        });
      }
    }
  }
}
