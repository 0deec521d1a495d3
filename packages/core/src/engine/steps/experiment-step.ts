import type { ExperimentStep } from '../../manifest/rollout-types.js';
import { analysisRequest } from '../analysis-request.js';
import { analysisVerdict } from '../analysis-verdict.js';
import { planExperiment } from '../plan-experiment.js';
import type { StepKind } from './step-kind.js';

/** An experiment step: its templates run beside the canary, and its analyses decide (see plan-experiment.ts). */
export const experimentStep: StepKind<ExperimentStep> = {
  describe: () => 'experiment',
  complete(ctx, step, index) {
    const experiment = planExperiment(ctx, step, index);
    const traffic = ctx.desiredTraffic;
    if (traffic) ctx.desiredTraffic = { ...traffic, experiments: experiment.destinations };
    if (ctx.desiredWorkload) ctx.desiredWorkload = { ...ctx.desiredWorkload, experiments: experiment.replicas };
    switch (analysisVerdict(experiment.phase, ctx.resumedByHuman)) {
      case 'proceed':
        return true;
      case 'abort': {
        const current = ctx.status.experiment;
        ctx.abort(
          `Experiment analysis phase is ${experiment.phase.toLowerCase()}: ${current?.message ?? `experiment ${current?.name} ended ${experiment.phase}`}`,
        );
        return false;
      }
      case 'hold':
        ctx.addPause('InconclusiveExperiment');
        return false;
      case 'wait':
        return false;
    }
  },
  needsPods: true,
  exemptFromProgressDeadline: true,
  keepsExperiment: true,
  missingCapability: (step, capabilities) =>
    !capabilities.experiments && step.experiment.templates.some((t) => (t.weight ?? 0) > 0)
      ? { capability: 'experiment traffic', field: '.experiment' }
      : undefined,
  analysisRequests: ({ spec, status, step, index }) =>
    (step.experiment.analyses ?? []).map((analysis, j) => ({
      field: `.experiment.analyses[${j}]`,
      request: analysisRequest({
        spec,
        status,
        analysis: {
          templates: [{ templateName: analysis.templateName, ...(analysis.clusterScope ? { clusterScope: true } : {}) }],
          args: analysis.args ?? [],
        },
        kind: 'experiment',
        suffix: `experiment-${index}-${analysis.name}`,
      }),
    })),
};
