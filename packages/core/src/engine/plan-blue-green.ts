import type { PlanContext } from './plan-context.js';

/** The blue/green strategy. */
export function planBlueGreen(_ctx: PlanContext): void {
  throw new Error('blue/green: not implemented yet');
}
