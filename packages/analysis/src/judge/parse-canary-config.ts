import { ValidationError, type ValidationIssue } from '@gradual/core';
import type { CanaryConfig } from './canary-config.js';

const JUDGE_NAME = 'NetflixACAJudge-v1.0';

/**
 * Reads a Kayenta canary config (JSON text or the parsed object) as Kayenta
 * stores it, unchanged. Checks every field the judge reads and throws a
 * ValidationError listing each problem with its path (`metrics[1].analysisConfigurations.canary.direction`).
 * Kayenta reads an unknown `direction` or `nanStrategy` as its default; here
 * a misspelt value is an error, since it would silently change the verdict.
 */
export function parseCanaryConfig(input: string | unknown): CanaryConfig {
  let config: unknown = input;
  if (typeof input === 'string') {
    try {
      config = JSON.parse(input);
    } catch (error) {
      throw new ValidationError('canary config', [{ path: '', message: `is not JSON: ${(error as Error).message}` }]);
    }
  }
  const issues = canaryConfigIssues(config);
  if (issues.length > 0) throw new ValidationError('canary config', issues);
  return config as CanaryConfig;
}

function canaryConfigIssues(config: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  if (!isObject(config)) {
    add('', 'must be an object');
    return issues;
  }
  if (config.name !== undefined && typeof config.name !== 'string') add('name', 'must be a string');
  if (config.applications !== undefined && !isStringArray(config.applications)) add('applications', 'must be a list of strings');
  if (config.judge !== undefined) {
    if (!isObject(config.judge)) add('judge', 'must be an object');
    else if (config.judge.name !== undefined && config.judge.name !== JUDGE_NAME)
      add('judge.name', `only ${JUDGE_NAME} is implemented, got ${JSON.stringify(config.judge.name)}`);
  }
  if (config.templates !== undefined) {
    if (!isObject(config.templates)) add('templates', 'must be an object of strings');
    else
      for (const [name, template] of Object.entries(config.templates))
        if (typeof template !== 'string') add(`templates.${name}`, 'must be a string');
  }
  if (config.classifier !== undefined) {
    const classifier = config.classifier;
    if (!isObject(classifier)) add('classifier', 'must be an object');
    else {
      if (classifier.groupWeights !== undefined) {
        if (!isObject(classifier.groupWeights)) add('classifier.groupWeights', 'must be an object of numbers');
        else
          for (const [group, weight] of Object.entries(classifier.groupWeights))
            if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0)
              add(`classifier.groupWeights.${group}`, `must be a number >= 0, got ${JSON.stringify(weight)}`);
      }
      if (classifier.scoreThresholds !== undefined)
        issues.push(...thresholdIssues(classifier.scoreThresholds, 'classifier.scoreThresholds'));
    }
  }
  if (!Array.isArray(config.metrics) || config.metrics.length === 0) {
    add('metrics', 'must be a non-empty list');
    return issues;
  }
  const seen = new Set<string>();
  config.metrics.forEach((metric: unknown, index: number) => {
    const path = `metrics[${index}]`;
    if (!isObject(metric)) {
      add(path, 'must be an object');
      return;
    }
    if (typeof metric.name !== 'string' || metric.name === '') add(`${path}.name`, 'is required');
    else if (seen.has(metric.name)) add(`${path}.name`, `duplicate metric name ${JSON.stringify(metric.name)}`);
    else seen.add(metric.name);
    if (!isObject(metric.query) || typeof metric.query.type !== 'string' || metric.query.type === '')
      add(`${path}.query.type`, 'is required (the metric source, e.g. "prometheus")');
    // A metric in no group cannot change the score: almost certainly a mistake.
    if (!isStringArray(metric.groups) || metric.groups.length === 0)
      add(`${path}.groups`, 'must be a non-empty list of group names');
    if (metric.scopeName !== undefined && typeof metric.scopeName !== 'string') add(`${path}.scopeName`, 'must be a string');
    if (metric.analysisConfigurations !== undefined) {
      if (!isObject(metric.analysisConfigurations)) add(`${path}.analysisConfigurations`, 'must be an object');
      else if (metric.analysisConfigurations.canary !== undefined)
        issues.push(...settingsIssues(metric.analysisConfigurations.canary, `${path}.analysisConfigurations.canary`));
    }
  });
  return issues;
}

function settingsIssues(canary: unknown, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (field: string, message: string) => issues.push({ path: `${path}.${field}`, message });
  if (!isObject(canary)) return [{ path, message: 'must be an object' }];
  const oneOf = (field: string, value: unknown, allowed: readonly string[]) => {
    if (value !== undefined && !allowed.includes(value as string))
      add(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  };
  const flag = (field: string) => {
    if (canary[field] !== undefined && typeof canary[field] !== 'boolean')
      add(field, `must be true or false, got ${JSON.stringify(canary[field])}`);
  };
  oneOf('direction', canary.direction, ['increase', 'decrease', 'either']);
  oneOf('nanStrategy', canary.nanStrategy, ['remove', 'replace']);
  flag('critical');
  flag('mustHaveData');
  flag('muted');
  if (canary.effectSize !== undefined) {
    if (!isObject(canary.effectSize)) add('effectSize', 'must be an object');
    else {
      oneOf('effectSize.measure', canary.effectSize.measure, ['meanRatio', 'cles']);
      for (const field of ['allowedIncrease', 'allowedDecrease', 'criticalIncrease', 'criticalDecrease']) {
        const value = canary.effectSize[field];
        if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value)))
          add(`effectSize.${field}`, `must be a number, got ${JSON.stringify(value)}`);
      }
    }
  }
  if (canary.outliers !== undefined) {
    if (!isObject(canary.outliers)) add('outliers', 'must be an object');
    else {
      oneOf('outliers.strategy', canary.outliers.strategy, ['remove', 'keep']);
      const factor = canary.outliers.outlierFactor;
      if (factor !== undefined && (typeof factor !== 'number' || !(factor > 0)))
        add('outliers.outlierFactor', `must be a number > 0, got ${JSON.stringify(factor)}`);
    }
  }
  return issues;
}

/** Problems with a `{ pass, marginal }` pair. */
export function thresholdIssues(thresholds: unknown, path: string): ValidationIssue[] {
  if (!isObject(thresholds)) return [{ path, message: 'must be an object with pass and marginal' }];
  const issues: ValidationIssue[] = [];
  for (const field of ['pass', 'marginal'] as const) {
    const value = thresholds[field];
    if (typeof value !== 'number' || !Number.isFinite(value))
      issues.push({ path: `${path}.${field}`, message: `must be a number, got ${JSON.stringify(value)}` });
  }
  if (issues.length === 0 && (thresholds.marginal as number) > (thresholds.pass as number))
    issues.push({ path: `${path}.marginal`, message: `(${thresholds.marginal}) must not be above pass (${thresholds.pass})` });
  return issues;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
