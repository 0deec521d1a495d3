export { CancelledError } from './cancelled-error.js';
export { GradualError, type GradualErrorOptions } from './gradual-error.js';
export { ProviderError } from './provider-error.js';
export { TrafficRouterError } from './traffic-router-error.js';
export { UnsupportedCapabilityError } from './unsupported-capability-error.js';
export { ValidationError, type ValidationIssue } from './validation-error.js';
