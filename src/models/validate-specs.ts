// Checks privacy-model specs before anything runs: every problem is reported at once, as one message each.
// Messages name the model's position and parameters (never data values).

import type { ModelSpec } from '../options.js';
import { DEFAULT_DP_SEARCH_BUDGET } from './dp/parameters.js';

const MODEL_TYPES = [
  'k-anonymity',
  'distinct-l-diversity',
  'entropy-l-diversity',
  'recursive-cl-diversity',
  't-closeness',
  'delta-disclosure',
  'beta-likeness',
  'average-risk',
  'highest-risk',
  'records-at-risk',
  'population-uniqueness',
  'k-map',
  'delta-presence',
  'differential-privacy',
] as const;

/** Models that read no sensitive attribute. */
const ATTRIBUTE_FREE_TYPES: readonly string[] = ['k-anonymity', 'average-risk', 'highest-risk', 'records-at-risk', 'population-uniqueness', 'k-map', 'delta-presence', 'differential-privacy'];
const K_MAP_ESTIMATORS = ['poisson', 'zero-truncated-poisson'] as const;

/**
 * Models differential privacy combines with: SafePub's guarantee holds when nothing but classes below k are
 * suppressed, so only the models that are themselves a smallest class size may join it (the larger k wins).
 */
const DP_COMPANIONS: readonly string[] = ['differential-privacy', 'k-anonymity', 'highest-risk'];
const POPULATION_MODELS = ['pitman', 'zayatz', 'snb', 'dankar'] as const;

const T_CLOSENESS_DISTANCES = ['equal', 'ordered', 'hierarchical'] as const;
const ENTROPY_ESTIMATORS = ['shannon', 'grassberger'] as const;

/**
 * Every problem with `specs`, given the names of the run's sensitive attributes; empty when all are usable.
 * Specs may come from untyped JSON, so each field's type is checked too.
 */
export function validateModelSpecs(specs: readonly ModelSpec[], sensitiveNames: readonly string[]): string[] {
  const problems: string[] = [];
  if (specs.length === 0) problems.push('no privacy model is given');
  specs.forEach((spec, index) => {
    const where = `models[${index}]`;
    if (typeof spec !== 'object' || spec === null) {
      problems.push(`${where}: must be an object with a "type"`);
      return;
    }
    const fields = spec as unknown as Record<string, unknown>;
    if (!(MODEL_TYPES as readonly unknown[]).includes(fields.type)) {
      problems.push(`${where}: unknown model type; expected one of ${MODEL_TYPES.join(', ')}`);
      return;
    }
    const report = (problem: string): void => {
      problems.push(`${where} (${spec.type}): ${problem}`);
    };
    if (!ATTRIBUTE_FREE_TYPES.includes(spec.type)) checkAttribute(fields.attribute, sensitiveNames, report);
    switch (spec.type) {
      case 'k-anonymity':
        checkNumber(fields.k, 'k', { integer: true, min: 1 }, report);
        break;
      case 'distinct-l-diversity':
        checkNumber(fields.l, 'l', { integer: true, min: 1 }, report);
        break;
      case 'entropy-l-diversity':
        checkNumber(fields.l, 'l', { min: 1 }, report);
        checkChoice(fields.estimator, 'estimator', ENTROPY_ESTIMATORS, true, report);
        break;
      case 'recursive-cl-diversity':
        checkNumber(fields.c, 'c', { above: 0 }, report);
        checkNumber(fields.l, 'l', { integer: true, min: 1 }, report);
        break;
      case 't-closeness':
        checkNumber(fields.t, 't', { min: 0, max: 1 }, report);
        checkChoice(fields.distance, 'distance', T_CLOSENESS_DISTANCES, false, report);
        break;
      case 'delta-disclosure':
        checkNumber(fields.delta, 'delta', { above: 0 }, report);
        break;
      case 'beta-likeness':
        checkNumber(fields.beta, 'beta', { above: 0 }, report);
        if (fields.enhanced !== undefined && typeof fields.enhanced !== 'boolean') report('enhanced must be true or false');
        break;
      case 'average-risk':
      case 'highest-risk':
        checkNumber(fields.maxRisk, 'maxRisk', { above: 0 }, report);
        if (typeof fields.maxRisk === 'number' && fields.maxRisk > 1) report(`maxRisk = ${fields.maxRisk} must be at most 1`);
        break;
      case 'records-at-risk':
        checkNumber(fields.maxShare, 'maxShare', { min: 0, max: 1 }, report);
        checkNumber(fields.threshold, 'threshold', { min: 0, max: 1 }, report);
        break;
      case 'population-uniqueness':
        checkNumber(fields.maxUniqueness, 'maxUniqueness', { min: 0, max: 1 }, report);
        checkNumber(fields.populationSize, 'populationSize', { integer: true, min: 1 }, report);
        checkChoice(fields.model, 'model', POPULATION_MODELS, false, report);
        break;
      case 'k-map':
        checkKMap(fields, report);
        break;
      case 'delta-presence':
        checkDeltaPresence(fields, report);
        break;
      case 'differential-privacy':
        checkDifferentialPrivacy(fields, report);
        break;
    }
  });
  problems.push(...combinationProblems(specs));
  return problems;
}

function checkKMap(fields: Record<string, unknown>, report: (problem: string) => void): void {
  checkNumber(fields.k, 'k', { integer: true, min: 1 }, report);
  if (fields.estimator === undefined) {
    for (const name of ['populationSize', 'significance']) {
      if (fields[name] !== undefined) report(`${name} applies to an estimated k-map only (give an estimator, or count from risk.populationTable)`);
    }
    return;
  }
  checkChoice(fields.estimator, 'estimator', K_MAP_ESTIMATORS, false, report);
  checkNumber(fields.populationSize, 'populationSize', { integer: true, min: 1 }, report);
  if (fields.significance !== undefined) checkNumber(fields.significance, 'significance', { min: 0, max: 1 }, report);
}

function checkDeltaPresence(fields: Record<string, unknown>, report: (problem: string) => void): void {
  checkNumber(fields.deltaMin, 'deltaMin', { min: 0, max: 1 }, report);
  checkNumber(fields.deltaMax, 'deltaMax', { min: 0, max: 1 }, report);
  if (typeof fields.deltaMin === 'number' && typeof fields.deltaMax === 'number' && fields.deltaMin > fields.deltaMax) {
    report(`deltaMin = ${fields.deltaMin} must not exceed deltaMax = ${fields.deltaMax}`);
  }
  const column = fields.subsetColumn;
  const file = fields.subsetFile;
  if ((column === undefined) === (file === undefined)) report('give exactly one of subsetColumn (a boolean column of the data) and subsetFile (the subset\'s rows)');
  if (column !== undefined && (typeof column !== 'string' || column === '')) report('subsetColumn must name a column');
  if (file !== undefined && !(typeof file === 'string' ? file !== '' : Array.isArray(file))) report('subsetFile must be a CSV path or an array of records');
}

function checkDifferentialPrivacy(fields: Record<string, unknown>, report: (problem: string) => void): void {
  checkNumber(fields.epsilon, 'epsilon', { above: 0 }, report);
  checkNumber(fields.delta, 'delta', { above: 0 }, report);
  if (typeof fields.delta === 'number' && fields.delta >= 1) report(`delta = ${fields.delta} must be below 1`);
  if (fields.seed !== undefined && !(Number.isSafeInteger(fields.seed) && (fields.seed as number) >= 0)) report('seed must be a non-negative integer');
  if (fields.levels !== undefined) {
    const levels = fields.levels;
    if (typeof levels !== 'object' || levels === null || Array.isArray(levels)) report('levels must map each quasi-identifier to a level');
    else {
      for (const [name, level] of Object.entries(levels)) {
        if (!(Number.isInteger(level) && (level as number) >= 0)) report(`levels.${name} must be an integer ≥ 0`);
      }
    }
    for (const name of ['searchBudget', 'steps']) {
      if (fields[name] !== undefined) report(`${name} applies to the search only; fixed levels spend no budget on it`);
    }
    return;
  }
  if (fields.searchBudget !== undefined) {
    checkNumber(fields.searchBudget, 'searchBudget', { above: 0 }, report);
    if (typeof fields.searchBudget === 'number' && typeof fields.epsilon === 'number' && fields.searchBudget >= fields.epsilon) {
      report(`searchBudget = ${fields.searchBudget} must be below epsilon = ${fields.epsilon}: the anonymization keeps epsilon − searchBudget`);
    }
  } else if (typeof fields.epsilon === 'number' && fields.epsilon > 0 && fields.epsilon <= DEFAULT_DP_SEARCH_BUDGET) {
    report(`epsilon = ${fields.epsilon} must exceed the search's default budget of ${DEFAULT_DP_SEARCH_BUDGET} (give a smaller searchBudget, or fixed levels)`);
  }
  if (fields.steps !== undefined) checkNumber(fields.steps, 'steps', { integer: true, min: 1 }, report);
}

/** Models that cannot be combined, each with the reason. */
function combinationProblems(specs: readonly ModelSpec[]): string[] {
  const problems: string[] = [];
  const types = specs.filter((spec) => typeof spec === 'object' && spec !== null).map((spec) => spec.type);
  const count = (type: string) => types.filter((candidate) => candidate === type).length;
  if (count('differential-privacy') > 1) problems.push('models: at most one differential-privacy model (one sample, one budget)');
  if (count('delta-presence') > 1) problems.push('models: at most one delta-presence model (one research subset)');
  if (count('differential-privacy') > 0) {
    for (const type of new Set(types.filter((candidate) => !DP_COMPANIONS.includes(candidate)))) {
      problems.push(
        `models: differential-privacy cannot be combined with ${type}: its guarantee holds when nothing but the classes below k is suppressed (k-anonymity and highest risk, which only raise k, may join it)`,
      );
    }
  }
  return problems;
}

interface NumberRule {
  readonly integer?: boolean;
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
}

function checkNumber(value: unknown, name: string, rule: NumberRule, report: (problem: string) => void): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    report(`${name} must be a finite number`);
    return;
  }
  if (rule.integer === true && !Number.isInteger(value)) report(`${name} = ${value} must be an integer`);
  if (rule.min !== undefined && rule.max !== undefined && (value < rule.min || value > rule.max)) {
    report(`${name} = ${value} must be in [${rule.min}, ${rule.max}]`);
  } else if (rule.min !== undefined && value < rule.min) {
    report(`${name} = ${value} must be at least ${rule.min}`);
  }
  if (rule.above !== undefined && value <= rule.above) report(`${name} = ${value} must be greater than ${rule.above}`);
}

function checkChoice(
  value: unknown,
  name: string,
  choices: readonly string[],
  optional: boolean,
  report: (problem: string) => void,
): void {
  if (optional && value === undefined) return;
  if (typeof value !== 'string' || !choices.includes(value)) report(`${name} must be one of ${choices.join(', ')}`);
}

function checkAttribute(value: unknown, sensitiveNames: readonly string[], report: (problem: string) => void): void {
  if (typeof value !== 'string' || value === '') {
    report('attribute must name a sensitive attribute');
  } else if (!sensitiveNames.includes(value)) {
    report(`attribute "${value}" is not a sensitive attribute`);
  }
}
