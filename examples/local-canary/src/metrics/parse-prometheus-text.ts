/** One sample of Prometheus' text exposition format. */
export interface TextSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

/**
 * Parses the samples of Prometheus' text format 0.0.4 (what prom-client
 * serves): comments and blank lines are skipped; a malformed line throws
 * with its line number, because a silently dropped series would read as
 * "no traffic", which the seed's condition counts as success.
 */
export function parsePrometheusText(text: string): TextSample[] {
  const samples: TextSample[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`line ${index + 1} is not a Prometheus sample: ${line.slice(0, 120)}`);
    const [, name, labelText = '', valueText] = match;
    const labels: Record<string, string> = {};
    labelPair.lastIndex = 0;
    let consumed = 0;
    for (let pair = labelPair.exec(labelText); pair; pair = labelPair.exec(labelText)) {
      // One pass, so that an escaped backslash followed by `n` stays a backslash and an `n`.
      labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
      consumed = labelPair.lastIndex;
    }
    if (consumed !== labelText.length) throw new Error(`line ${index + 1} has malformed labels: ${line.slice(0, 120)}`);
    samples.push({ name: name!, labels, value: parseSampleValue(valueText!, index + 1) });
  });
  return samples;
}

// Go's float formatting as Prometheus writes it: `+Inf`, `-Inf`, `NaN`, or a number.
function parseSampleValue(text: string, line: number): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`line ${line} has a value that is not a number: ${text.slice(0, 40)}`);
  return value;
}
