import { compileCondition, parseAnalysisTemplate } from '@gradual/analysis';
import { manifestLimits, parseRollout, type RolloutSpec, ValidationError, type ValidationIssue } from '@gradual/core';
import { gatewayApiRoutingIssues } from '@gradual/gateway-api';
import { istioRoutingIssues } from '@gradual/istio';
import { isScalar } from 'yaml';
import { type YamlDocument, yamlSource } from '../manifest/yaml-source.js';
import { analysisRefs } from './analysis-refs.js';
import { checkPromql } from './check-promql.js';
import type { LintProblem } from './lint-problem.js';
import { locateInScalar, locatePath, nodeAt } from './locate-path.js';

/** What `lintManifests` reads: files by name and text. */
export interface LintInput {
  files: readonly { file: string; text: string }[];
}

const templateKinds = new Set(['AnalysisTemplate', 'ClusterAnalysisTemplate']);

/**
 * Every problem of the Rollouts and AnalysisTemplates in the files, each at
 * its file, line and column: YAML syntax, the manifests' own validation,
 * conditions that do not compile, PromQL that does not parse, templates and
 * args that are referenced but missing, routes the Istio or Gateway API
 * router would refuse; and warnings for risky but valid settings. Templates
 * are looked up across all the files given. Sorted by file and position.
 */
export function lintManifests(input: LintInput): LintProblem[] {
  const problems: LintProblem[] = [];
  const seen = new Set<string>();
  const report: Report = (source, problem, at) => {
    const where = at ?? locatePath(source, problem.path);
    const key = `${source.file}:${problem.path}:${problem.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ file: source.file, line: where.line, column: where.column, ...problem });
  };
  const rollouts: { source: YamlDocument; spec?: RolloutSpec | undefined }[] = [];
  const templates: { source: YamlDocument; kind: string; name: string; args: { name: string; hasValue: boolean }[] }[] = [];

  for (const file of input.files) {
    if (file.text.length > manifestLimits.maxYamlCharacters) {
      problems.push({
        file: file.file,
        line: 1,
        column: 1,
        severity: 'error',
        rule: 'yaml',
        path: '',
        message: `file of ${file.text.length} characters is over the limit of ${manifestLimits.maxYamlCharacters}`,
      });
      continue;
    }
    for (const source of yamlSource(file)) {
      for (const error of source.document.errors) {
        report(
          source,
          { severity: 'error', rule: 'yaml', path: '', message: `malformed YAML: ${error.message.split('\n')[0]}` },
          locateOffset(source, error.pos[0]),
        );
      }
      if (source.data === undefined) continue;
      if (source.kind === 'Rollout') rollouts.push({ source, spec: lintRollout(source, report) });
      else if (source.kind !== undefined && templateKinds.has(source.kind)) {
        lintTemplate(source, report);
        templates.push({ source, kind: source.kind, name: source.name ?? '', args: templateArgs(source.data) });
      }
    }
  }

  for (const { source, spec } of rollouts) {
    for (const site of analysisRefs(source.data)) {
      for (const ref of site.templates) {
        const kind = ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
        const template = templates.find((t) => t.kind === kind && t.name === ref.templateName);
        if (!template) {
          report(source, {
            severity: 'error',
            rule: 'reference',
            path: ref.path,
            message: `${kind} "${ref.templateName}" is not in the files given (pass it too, e.g. gradual lint rollout.yaml template.yaml)`,
          });
          continue;
        }
        for (const arg of template.args) {
          if (arg.hasValue || site.args.includes(arg.name)) continue;
          report(source, {
            severity: 'error',
            rule: 'reference',
            path: `${site.path}.args`,
            message: `${kind} "${ref.templateName}" needs arg "${arg.name}", which is not given here`,
          });
        }
      }
    }
    if (spec) lintRisks(source, spec, report);
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

type Report = (
  source: YamlDocument,
  problem: Omit<LintProblem, 'file' | 'line' | 'column'>,
  at?: { line: number; column: number },
) => void;

function lintRollout(source: YamlDocument, report: Report): RolloutSpec | undefined {
  let spec: RolloutSpec | undefined;
  try {
    spec = parseRollout(source.data as object);
  } catch (error) {
    reportIssues(source, report, 'rollout', error);
    return undefined;
  }
  const routerIssues: ValidationIssue[] = [...istioRoutingIssues(spec), ...gatewayApiRoutingIssues(spec)];
  for (const issue of routerIssues)
    report(source, { severity: 'error', rule: 'router', path: issue.path, message: issue.message });
  return spec;
}

function lintTemplate(source: YamlDocument, report: Report): void {
  // Paths the template's own validation already reported: not reported again by the checks below.
  const reported = new Set<string>();
  try {
    parseAnalysisTemplate(source.data as object);
  } catch (error) {
    reportIssues(source, report, 'analysis-template', error);
    if (ValidationError.isInstance(error)) for (const issue of error.issues) reported.add(issue.path);
  }
  const metrics = (source.data as { spec?: { metrics?: unknown } | undefined }).spec?.metrics;
  for (const [i, metric] of (Array.isArray(metrics) ? metrics : []).entries()) {
    if (typeof metric !== 'object' || metric === null) continue;
    const at = `spec.metrics[${i}]`;
    const { successCondition, failureCondition, provider } = metric as Record<string, unknown>;
    for (const [field, expression] of [
      ['successCondition', successCondition],
      ['failureCondition', failureCondition],
    ] as const) {
      if (typeof expression !== 'string' || reported.has(`${at}.${field}`)) continue;
      try {
        const compiled = compileCondition(expression);
        if (field === 'successCondition' && passesOnEmpty(compiled.evaluate.bind(compiled))) {
          report(source, {
            severity: 'warning',
            rule: 'risk',
            path: `${at}.${field}`,
            message: `succeeds on an empty result (${expression.trim()}): a query that matches no series passes the analysis`,
          });
        }
      } catch (error) {
        report(source, {
          severity: 'error',
          rule: 'condition',
          path: `${at}.${field}`,
          message: `does not compile: ${firstLine(error instanceof Error ? error.message : String(error))}`,
        });
      }
    }
    const query = (provider as { prometheus?: { query?: unknown } | undefined } | undefined)?.prometheus?.query;
    if (typeof query === 'string') {
      const issue = checkPromql(query);
      if (!issue) continue;
      const path = `${at}.provider.prometheus.query`;
      const node = nodeAt(source, path);
      const where = node && isScalar(node) ? locateInScalar(source, node, issue.offset) : locatePath(source, path);
      const problem = { severity: 'error' as const, rule: 'promql', path, message: issue.message };
      report(source, problem, where);
    }
  }
}

function lintRisks(source: YamlDocument, spec: RolloutSpec, report: Report): void {
  const canary = spec.strategy.canary;
  const blueGreen = spec.strategy.blueGreen;
  const hasAnalysis =
    analysisRefs(source.data).some((site) => site.templates.length > 0) ||
    (canary?.steps.some((step) => 'analysis' in step || 'experiment' in step) ?? false);
  if (!hasAnalysis) {
    report(source, {
      severity: 'warning',
      rule: 'risk',
      path: 'spec.strategy',
      message: 'no analysis at all: nothing checks the canary before it gets more traffic',
    });
  }
  for (const [i, step] of (canary?.steps ?? []).entries()) {
    if ('pause' in step && (step.pause.duration === undefined || step.pause.duration === null)) {
      report(source, {
        severity: 'warning',
        rule: 'risk',
        path: `spec.strategy.canary.steps[${i}].pause`,
        message:
          'pause with no duration waits for a manual promote: a non-interactive run (CI, gradual run) waits until its deadline',
      });
    }
  }
  if (blueGreen && !blueGreen.autoPromotionEnabled) {
    report(source, {
      severity: 'warning',
      rule: 'risk',
      path: 'spec.strategy.blueGreen.autoPromotionEnabled',
      message: 'blue-green without auto promotion waits for a manual promote: a non-interactive run waits until its deadline',
    });
  }
}

function reportIssues(source: YamlDocument, report: Report, rule: string, error: unknown): void {
  if (ValidationError.isInstance(error)) {
    for (const issue of error.issues) {
      report(
        source,
        { severity: 'error', rule, path: issue.path, message: firstLine(issue.message) },
        conditionPosition(source, issue),
      );
    }
    return;
  }
  report(source, {
    severity: 'error',
    rule,
    path: '',
    message: firstLine(error instanceof Error ? error.message : String(error)),
  });
}

// A condition's error says `at position N` (1-based): point at that character of the condition in the file.
function conditionPosition(source: YamlDocument, issue: ValidationIssue): { line: number; column: number } | undefined {
  const position = /at position (\d+)/.exec(issue.message);
  if (!position || !/Condition$/.test(issue.path)) return undefined;
  const node = nodeAt(source, issue.path);
  return node && isScalar(node) ? locateInScalar(source, node, Math.max(0, Number(position[1]) - 1)) : undefined;
}

// One problem, one line: the caret drawing under a condition is left out (the column points there instead).
function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

// Argo's Prometheus provider hands conditions an empty list when the query matches nothing.
function passesOnEmpty(evaluate: (result: unknown) => boolean): boolean {
  try {
    return evaluate([]) === true;
  } catch {
    return false;
  }
}

function templateArgs(data: unknown): { name: string; hasValue: boolean }[] {
  const args = (data as { spec?: { args?: unknown } | undefined }).spec?.args;
  return (Array.isArray(args) ? args : []).flatMap((arg) =>
    typeof arg === 'object' && arg !== null && typeof (arg as { name?: unknown }).name === 'string'
      ? [{ name: (arg as { name: string }).name, hasValue: 'value' in arg || 'valueFrom' in arg }]
      : [],
  );
}

function locateOffset(source: YamlDocument, offset: number): { line: number; column: number } {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}
