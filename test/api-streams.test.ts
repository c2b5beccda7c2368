import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { anonymize, CloakError, type AnonymizeOptions } from '../src/index.js';

const options: AnonymizeOptions = {
  attributes: { age: { role: 'quasi-identifying', hierarchy: [['30', '3x', '*'], ['31', '3x', '*'], ['40', '4x', '*'], ['41', '4x', '*']] } },
  models: [{ type: 'k-anonymity', k: 2 }],
};
const ages = ['30', '31', '40', '41', '30', '40'];

describe('anonymize over an async iterable (ETL streams)', () => {
  it('accepts a stream of records and gives the same result as the array', async () => {
    async function* records() {
      for (const [index, age] of ages.entries()) yield { id: String(index), age };
    }
    const fromStream = await anonymize(records(), options);
    const fromArray = await anonymize(ages.map((age, index) => ({ id: String(index), age })), options);
    expect(fromStream.report.transformation).toEqual(fromArray.report.transformation);
    expect(fromStream.table.getChild('age')!.toArray()).toEqual(fromArray.table.getChild('age')!.toArray());
    expect(fromStream.table.numRows).toBe(ages.length);
  });

  it('accepts a stream of Arrow record batches', async () => {
    const table = tableFromArrays({ id: ['0', '1', '2', '3', '4', '5'], age: ages });
    async function* batches() {
      yield* table.batches;
    }
    const { table: output, report } = await anonymize(batches(), options);
    expect(report.transformation).toEqual({ age: 1 });
    expect(Array.from({ length: output.numRows }, (_, r) => output.getChild('age')!.get(r))).toEqual(['3x', '3x', '4x', '4x', '3x', '4x']);
  });

  it('refuses a stream of anything else with a usage error', async () => {
    async function* numbers() {
      yield 1;
    }
    await expect(anonymize(numbers() as never, options)).rejects.toBeInstanceOf(CloakError);
  });
});
