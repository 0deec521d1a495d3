/**
 * Replaces each `<...>` tag of an HTML page with a space, in one pass: a
 * `<` without a closing `>` is kept as text. Linear in the text, where the
 * regex `/<[^>]*>/g` rescans the rest of the text from every `<`.
 */
export function stripTags(text: string): string {
  let out = '';
  let from = 0;
  let open = text.indexOf('<');
  while (open !== -1) {
    const close = text.indexOf('>', open + 1);
    // No `>` after this `<`: none after any later `<` either, so the rest is text.
    if (close === -1) break;
    out += `${text.slice(from, open)} `;
    from = close + 1;
    open = text.indexOf('<', from);
  }
  return out + text.slice(from);
}
