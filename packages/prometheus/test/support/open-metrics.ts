/** One counter series that grows at a constant rate. */
export interface CounterSeries {
  name: string;
  labels: Record<string, string>;
  /** Increase per second. */
  perSecond: number;
}

/** One gauge series with a constant value ("NaN", "+Inf" allowed as text). */
export interface GaugeSeries {
  name: string;
  labels: Record<string, string>;
  value: string;
}

/**
 * Writes OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`:
 * samples every `stepSeconds` from `from` to `to` (epoch seconds, as the
 * format wants), families grouped, and the mandatory `# EOF`.
 */
export function openMetrics(input: {
  counters?: CounterSeries[];
  gauges?: GaugeSeries[];
  from: number;
  to: number;
  stepSeconds: number;
}): string {
  const lines: string[] = [];
  const label = (labels: Record<string, string>) =>
    Object.keys(labels).length === 0
      ? ''
      : `{${Object.entries(labels)
          .map(([key, value]) => `${key}="${value}"`)
          .join(',')}}`;
  const families = new Map<string, string[]>();
  const add = (family: string, type: string, line: string) => {
    if (!families.has(family)) families.set(family, [`# TYPE ${family} ${type}`]);
    families.get(family)?.push(line);
  };
  for (let t = input.from; t <= input.to; t += input.stepSeconds) {
    for (const series of input.counters ?? []) {
      const family = series.name.replace(/_total$/, '');
      add(family, 'counter', `${series.name}${label(series.labels)} ${(series.perSecond * (t - input.from)).toFixed(3)} ${t}`);
    }
    for (const series of input.gauges ?? [])
      add(series.name, 'gauge', `${series.name}${label(series.labels)} ${series.value} ${t}`);
  }
  for (const family of families.values()) lines.push(...family);
  lines.push('# EOF', '');
  return lines.join('\n');
}
