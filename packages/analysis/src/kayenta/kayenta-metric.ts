import type { ValidationIssue } from '@gradual/core';
import type { ScoreThresholds } from '../judge/canary-config.js';

/** One side of a scope (Argo's `ScopeDetail`). */
export interface KayentaScopeDetail {
  /** The scope value templates see as `${scope}`, e.g. a pod-template hash. */
  scope: string;
  /** Templates see it as `${location}`. */
  region?: string | undefined;
  /** Seconds between points of the fetched series. */
  step: number;
  /** RFC 3339; with `end`, the window of the series. Default: now − the metric's interval. */
  start?: string | undefined;
  /** RFC 3339; default now. */
  end?: string | undefined;
  /** More template variables (Kayenta's `extendedScopeParams`); a gradual extension, not in Argo's schema. */
  extendedScopeParams?: Record<string, string> | undefined;
}

/** A named pair of scopes (Argo's `KayentaScope`); canary-config metrics pick one by `scopeName`. */
export interface KayentaScope {
  name: string;
  controlScope: KayentaScopeDetail;
  experimentScope: KayentaScopeDetail;
}

/** `metric.provider.kayenta` of an Argo AnalysisTemplate, read for in-process judgement. */
export interface KayentaMetric {
  /** Kayenta's URL in Argo; unused in-process (there is no Kayenta service). */
  address?: string | undefined;
  /** Must be one of the canary config's `applications` when the config lists any. */
  application?: string | undefined;
  /** The canary config to judge with. */
  canaryConfigName: string;
  /** Kayenta account names; unused in-process. */
  metricsAccountName?: string | undefined;
  /** Unused in-process. */
  configurationAccountName?: string | undefined;
  /** Unused in-process. */
  storageAccountName?: string | undefined;
  /** Argo's field is `threshold`; Argo's docs write `thresholds`, accepted too. */
  threshold: ScoreThresholds;
  scopes: KayentaScope[];
  /** Argo: start at the run's start. Not available in-process: refused with a clear error. */
  lookback?: boolean | undefined;
}

const KNOWN_FIELDS = new Set([
  'address',
  'application',
  'canaryConfigName',
  'metricsAccountName',
  'configurationAccountName',
  'storageAccountName',
  'threshold',
  'thresholds',
  'scopes',
  'lookback',
]);
const SCOPE_FIELDS = new Set(['scope', 'region', 'step', 'start', 'end', 'extendedScopeParams']);
const BASE = 'provider.kayenta';

/** Reads and checks `provider.kayenta`; paths in issues are relative to the metric. */
export function readKayentaMetric(block: unknown): { metric?: KayentaMetric | undefined; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path: path ? `${BASE}.${path}` : BASE, message });
  if (!isObject(block)) {
    add('', 'must be an object');
    return { issues };
  }
  for (const key of Object.keys(block))
    if (!KNOWN_FIELDS.has(key)) add(key, `unknown field (known: ${[...KNOWN_FIELDS].join(', ')})`);
  for (const key of ['address', 'application', 'metricsAccountName', 'configurationAccountName', 'storageAccountName'])
    if (block[key] !== undefined && typeof block[key] !== 'string') add(key, 'must be a string');
  if (typeof block.canaryConfigName !== 'string' || block.canaryConfigName === '') add('canaryConfigName', 'is required');
  if (block.lookback !== undefined && typeof block.lookback !== 'boolean') add('lookback', 'must be true or false');
  if (block.lookback === true)
    add('lookback', "is not supported in-process (a provider does not see the run's start): set the scopes' start and end");

  let threshold: ScoreThresholds | undefined;
  const thresholdField = block.threshold !== undefined ? 'threshold' : 'thresholds';
  if (block.threshold !== undefined && block.thresholds !== undefined)
    add('thresholds', 'give threshold or thresholds, not both');
  const rawThreshold = block[thresholdField];
  if (rawThreshold === undefined)
    // Argo sends 0/0 then, which passes every canary: refused instead.
    add('threshold', 'is required ({ pass, marginal }): without it every score would pass');
  else if (!isObject(rawThreshold)) add(thresholdField, 'must be an object with pass and marginal');
  else {
    const pass = integer(rawThreshold.pass);
    const marginal = integer(rawThreshold.marginal);
    if (pass === undefined) add(`${thresholdField}.pass`, `must be an integer, got ${JSON.stringify(rawThreshold.pass)}`);
    if (marginal === undefined)
      add(`${thresholdField}.marginal`, `must be an integer, got ${JSON.stringify(rawThreshold.marginal)}`);
    if (pass !== undefined && marginal !== undefined) {
      if (marginal > pass) add(`${thresholdField}.marginal`, `(${marginal}) must not be above pass (${pass})`);
      threshold = { pass, marginal };
    }
  }

  const scopes: KayentaScope[] = [];
  if (!Array.isArray(block.scopes) || block.scopes.length === 0) add('scopes', 'must be a non-empty list');
  else
    block.scopes.forEach((scope: unknown, index: number) => {
      const path = `scopes[${index}]`;
      if (!isObject(scope)) {
        add(path, 'must be an object');
        return;
      }
      if (typeof scope.name !== 'string' || scope.name === '') add(`${path}.name`, 'is required');
      else if (scopes.some((other) => other.name === scope.name))
        add(`${path}.name`, `duplicate scope name ${JSON.stringify(scope.name)}`);
      const control = readScopeDetail(scope.controlScope, `${path}.controlScope`, add);
      const experiment = readScopeDetail(scope.experimentScope, `${path}.experimentScope`, add);
      if (control && experiment) {
        // Argo's rule: both sides give their window, or neither does.
        for (const field of ['start', 'end'] as const)
          if ((control[field] === undefined) !== (experiment[field] === undefined))
            add(
              `${path}.experimentScope.${field}`,
              `controlScope.${field} and experimentScope.${field} must both be set or be empty`,
            );
        if (typeof scope.name === 'string') scopes.push({ name: scope.name, controlScope: control, experimentScope: experiment });
      }
    });
  if (issues.length > 0 || !threshold) return { issues };
  const metric: KayentaMetric = { ...(block as unknown as KayentaMetric), threshold, scopes };
  delete (metric as { thresholds?: unknown }).thresholds;
  return { metric, issues };
}

function readScopeDetail(
  value: unknown,
  path: string,
  add: (path: string, message: string) => void,
): KayentaScopeDetail | undefined {
  if (!isObject(value)) {
    add(path, 'must be an object with scope and step');
    return undefined;
  }
  const before = { count: 0 };
  const fail = (field: string, message: string) => {
    before.count++;
    add(`${path}.${field}`, message);
  };
  for (const key of Object.keys(value))
    if (!SCOPE_FIELDS.has(key)) fail(key, `unknown field (known: ${[...SCOPE_FIELDS].join(', ')})`);
  if (typeof value.scope !== 'string') fail('scope', 'is required');
  if (value.region !== undefined && typeof value.region !== 'string') fail('region', 'must be a string');
  const step = integer(value.step);
  if (step === undefined || step <= 0) fail('step', `must be a whole number of seconds > 0, got ${JSON.stringify(value.step)}`);
  for (const field of ['start', 'end'] as const) {
    const text = value[field];
    if (text === undefined || text === '') continue;
    if (typeof text !== 'string' || Number.isNaN(Date.parse(text)) || !/^\d{4}-\d{2}-\d{2}T/.test(text))
      fail(field, `must be an RFC 3339 time such as 2024-05-01T10:00:00Z, got ${JSON.stringify(text)}`);
  }
  if (value.extendedScopeParams !== undefined) {
    const params = value.extendedScopeParams;
    if (!isObject(params) || Object.values(params).some((item) => typeof item !== 'string'))
      fail('extendedScopeParams', 'must be an object of strings');
  }
  if (before.count > 0) return undefined;
  return {
    scope: value.scope as string,
    ...(value.region ? { region: value.region as string } : {}),
    step: step as number,
    ...(value.start ? { start: value.start as string } : {}),
    ...(value.end ? { end: value.end as string } : {}),
    ...(value.extendedScopeParams ? { extendedScopeParams: value.extendedScopeParams as Record<string, string> } : {}),
  };
}

// Argo's fields are int64: a number, or the text of one after `{{args.*}}` substitution.
function integer(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
