import { podTemplateHashLabel } from './render-destination-rule.js';

/** The parts of a core Service the router touches; everything else is kept. */
export interface Service {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [field: string]: unknown };
  spec?: { selector?: Record<string, string>; [field: string]: unknown };
  [field: string]: unknown;
}

/**
 * The Service `current` selecting the pods of `revision` by the
 * `rollouts-pod-template-hash` label, as Argo Rollouts rewrites the canary
 * and stable Services for host-level splitting. An undefined revision leaves
 * the selector as it is. Pure.
 */
export function renderServiceSelector(current: Service, revision: string | undefined): Service {
  const next = structuredClone(current);
  if (revision === undefined) return next;
  next.spec = { ...next.spec, selector: { ...next.spec?.selector, [podTemplateHashLabel]: revision } };
  return next;
}
