import type { ReplicaTarget } from '../contracts/workload.js';
import type { PlanContext } from './plan-context.js';

/** Keeps `revision` running for `delaySeconds` after it lost its role (Argo's scaleDownDelaySeconds). */
export function scheduleScaleDown(ctx: PlanContext, revision: string | null, delaySeconds: number): void {
  if (!revision || revision === ctx.spec.revision) return;
  ctx.update({ scaleDown: { revision, at: ctx.now + delaySeconds * 1000 } });
}

/** The retiring version for the Workload: full size until its delay passes, then none. */
export function retiringVersions(ctx: PlanContext): { retiring?: ReplicaTarget[] | undefined } {
  const pending = ctx.status.scaleDown;
  if (!pending || pending.revision === ctx.spec.revision) return {};
  const at = pending.at;
  // Only a Workload scales anything down: without one, nothing is due then.
  if (ctx.now < at && ctx.observedWorkload) ctx.wakeNoLaterThan(at);
  return { retiring: [{ revision: pending.revision, replicas: ctx.now < at ? ctx.spec.replicas : 0 }] };
}
