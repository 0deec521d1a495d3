import { GradualError } from '@gradual/core';

/**
 * Replaces `{{ args.<name> }}` in every string of `value` (Argo substitutes
 * in the JSON of the whole metric), inserting each argument JSON-string
 * escaped. Placeholders for names in `keep` stay as they are (secrets are
 * filled in only at measurement time).
 *
 * @throws GradualError `ARGUMENT` for an unknown placeholder (`failed to resolve {{x}}`) or a `{{` without `}}`.
 */
export function substituteArgs<T>(value: T, args: Readonly<Record<string, string>>, keep: ReadonlySet<string> = new Set()): T {
  const text = JSON.stringify(value);
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('{{', at);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      throw new GradualError(
        'ARGUMENT',
        `Cannot find end tag="}}" in the template starting from ${JSON.stringify(text.slice(open, open + 40))}`,
      );
    }
    const tag = text.slice(open + 2, close).trim();
    const name = tag.startsWith('args.') ? tag.slice('args.'.length) : undefined;
    out += text.slice(at, open);
    if (name !== undefined && keep.has(name)) out += text.slice(open, close + 2);
    else if (name !== undefined && Object.hasOwn(args, name)) out += JSON.stringify(args[name]).slice(1, -1);
    else throw new GradualError('ARGUMENT', `failed to resolve {{${tag}}}`);
    at = close + 2;
  }
  out += text.slice(at);
  return JSON.parse(out) as T;
}
