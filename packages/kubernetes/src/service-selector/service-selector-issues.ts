import type { RolloutSpec, ValidationIssue } from '@gradual/core';
import { isBlueGreenServices, type ServiceSelectorServices } from './service-selector-services.js';

const blueGreenPath = 'spec.strategy.blueGreen';
const canaryPath = 'spec.strategy.canary';

/**
 * What stops Service selectors from carrying a Rollout's traffic, each issue with its manifest path; empty
 * when it is fine. Blue/green needs `activeService` (and a `previewService`, if any, that differs from it);
 * a canary without a mesh needs `canaryService` and `stableService`, different from each other (Argo's
 * validation). With `services`, the Rollout must name the same Services the router was made for.
 */
export function serviceSelectorIssues(spec: RolloutSpec, services?: ServiceSelectorServices | undefined): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const named = (value: unknown) => typeof value === 'string' && value !== '';
  const blueGreen = spec.strategy.blueGreen;
  const canary = spec.strategy.canary;
  const wantsBlueGreen = services ? isBlueGreenServices(services) : blueGreen !== undefined;

  if (wantsBlueGreen) {
    if (!blueGreen) {
      add(blueGreenPath, 'is missing: this router switches the Services of a blue/green strategy');
      return issues;
    }
    if (!named(blueGreen.activeService)) add(`${blueGreenPath}.activeService`, 'must name the Service users reach');
    if (blueGreen.previewService !== undefined && !named(blueGreen.previewService))
      add(`${blueGreenPath}.previewService`, 'must be a non-empty Service name when set');
    if (named(blueGreen.previewService) && blueGreen.previewService === blueGreen.activeService)
      add(`${blueGreenPath}.previewService`, `must differ from activeService ('${blueGreen.activeService}')`);
    if (services && isBlueGreenServices(services)) {
      if (named(blueGreen.activeService) && blueGreen.activeService !== services.activeService)
        add(
          `${blueGreenPath}.activeService`,
          `is '${blueGreen.activeService}', but the router manages '${services.activeService}'`,
        );
      if ((blueGreen.previewService ?? '') !== (services.previewService ?? ''))
        add(
          `${blueGreenPath}.previewService`,
          `is ${blueGreen.previewService ? `'${blueGreen.previewService}'` : 'not set'}, but the router ${services.previewService ? `manages '${services.previewService}'` : 'has no preview Service'}`,
        );
    }
    return issues;
  }

  if (!canary) {
    add(canaryPath, 'is missing: set a blue/green strategy or a canary with canaryService and stableService');
    return issues;
  }
  if (!named(canary.canaryService)) add(`${canaryPath}.canaryService`, 'must name the Service that selects the canary revision');
  if (!named(canary.stableService)) add(`${canaryPath}.stableService`, 'must name the Service that selects the stable revision');
  if (named(canary.canaryService) && canary.canaryService === canary.stableService)
    add(`${canaryPath}.stableService`, `must differ from canaryService ('${canary.canaryService}')`);
  if (canary.trafficRouting !== undefined)
    add(
      `${canaryPath}.trafficRouting`,
      "is set: Service selectors alone carry a canary without a mesh; use the mesh's router, which moves these selectors too",
    );
  if (services && !isBlueGreenServices(services)) {
    for (const field of ['canaryService', 'stableService'] as const) {
      if (named(canary[field]) && canary[field] !== services[field])
        add(`${canaryPath}.${field}`, `is '${canary[field]}', but the router manages '${services[field]}'`);
    }
  }
  return issues;
}
