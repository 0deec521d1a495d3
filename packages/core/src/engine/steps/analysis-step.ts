import type { AnalysisStep } from '../../manifest/rollout-types.js';
import { analysisRequest } from '../analysis-request.js';
import { analysisAbortMessage, analysisVerdict } from '../analysis-verdict.js';
import type { StepKind } from './step-kind.js';

/** An analysis step: done when its run succeeded (or a human promoted past an inconclusive one). */
export const analysisStep: StepKind<AnalysisStep> = {
  describe: () => 'analysis',
  complete(ctx, step, index) {
    const request = analysisRequest({
      spec: ctx.spec,
      status: ctx.status,
      analysis: step.analysis,
      kind: 'step',
      suffix: `step-${index}`,
    });
    const run = ctx.want({ request, stepIndex: index });
    if (!run) return false;
    switch (analysisVerdict(run.state.phase, ctx.resumedByHuman)) {
      case 'proceed':
        return true;
      case 'abort':
        ctx.abort(analysisAbortMessage('Step-based', run.state));
        return false;
      case 'hold':
        ctx.addPause('InconclusiveAnalysisRun');
        return false;
      case 'wait':
        return false;
    }
  },
  needsPods: true,
  exemptFromProgressDeadline: true,
  analysisRequests: ({ spec, status, step, index }) => [
    {
      field: '.analysis',
      request: analysisRequest({ spec, status, analysis: step.analysis, kind: 'step', suffix: `step-${index}` }),
    },
  ],
};
