import type { AnalysisRunRequest } from '../contracts/analysis-runner.js';
import type { CanaryStep, RolloutSpec } from '../manifest/rollout-types.js';
import { analysisRequest } from './analysis-request.js';
import type { RolloutStatus } from './rollout-status.js';
import { stepKindOf } from './steps/step-kinds.js';

/** Every analysis run the spec can ask for, with the manifest path that asks for it (for checks before step 1). */
export function analysisRequestsOf(spec: RolloutSpec, status: RolloutStatus): { path: string; request: AnalysisRunRequest }[] {
  const found: { path: string; request: AnalysisRunRequest }[] = [];
  const canary = spec.strategy.canary;
  const blueGreen = spec.strategy.blueGreen;
  if (canary) {
    canary.steps.forEach((step: CanaryStep, index) => {
      for (const { field, request } of stepKindOf(step, index).analysisRequests?.({ spec, status, step, index }) ?? []) {
        found.push({ path: `spec.strategy.canary.steps[${index}]${field}`, request });
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
