/**
 * Formats a sample value as Go's `strconv.FormatFloat(v, 'f', -1, 64)` does,
 * which is how Argo Rollouts displays Prometheus values: the shortest digits
 * that read back to the same number, never in exponent form (`0.0000001`,
 * `1e+21` as `1000000000000000000000`), and `NaN`, `+Inf`, `-Inf`.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign, lead, fraction = '', power] = exponent;
  const digits = `${lead}${fraction}`;
  // Position of the decimal point counted from the start of `digits`.
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
