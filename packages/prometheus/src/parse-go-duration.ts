// Go's time.ParseDuration units, in milliseconds.
const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const shape = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const component = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Go's `time.ParseDuration`, strictly (a unit is required, a sign is allowed),
 * as expr-lang's `duration()` and Argo's `rangeQuery.step` read durations.
 * Returns milliseconds; throws an Error worded as Go words it.
 */
export function parseGoDuration(text: string): number {
  if (text === '0' || text === '+0' || text === '-0') return 0;
  if (!shape.test(text)) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(component)) ms += Number(amount) * (unitMs[unit as string] as number);
  return text.startsWith('-') ? -ms : ms;
}
