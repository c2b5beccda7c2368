import { describe, expect, it } from 'vitest';
import { parseTypeSpec, typedValue, validateColumnType } from '../../src/table/attribute-types.js';
import { encodeRows } from '../../src/table/encoded-table.js';
import { CloakError } from '../../src/errors.js';

describe('attribute types', () => {
  it('parses type specs, with a date format', () => {
    expect(parseTypeSpec('integer', 'age')).toEqual({ type: 'integer' });
    expect(parseTypeSpec('date:DD.MM.YYYY', 'visit')).toEqual({ type: 'date', format: 'DD.MM.YYYY' });
    expect(() => parseTypeSpec('float', 'x')).toThrow(CloakError);
    expect(() => parseTypeSpec('integer:YYYY', 'x')).toThrow(CloakError);
    expect(() => parseTypeSpec('date:YYYY', 'x')).toThrow(CloakError);
  });

  it('orders typed values: numbers numerically, dates chronologically, invalid dates refused', () => {
    expect(typedValue('42', { type: 'integer' })).toBe(42);
    expect(typedValue('4.2', { type: 'integer' })).toBeNaN();
    expect(typedValue('-1.5e3', { type: 'decimal' })).toBe(-1500);
    const d = (text: string) => typedValue(text, { type: 'date', format: 'DD.MM.YYYY' });
    expect(d('01.02.2020')).toBeLessThan(d('15.01.2021'));
    expect(d('30.02.2023')).toBeNaN();
    expect(typedValue('2023-02-28', { type: 'date' })).toBe(Date.UTC(2023, 1, 28));
  });

  it('reads integers in exponent notation when they are whole (R writes 7.3e+07), refuses them otherwise', () => {
    const integer = (text: string) => typedValue(text, { type: 'integer' });
    expect(integer('7.3e+07')).toBe(73_000_000);
    expect(integer('1E3')).toBe(1000);
    expect(integer('-2.5e1')).toBe(-25);
    expect(integer('1000e-3')).toBe(1);
    expect(integer('0e5')).toBe(0);
    expect(integer('1.5e0')).toBeNaN();
    expect(integer('1e-1')).toBeNaN();
    // Whole by its digits, not by the double it rounds to.
    expect(integer('1.0000000000000001e0')).toBeNaN();
    expect(integer('1e400')).toBeNaN();
    expect(integer('e3')).toBeNaN();
    expect(integer('1.5')).toBeNaN();
  });

  it('refuses a non-whole exponent value with the column and line, never the value', () => {
    const column = encodeRows(['income'], [['7.3e+07'], ['1E3'], ['1.5e0']]).columns[0];
    expect(() => validateColumnType(column, { type: 'integer' }, 'in.csv', Int32Array.from([2, 3, 4]))).toThrow(/^in\.csv:4: the value of column "income" is not an integer/);
    expect(() => validateColumnType(column, { type: 'integer' }, 'in.csv', Int32Array.from([2, 3, 4]))).not.toThrow(/1\.5/);
    const whole = encodeRows(['income'], [['7.3e+07'], ['1E3'], ['12']]).columns[0];
    expect(() => validateColumnType(whole, { type: 'integer' }, 'in.csv')).not.toThrow();
  });

  it('names the column and line of the first value that does not parse, never the value', () => {
    const column = encodeRows(['age'], [['30'], ['31'], ['thirty-two'], ['x']]).columns[0];
    try {
      validateColumnType(column, { type: 'integer' }, 'in.csv', Int32Array.from([2, 3, 4, 5]));
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(CloakError);
      expect((error as CloakError).message).toContain('in.csv:4');
      expect((error as CloakError).message).toContain('"age"');
      expect((error as CloakError).message).not.toContain('thirty');
    }
  });
});
