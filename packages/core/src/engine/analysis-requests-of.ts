import type { AnalysisRunRequest } from '../contracts/analysis-runner.js';
import type { CanaryStep, RolloutSpec } from '../spec/rollout-types.js';
import { analysisRequest } from './analysis-request.js';
import type { RolloutStatus } from './rollout-status.js';

/** Every analysis run the spec can ask for, with the manifest path that asks for it (for checks before step 1). */
export function analysisRequestsOf(spec: RolloutSpec, status: RolloutStatus): { path: string; request: AnalysisRunRequest }[] {
  const found: { path: string; request: AnalysisRunRequest }[] = [];
  const canary = spec.strategy.canary;
  const blueGreen = spec.strategy.blueGreen;
  if (canary) {
    canary.steps.forEach((step: CanaryStep, i) => {
      const path = `spec.strategy.canary.steps[${i}]`;
      if ('analysis' in step) {
        found.push({
          path: `${path}.analysis`,
          request: analysisRequest({ spec, status, analysis: step.analysis, kind: 'step', suffix: `step-${i}` }),
        });
      }
      if ('experiment' in step) {
        for (const [j, analysis] of (step.experiment.analyses ?? []).entries()) {
          found.push({
            path: `${path}.experiment.analyses[${j}]`,
            request: analysisRequest({
              spec,
              status,
              analysis: {
                templates: [{ templateName: analysis.templateName, ...(analysis.clusterScope ? { clusterScope: true } : {}) }],
                args: analysis.args ?? [],
              },
              kind: 'experiment',
              suffix: `experiment-${i}-${analysis.name}`,
            }),
          });
        }
      }
    });
    if (canary.analysis) {
      found.push({
        path: 'spec.strategy.canary.analysis',
        request: analysisRequest({ spec, status, analysis: canary.analysis, kind: 'background', suffix: 'background-0' }),
      });
    }
  }
  if (blueGreen?.prePromotionAnalysis) {
    found.push({
      path: 'spec.strategy.blueGreen.prePromotionAnalysis',
      request: analysisRequest({ spec, status, analysis: blueGreen.prePromotionAnalysis, kind: 'prePromotion', suffix: 'pre' }),
    });
  }
  if (blueGreen?.postPromotionAnalysis) {
    found.push({
      path: 'spec.strategy.blueGreen.postPromotionAnalysis',
      request: analysisRequest({
        spec,
        status,
        analysis: blueGreen.postPromotionAnalysis,
        kind: 'postPromotion',
        suffix: 'post',
      }),
    });
  }
  return found;
}
