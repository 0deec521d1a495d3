// Issue #17: no regular expression of ours is worse than linear. Every regex literal (and every
// `new RegExp('…')` with a literal pattern) in the packages' sources is checked by recheck, a
// ReDoS checker that proves a pattern linear or finds an attack string; a hand-picked list of
// known cases would miss the next one. Patterns built at run time from user input are the
// condition language's `matches` and Argo's `metricName`, which run on RE2 semantics (re2js).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../', import.meta.url));

interface Found {
  where: string;
  source: string;
  flags: string;
}

function regexesIn(path: string): Found[] {
  const text = readFileSync(path, 'utf8');
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: Found[] = [];
  const where = (node: ts.Node) => `${relative(repo, path)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isRegularExpressionLiteral(node)) {
      const literal = node.text;
      const end = literal.lastIndexOf('/');
      found.push({ where: where(node), source: literal.slice(1, end), flags: literal.slice(end + 1) });
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'RegExp' &&
      node.arguments?.[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      const flags = node.arguments[1] && ts.isStringLiteralLike(node.arguments[1]) ? node.arguments[1].text : '';
      found.push({ where: where(node), source: node.arguments[0].text, flags });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const sources = readdirSync(join(repo, 'packages'))
  .flatMap((pkg) => {
    try {
      return readdirSync(join(repo, 'packages', pkg, 'src'), { recursive: true })
        .map(String)
        .filter((file) => file.endsWith('.ts'))
        .map((file) => join(repo, 'packages', pkg, 'src', file));
    } catch {
      return [];
    }
  })
  .flatMap(regexesIn);

describe('every regular expression in the packages runs in linear time', () => {
  it('finds the regexes (the scan itself works)', () => {
    expect(sources.length).toBeGreaterThan(30);
  });

  it.each(sources.map((found) => [found.where, found] as const))('%s', (_, found) => {
    // A sticky regex matches only where it stands (a tokenizer's next token): check it anchored.
    const source = found.flags.includes('y') ? `^(?:${found.source})` : found.source;
    const result = checkSync(source, found.flags.replace(/[gy]/g, ''), { timeout: 10_000 });
    const attack = result.status === 'vulnerable' ? ` (attack: ${JSON.stringify(result.attack.pattern)})` : '';
    expect(
      result.status === 'safe' ? 'linear' : `${result.status}${attack}`,
      `/${found.source}/${found.flags} at ${found.where}`,
    ).toBe('linear');
  });
});
