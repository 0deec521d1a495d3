import { type JsonValue, type Measurement, ProviderError } from '@gradual/core';
import { formatGoFloat } from './format-go-float.js';
import { parseSampleValue } from './parse-sample-value.js';

/**
 * Turns the `data` of a Prometheus query answer into what a condition sees,
 * as Argo Rollouts converts it: a scalar becomes a number; a vector an array
 * with one number per series (also for one series, hence `result[0]`); a
 * matrix one flat array of every sample, series by series. NaN and ±Inf are
 * kept. The display is Argo's: `0.99`, `[0.99]`, `[]`, `NaN`, `+Inf`.
 * Throws a ProviderError for string results ("Prometheus metric type not
 * supported") and an Error for anything that is not Prometheus' format.
 */
export function toMeasurement(data: unknown): Measurement & { value: JsonValue; display: string } {
  if (typeof data !== 'object' || data === null) throw new Error('the answer has no "data" object');
  const { resultType, result } = data as { resultType?: unknown; result?: unknown };
  switch (resultType) {
    case 'scalar': {
      const value = sample(result, 'scalar');
      return { value, display: formatGoFloat(value) };
    }
    case 'vector': {
      if (!Array.isArray(result)) throw new Error('a vector result is not a list');
      const values = result.map((series) => {
        if (typeof series === 'object' && series !== null && 'histogram' in series)
          throw new ProviderError('prometheus', 'Prometheus metric type not supported (native histogram samples)', {
            code: 'PROMETHEUS_RESULT_TYPE',
          });
        return sample((series as { value?: unknown } | null)?.value, 'vector sample');
      });
      return { value: values, display: list(values) };
    }
    case 'matrix': {
      if (!Array.isArray(result)) throw new Error('a matrix result is not a list');
      const values: number[] = [];
      for (const series of result) {
        const samples = (series as { values?: unknown } | null)?.values;
        if (samples === undefined && typeof series === 'object' && series !== null && 'histograms' in series)
          throw new ProviderError('prometheus', 'Prometheus metric type not supported (native histogram samples)', {
            code: 'PROMETHEUS_RESULT_TYPE',
          });
        if (!Array.isArray(samples)) throw new Error('a matrix series has no "values" list');
        for (const pair of samples) values.push(sample(pair, 'matrix sample'));
      }
      return { value: values, display: list(values) };
    }
    case 'string':
      throw new ProviderError('prometheus', 'Prometheus metric type not supported (the query returned a string)', {
        code: 'PROMETHEUS_RESULT_TYPE',
      });
    default:
      throw new ProviderError(
        'prometheus',
        `Prometheus metric type not supported (resultType ${describeResultType(resultType)})`,
        {
          code: 'PROMETHEUS_RESULT_TYPE',
        },
      );
  }
}

function sample(pair: unknown, what: string): number {
  const value = Array.isArray(pair) && pair.length === 2 ? parseSampleValue(pair[1]) : undefined;
  if (value === undefined) throw new Error(`a ${what} is not [time, "value"]`);
  return value;
}

function list(values: number[]): string {
  return `[${values.map(formatGoFloat).join(',')}]`;
}

// What a server sent as resultType, shown only when it is a short word: it is foreign text.
function describeResultType(resultType: unknown): string {
  if (typeof resultType === 'string' && resultType.length <= 20 && /^[A-Za-z]*$/.test(resultType))
    return JSON.stringify(resultType);
  return resultType === undefined ? 'missing' : `an unexpected ${typeof resultType}`;
}
