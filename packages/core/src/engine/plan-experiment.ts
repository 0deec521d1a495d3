import type { AnalysisRunArgument } from '../contracts/analysis-runner.js';
import type { ExperimentDestination } from '../contracts/traffic-state.js';
import { parseDuration } from '../manifest/parse-duration.js';
import type { ExperimentStep } from '../manifest/rollout-types.js';
import { analysisRequest } from './analysis-request.js';
import type { PlanContext } from './plan-context.js';
import type { ExperimentStatus } from './rollout-status.js';

export interface ExperimentPlan {
  /** Traffic for the templates while the experiment runs. */
  destinations: ExperimentDestination[];
  /** Replicas per template while the experiment runs. */
  replicas: { name: string; revision: string; replicas: number }[];
  phase: ExperimentStatus['phase'];
}

const worstFirst = ['Failed', 'Error', 'Inconclusive'] as const;

/**
 * An experiment step (Argo's Experiment, run in process): templates start,
 * once all are available the clock of `duration` starts, traffic goes to
 * the templates with a weight, and the analyses run. It ends Successful at
 * the end of its duration or when every required analysis succeeded, and
 * early with the worst phase of any analysis that did not.
 */
export function planExperiment(ctx: PlanContext, step: ExperimentStep, index: number): ExperimentPlan {
  const { spec } = ctx;
  const experiment = step.experiment;
  const name = `${spec.name}-${spec.revision}-${ctx.status.attempt}-${index}`;
  let current = ctx.status.experiment;
  if (!current || current.name !== name) {
    current = { name, stepIndex: index, phase: 'Pending' };
    ctx.update({ experiment: current });
    ctx.event('ExperimentCreated', `Experiment ${name} created for step ${index + 1}`, { stepIndex: index });
  }
  const revisionOf = (specRef: 'stable' | 'canary') => (specRef === 'stable' ? (ctx.status.stableRevision ?? '') : spec.revision);
  const replicas = experiment.templates.map((template) => ({
    name: template.name,
    revision: revisionOf(template.specRef),
    replicas: template.replicas ?? 1,
  }));
  const finished = current.phase !== 'Pending' && current.phase !== 'Running';
  if (finished) return { destinations: [], replicas: replicas.map((r) => ({ ...r, replicas: 0 })), phase: current.phase };

  if (current.phase === 'Pending') {
    const ready = replicas.every((template) => ctx.availableExperiment(template.name, template.replicas) >= template.replicas);
    if (!ready) return { destinations: [], replicas, phase: 'Pending' };
    current = { ...current, phase: 'Running', availableAt: ctx.now };
    ctx.update({ experiment: current });
  }

  // Running: analyses, then the verdict.
  const phases = (experiment.analyses ?? []).map((analysis) => {
    const args = (analysis.args ?? []).map((arg): AnalysisRunArgument => resolveTemplateArgs(arg, replicas, current));
    const request = analysisRequest({
      spec,
      status: ctx.status,
      analysis: {
        templates: [{ templateName: analysis.templateName, ...(analysis.clusterScope ? { clusterScope: true } : {}) }],
        args,
        ...(experiment.dryRun ? { dryRun: experiment.dryRun } : {}),
      },
      kind: 'experiment',
      suffix: `experiment-${index}-${analysis.name}`,
    });
    const run = ctx.want({ request, stepIndex: index, analysisName: analysis.name });
    return {
      required: analysis.requiredForCompletion === true,
      phase: run?.state.phase ?? 'Pending',
      message: run?.state.message,
    };
  });
  const bad = worstFirst.map((phase) => phases.find((p) => p.phase === phase)).find(Boolean);
  const durationMs = experiment.duration === undefined ? undefined : parseDuration(experiment.duration);
  const endsAt = durationMs === undefined ? undefined : (current.availableAt ?? ctx.now) + durationMs;
  const required = phases.filter((p) => p.required);
  let verdict: ExperimentStatus['phase'] | undefined;
  let message: string | undefined;
  if (bad) {
    verdict = bad.phase as ExperimentStatus['phase'];
    message = bad.message;
  } else if (required.length > 0 && required.every((p) => p.phase === 'Successful')) verdict = 'Successful';
  else if (endsAt !== undefined && ctx.now >= endsAt) verdict = 'Successful';
  else if (endsAt !== undefined) ctx.wakeNoLaterThan(endsAt);

  if (verdict) {
    ctx.update({ experiment: { ...current, phase: verdict, finishedAt: ctx.now, ...(message ? { message } : {}) } });
    ctx.event('ExperimentCompleted', `Experiment ${name} completed ${verdict}${message ? `: ${message}` : ''}`, {
      type: verdict === 'Successful' ? 'Normal' : 'Warning',
      stepIndex: index,
    });
    // Runs still measuring when the experiment ends are terminated (they are no longer wanted).
    for (let i = ctx.wantedRuns.length - 1; i >= 0; i--) {
      if (ctx.wantedRuns[i]?.request.kind === 'experiment') ctx.wantedRuns.splice(i, 1);
    }
    return { destinations: [], replicas: replicas.map((r) => ({ ...r, replicas: 0 })), phase: verdict };
  }
  const destinations = experiment.templates
    .filter((template) => (template.weight ?? 0) > 0)
    .map((template) => ({
      name: template.name,
      weight: template.weight as number,
      revision: revisionOf(template.specRef),
      ...(template.service?.name ? { serviceName: template.service.name } : {}),
    }));
  return { destinations, replicas, phase: 'Running' };
}

// Experiment analyses may name template facts: {{templates.<name>.podTemplateHash}}, {{experiment.availableAt}}.
function resolveTemplateArgs(
  arg: AnalysisRunArgument,
  templates: { name: string; revision: string }[],
  experiment: ExperimentStatus,
): AnalysisRunArgument {
  if (arg.value === undefined) return arg;
  const value = arg.value
    .replace(
      /\{\{\s*templates\.([^.}\s]+)\.podTemplateHash\s*\}\}/g,
      (whole, name: string) => templates.find((t) => t.name === name)?.revision ?? whole,
    )
    .replace(/\{\{\s*templates\.([^.}\s]+)\.replicaset\.name\s*\}\}/g, (whole, name: string) =>
      templates.some((t) => t.name === name) ? `${experiment.name}-${name}` : whole,
    )
    // Argo gives these as RFC 3339 times.
    .replace(/\{\{\s*experiment\.availableAt\s*\}\}/g, rfc3339(experiment.availableAt))
    .replace(/\{\{\s*experiment\.finishedAt\s*\}\}/g, rfc3339(experiment.finishedAt));
  return { ...arg, value };
}

function rfc3339(at: number | undefined): string {
  return at === undefined ? '' : new Date(at).toISOString();
}
