// Figures for people: rounding for reading and plurals, as every human summary of the CLI prints them.

import { describe, expect, it } from 'vitest';
import { count, readableNumber, readablePercent } from '../../src/cli/readable.js';

describe('readableNumber', () => {
  it('keeps integers, rounds others to 4 significant digits, and to the unit from 1000 on', () => {
    expect(readableNumber(5)).toBe('5');
    expect(readableNumber(123456789)).toBe('123456789');
    expect(readableNumber(0.3831266600506036)).toBe('0.3831');
    expect(readableNumber(0.018229166666666668)).toBe('0.01823');
    expect(readableNumber(1234.5678)).toBe('1235');
    expect(readableNumber(-2.718281828)).toBe('-2.718');
    expect(readableNumber(Infinity)).toBe('∞');
  });
});

describe('readablePercent', () => {
  it('gives 2 significant digits below 10%, one decimal above', () => {
    expect(readablePercent(0.018229166666666668)).toBe('1.8%');
    expect(readablePercent(0.8036)).toBe('80.4%');
    expect(readablePercent(0.00034)).toBe('0.034%');
    expect(readablePercent(0.04)).toBe('4%');
    expect(readablePercent(0.2)).toBe('20%');
    expect(readablePercent(0)).toBe('0%');
    expect(readablePercent(1)).toBe('100%');
  });

  it('never rounds a share that is not 1 to 100%', () => {
    expect(readablePercent(0.9996)).toBe('99.96%');
    expect(readablePercent(0.9999999)).toBe('99.99999%');
  });
});

describe('count', () => {
  it('uses the singular for exactly one', () => {
    expect(count(1, 'record')).toBe('1 record');
    expect(count(0, 'record')).toBe('0 records');
    expect(count(2, 'class', 'classes')).toBe('2 classes');
    expect(count(1, 'class', 'classes')).toBe('1 class');
  });
});
