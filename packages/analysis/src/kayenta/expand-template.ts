/**
 * Expands `${name}` in a Kayenta filter template as Kayenta's
 * StringSubstitutor does: `${name:-default}` falls back to the default,
 * `$${` is a literal `${`, and an unknown name is an error (Kayenta refuses
 * to build a query with a hole in it). Kayenta's escaped form `$\{` is read
 * as `${` first.
 */
export function expandTemplate(template: string, bindings: Readonly<Record<string, string>>): string {
  const text = template.replaceAll('$\\{', '${');
  let out = '';
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('${', at);
    if (open < 0) break;
    if (open > 0 && text[open - 1] === '$') {
      out += text.slice(at, open - 1) + '${';
      at = open + 2;
      continue;
    }
    const close = text.indexOf('}', open + 2);
    if (close < 0) break;
    out += text.slice(at, open);
    const body = text.slice(open + 2, close);
    const split = body.indexOf(':-');
    const name = split < 0 ? body : body.slice(0, split);
    if (Object.hasOwn(bindings, name)) out += bindings[name];
    else if (split >= 0) out += body.slice(split + 2);
    else
      throw new Error(
        `template ${JSON.stringify(template)} uses \${${name}}, which is not defined (known: ${Object.keys(bindings).join(', ') || 'none'})`,
      );
    at = close + 1;
  }
  return out + text.slice(at);
}
