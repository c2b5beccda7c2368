// Checks privacy-model specs before anything runs: every problem is reported at once, as one message each.
// Messages name the model's position and parameters (never data values).

import type { ModelSpec } from '../options.js';

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
] as const;

/** Models that read no sensitive attribute. */
const ATTRIBUTE_FREE_TYPES: readonly string[] = ['k-anonymity', 'average-risk', 'highest-risk', 'records-at-risk', 'population-uniqueness'];
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
    }
  });
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
