/** Characters that continue a word: a value is masked only where none of these touches it. */
function isWordCharacter(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 95 || // _
    code === 45 // -
  );
}

/**
 * Replaces `word` with `mask` where it stands alone (not inside a longer
 * run of letters, digits, `_` or `-`), so the user name `user` is masked in
 * `user:pw@host` but not in "user-agent". One left-to-right pass: linear.
 */
export function maskWholeWord(text: string, word: string, mask: string): string {
  if (word === '') return text;
  let out = '';
  let from = 0;
  let at = text.indexOf(word);
  while (at !== -1) {
    const end = at + word.length;
    const alone =
      (at === 0 || !isWordCharacter(text.charCodeAt(at - 1))) && (end >= text.length || !isWordCharacter(text.charCodeAt(end)));
    if (alone) {
      out += text.slice(from, at) + mask;
      from = end;
      at = text.indexOf(word, end);
    } else {
      at = text.indexOf(word, at + 1);
    }
  }
  return from === 0 ? text : out + text.slice(from);
}
