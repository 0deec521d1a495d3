export { assessMeasurement, type MeasurementAssessment, type MeasurementConditions } from './condition/assess-measurement.js';
export { type CompiledCondition, compileCondition } from './condition/compile-condition.js';
export { ConditionError } from './condition/condition-error.js';
export { conditionLimits } from './condition/condition-limits.js';
export { evaluateCondition } from './condition/evaluate-condition.js';
