import type { ObjectMeta } from './istio-objects.js';
import { podTemplateHashLabel } from './render-destination-rule.js';

/** The parts of a core Service the router touches; everything else is kept. */
export interface Service {
  /** `v1`. */
  apiVersion?: string | undefined;
  /** `Service`. */
  kind?: string | undefined;
  /** Name, namespace, resourceVersion. */
  metadata?: ObjectMeta | undefined;
  /** Ports and the pod selector. */
  spec?:
    | {
        /** Labels of the pods the Service sends to. */
        selector?: Record<string, string> | undefined;
        [field: string]: unknown;
      }
    | undefined;
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
