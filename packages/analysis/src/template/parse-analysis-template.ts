import { type AnalysisMetric, ValidationError, type ValidationIssue } from '@gradual/core';
import { copyPlainData, NotPlainDataError, readYaml } from '@gradual/core/adapter';
import { describeValue } from '../data/describe-value.js';
import type { AnalysisTemplate } from './analysis-template-types.js';
import { metricIssues } from './metric-issues.js';
import { compileMetricNamePattern } from './metric-name-pattern.js';
import { templateLimits } from './template-limits.js';

const templateKinds = ['AnalysisTemplate', 'ClusterAnalysisTemplate'];

/**
 * Parses an `AnalysisTemplate` or `ClusterAnalysisTemplate` (YAML text or an
 * object) and checks it as Argo's validation does: metric names unique,
 * exactly one provider per metric, limits within `count`, `failureLimit` not
 * below -1, durations and conditions parseable, args unique and well formed.
 *
 * @throws ValidationError listing every issue with its path, e.g. `spec.metrics[0].failureLimit`.
 */
export function parseAnalysisTemplate(input: string | object): AnalysisTemplate {
  // Read as parseRollout reads YAML: size-bounded, duplicate keys in one pass, `yaml:<line>:<column>` paths;
  // in a multi-document file, the one AnalysisTemplate.
  const raw = typeof input === 'string' ? readYaml(input, 'AnalysisTemplate', templateKinds) : input;
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  // Copied as plain data before anything reads it: a getter, a Proxy, a function or a cycle is refused with its path.
  const document = plainCopy(raw);
  if (!isObject(document)) throw new ValidationError('AnalysisTemplate', [{ path: '', message: 'must be an object' }]);

  const kind = document['kind'];
  if (kind !== 'AnalysisTemplate' && kind !== 'ClusterAnalysisTemplate') {
    add('kind', `must be AnalysisTemplate or ClusterAnalysisTemplate, got ${describeValue(kind)}`);
  }
  const apiVersion = document['apiVersion'] ?? 'argoproj.io/v1alpha1';
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith('argoproj.io/'))
    add('apiVersion', `must be argoproj.io/v1alpha1, got ${describeValue(apiVersion)}`);
  const metadata = document['metadata'];
  const name = isObject(metadata) ? metadata['name'] : undefined;
  if (typeof name !== 'string' || name === '') add('metadata.name', 'is required');
  const subject =
    `${typeof kind === 'string' ? kind : 'AnalysisTemplate'} ${typeof name === 'string' ? JSON.stringify(name) : ''}`.trim();

  const spec = document['spec'];
  if (!isObject(spec)) {
    add('spec', 'is required');
    throw new ValidationError(subject, issues);
  }
  const metrics = spec['metrics'] ?? [];
  const nested = spec['templates'] ?? [];
  if (!Array.isArray(metrics)) add('spec.metrics', 'must be a list');
  else if (metrics.length === 0 && (!Array.isArray(nested) || nested.length === 0)) add('spec.metrics', 'no metrics specified');
  if (Array.isArray(metrics)) {
    const seen = new Set<string>();
    metrics.forEach((metric: AnalysisMetric, i) => {
      issues.push(...metricIssues(metric, `spec.metrics[${i}]`));
      if (isObject(metric) && typeof metric.name === 'string') {
        if (seen.has(metric.name)) add(`spec.metrics[${i}].name`, `duplicate metric name ${JSON.stringify(metric.name)}`);
        seen.add(metric.name);
      }
    });
  }
  checkArgs(spec['args'], add);
  checkRules(spec['dryRun'], 'spec.dryRun', false, add);
  checkRules(spec['measurementRetention'], 'spec.measurementRetention', true, add);
  if (!Array.isArray(nested)) add('spec.templates', 'must be a list');
  else {
    nested.forEach((ref: unknown, i) => {
      if (!isObject(ref) || typeof ref['templateName'] !== 'string' || ref['templateName'] === '')
        add(`spec.templates[${i}].templateName`, 'is required');
    });
  }
  if (issues.length > 0) throw new ValidationError(subject, issues);
  return {
    apiVersion: apiVersion as string,
    kind: kind as AnalysisTemplate['kind'],
    metadata: metadata as AnalysisTemplate['metadata'],
    spec: { ...(spec as object), metrics: metrics as AnalysisMetric[] } as AnalysisTemplate['spec'],
  };
}

/**
 * The input as a fresh plain object, so later code reads no caller's code
 * and a caller's later change cannot reach the parsed template.
 */
function plainCopy(input: unknown): unknown {
  try {
    return copyPlainData(input, {
      root: '',
      undefinedAs: 'omit',
      maxDepth: templateLimits.maxObjectDepth,
      maxValues: templateLimits.maxObjectValues,
    });
  } catch (error) {
    if (!(error instanceof NotPlainDataError)) throw error;
    throw new ValidationError('AnalysisTemplate', [{ path: error.path, message: `${error.reason} is not plain data` }], {
      cause: error,
    });
  }
}

function checkArgs(args: unknown, add: (path: string, message: string) => void): void {
  if (args === undefined) return;
  if (!Array.isArray(args)) {
    add('spec.args', 'must be a list');
    return;
  }
  const seen = new Set<string>();
  args.forEach((arg: unknown, i) => {
    const path = `spec.args[${i}]`;
    if (!isObject(arg) || typeof arg['name'] !== 'string' || arg['name'] === '') {
      add(`${path}.name`, 'is required');
      return;
    }
    if (seen.has(arg['name'])) add(`${path}.name`, `duplicate argument name ${JSON.stringify(arg['name'])}`);
    seen.add(arg['name']);
    if (arg['value'] !== undefined && typeof arg['value'] !== 'string') add(`${path}.value`, 'must be a string');
    const valueFrom = arg['valueFrom'];
    if (valueFrom === undefined) return;
    if (!isObject(valueFrom)) {
      add(`${path}.valueFrom`, 'must be an object');
      return;
    }
    const sources = Object.keys(valueFrom);
    if (sources.length !== 1) add(`${path}.valueFrom`, 'must set exactly one of secretKeyRef, fieldRef, podTemplateHashValue');
    const secret = valueFrom['secretKeyRef'];
    if (secret !== undefined && (!isObject(secret) || typeof secret['name'] !== 'string' || typeof secret['key'] !== 'string')) {
      add(`${path}.valueFrom.secretKeyRef`, 'must have a name and a key');
    }
  });
}

function checkRules(rules: unknown, path: string, withLimit: boolean, add: (path: string, message: string) => void): void {
  if (rules === undefined) return;
  if (!Array.isArray(rules)) {
    add(path, 'must be a list');
    return;
  }
  rules.forEach((rule: unknown, i) => {
    const name = isObject(rule) ? rule['metricName'] : undefined;
    if (typeof name !== 'string' || name === '') add(`${path}[${i}].metricName`, 'is required');
    else {
      try {
        compileMetricNamePattern(name);
      } catch (error) {
        add(`${path}[${i}].metricName`, (error as Error).message);
      }
    }
    if (withLimit) {
      const limit = isObject(rule) ? rule['limit'] : undefined;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)
        add(`${path}[${i}].limit`, 'must be an integer >= 0');
    }
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
