/**
 * `compute` remembered by its text argument, for at most `limit` texts (all forgotten when the limit is
 * reached, so memory stays bounded whatever the input). For pure functions of a text only: the cached
 * result is shared between callers, who must not change it.
 */
export function memoByText<T>(compute: (text: string) => T, limit = 256): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    const found = known.get(text);
    if (found !== undefined || known.has(text)) return found as T;
    const result = compute(text);
    if (known.size >= limit) known.clear();
    known.set(text, result);
    return result;
  };
}
