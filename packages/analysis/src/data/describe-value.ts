const MAX_DESCRIPTION = 200;

/**
 * A value as messages show it: JSON, except that NaN and infinities read
 * `NaN`, `+Inf`, `-Inf` as Go prints them (JSON would say `null`), and long
 * values are cut. Never throws (a BigInt, a cycle or a throwing getter gives
 * a short description instead).
 */
export function describeValue(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'number' && !Number.isFinite(item)) return nonFinite(item);
      return item;
    });
  } catch {
    text = undefined;
  }
  if (text === undefined) text = typeof value === 'object' ? Object.prototype.toString.call(value) : typeof value;
  // Non-finite numbers were turned into strings above; unquote them so they read as numbers.
  text = text.replace(/"\uE000(NaN|[+-]Inf)"/g, '$1');
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}...` : text;
}

function nonFinite(value: number): string {
  return `\uE000${Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf'}`;
}
