import { hashJson } from '../manifest/hash.js';
import type { Intent } from './intent.js';

/** A short, stable name for one call: a non-retryable failure is remembered by it, so that call is never repeated. */
export function intentKey(intent: Intent): string {
  switch (intent.type) {
    case 'applyTraffic':
    case 'applyWorkload':
      return `${intent.type} ${hashJson(intent.state)}`;
    case 'startAnalysis':
      return `${intent.type} ${intent.request.name}`;
    case 'reconcileAnalysis':
    case 'terminateAnalysis':
      return `${intent.type} ${intent.name}`;
  }
}
