import { type AnalysisMetric, parseDuration, ValidationError, type ValidationIssue } from '@gradual/core';
import { compileCondition } from '../condition/compile-condition.js';
import { ConditionError } from '../condition/condition-error.js';
import { describeValue } from '../data/describe-value.js';
import { noDataPolicies } from '../run/no-data.js';

const placeholder = /\{\{/;

/**
 * Everything wrong with one metric, with paths under `path` (Argo's
 * `ValidateMetric`). Fields that still hold a `{{args.*}}` placeholder are
 * checked after substitution, when the run starts.
 */
export function metricIssues(metric: AnalysisMetric, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (field: string, message: string) => issues.push({ path: field ? `${path}.${field}` : path, message });
  if (typeof metric !== 'object' || metric === null || Array.isArray(metric)) {
    add('', 'must be an object');
    return issues;
  }
  if (typeof metric.name !== 'string' || metric.name === '') add('name', 'is required');

  const int = (field: 'count' | 'failureLimit' | 'inconclusiveLimit' | 'consecutiveErrorLimit' | 'consecutiveSuccessLimit') => {
    const value = metric[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && placeholder.test(value)) return undefined;
    const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number)) {
      add(field, `must be an integer, got ${describeValue(value)}`);
      return undefined;
    }
    return number;
  };
  const count = int('count');
  const failureLimit = int('failureLimit');
  const inconclusiveLimit = int('inconclusiveLimit');
  const consecutiveErrorLimit = int('consecutiveErrorLimit');
  const consecutiveSuccessLimit = int('consecutiveSuccessLimit');
  if (count !== undefined && count < 0) add('count', 'must be >= 0');
  if (failureLimit !== undefined && failureLimit < -1) add('failureLimit', 'must be >= -1');
  if (inconclusiveLimit !== undefined && inconclusiveLimit < 0) add('inconclusiveLimit', 'must be >= 0');
  if (consecutiveErrorLimit !== undefined && consecutiveErrorLimit < 0) add('consecutiveErrorLimit', 'must be >= 0');
  if (consecutiveSuccessLimit !== undefined && consecutiveSuccessLimit < 0) add('consecutiveSuccessLimit', 'must be >= 0');
  if (failureLimit === -1 && !(consecutiveSuccessLimit !== undefined && consecutiveSuccessLimit > 0)) {
    add('failureLimit', 'failureLimit -1 disables failure, so consecutiveSuccessLimit must be > 0');
  }
  if (count !== undefined && count > 0) {
    const fl = failureLimit ?? 0;
    const csl = consecutiveSuccessLimit ?? 0;
    if (fl >= 0 && csl >= 0 && count < fl + csl)
      add('count', `count (${count}) must be >= failureLimit + consecutiveSuccessLimit (${fl + csl})`);
    if (fl < 0 && count < csl) add('count', `count (${count}) must be >= consecutiveSuccessLimit (${csl})`);
    if (count < (inconclusiveLimit ?? 0)) add('count', `count (${count}) must be >= inconclusiveLimit (${inconclusiveLimit})`);
  }
  const duration = (field: 'interval' | 'initialDelay') => {
    const value = metric[field];
    if (value === undefined || value === null || value === '') return false;
    if (typeof value === 'string' && placeholder.test(value)) return true;
    try {
      parseDuration(value as string);
    } catch (error) {
      const detail = ValidationError.isValidationError(error) ? error.issues[0]?.message : String(error);
      add(field, `invalid duration: ${detail}`);
    }
    return true;
  };
  const hasInterval = duration('interval');
  duration('initialDelay');
  if (count !== undefined && count > 1 && !hasInterval) add('interval', 'is required when count > 1');

  for (const field of ['successCondition', 'failureCondition'] as const) {
    const condition = metric[field];
    if (condition === undefined || condition === null || (typeof condition === 'string' && condition.trim() === '')) continue;
    if (typeof condition !== 'string') {
      add(field, 'must be a string');
      continue;
    }
    if (placeholder.test(condition)) continue;
    try {
      compileCondition(condition);
    } catch (error) {
      add(field, ConditionError.isConditionError(error) ? error.message : String(error));
    }
  }

  const noData = (metric as { noData?: unknown }).noData;
  if (
    noData !== undefined &&
    !(typeof noData === 'string' && (placeholder.test(noData) || (noDataPolicies as readonly string[]).includes(noData)))
  ) {
    add('noData', `must be one of ${noDataPolicies.join(', ')}, got ${describeValue(noData)}`);
  }

  const provider = metric.provider;
  if (typeof provider !== 'object' || provider === null || Array.isArray(provider)) {
    add('provider', 'no provider specified');
  } else {
    const keys = Object.keys(provider);
    if (keys.length === 0) add('provider', 'no provider specified');
    if (keys.length > 1) add('provider', `multiple providers specified (${keys.join(', ')})`);
  }
  return issues;
}
