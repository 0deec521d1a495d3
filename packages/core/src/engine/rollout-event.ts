import { noItems } from '../data/no-items.js';

/** Something that happened during a reconcile, for logs, UIs and Kubernetes Events. */
export interface RolloutEvent {
  /** Argo's event reasons where one exists: RolloutStepCompleted, RolloutPaused, RolloutAborted, ... */
  reason: string;
  /** `Warning` for failures, as Kubernetes Events. */
  type: 'Normal' | 'Warning';
  message: string;
  /** ISO 8601, for logs and Kubernetes Events (the status itself keeps epoch milliseconds). */
  at: string;
  stepIndex?: number | undefined;
}

// The events of one pass share one instant, and formatting a date is most of the cost of an event.
let formattedAt = Number.NaN;
let formatted = '';

function isoAt(now: number): string {
  if (now !== formattedAt) {
    formatted = new Date(now).toISOString();
    formattedAt = now;
  }
  return formatted;
}

/** The events of a step that made none (the shared frozen empty list). */
export const noEvents: RolloutEvent[] = noItems;

/** The one way the engine makes an event; `now` is epoch ms. */
export function rolloutEvent(input: {
  reason: string;
  message: string;
  now: number;
  type?: 'Normal' | 'Warning' | undefined;
  stepIndex?: number | undefined;
}): RolloutEvent {
  const event: RolloutEvent = {
    reason: input.reason,
    type: input.type ?? 'Normal',
    message: input.message,
    at: isoAt(input.now),
  };
  if (input.stepIndex !== undefined) event.stepIndex = input.stepIndex;
  return event;
}
