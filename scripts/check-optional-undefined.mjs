#!/usr/bin/env node
// Every optional property of the packages' types says `| undefined`, so that a user with
// `exactOptionalPropertyTypes: true` (on in `tsc --init`) can pass a value they hold as
// `T | undefined` — `reconcile({ status: saved })` with a status not saved yet. Our own
// tsconfig cannot catch this (we never pass undefined), so this check reads the sources.
// Usage: node scripts/check-optional-undefined.mjs [--fix]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const fix = process.argv.includes('--fix');

const includesUndefined = (type) => {
  if (!type) return true; // inferred: not ours to annotate
  if ([ts.SyntaxKind.UndefinedKeyword, ts.SyntaxKind.AnyKeyword, ts.SyntaxKind.UnknownKeyword].includes(type.kind)) return true;
  if (ts.isParenthesizedTypeNode(type)) return includesUndefined(type.type);
  return ts.isUnionTypeNode(type) && type.types.some(includesUndefined);
};
// Types whose text must be wrapped in parentheses before `| undefined` is appended.
const needsParens = (type) => ts.isFunctionTypeNode(type) || ts.isConstructorTypeNode(type) || ts.isConditionalTypeNode(type);

function sourceFiles() {
  const files = [];
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const src = join(root, 'packages', pkg, 'src');
    try {
      for (const file of readdirSync(src, { recursive: true }).map(String)) {
        if (file.endsWith('.ts')) files.push(join(src, file));
      }
    } catch {
      // not a package with sources
    }
  }
  return files;
}

/** The optional properties of one file whose type lacks undefined. */
function findProblems(path, text) {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isPropertySignature(node) && node.questionToken && node.type && !includesUndefined(node.type)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push({ type: node.type, where: `${relative(root, path)}:${line + 1}: optional '${node.name.getText()}'` });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Adds `| undefined` to the innermost problems (an outer type's offsets go stale once an inner one is edited). */
function fixInnermost(text, found) {
  const types = found.map((p) => p.type);
  const contains = (outer) =>
    types.some((inner) => inner !== outer && inner.getStart() >= outer.getStart() && inner.getEnd() <= outer.getEnd());
  let out = text;
  for (const type of types.filter((t) => !contains(t)).sort((a, b) => b.getStart() - a.getStart())) {
    const typeText = out.slice(type.getStart(), type.getEnd());
    out = `${out.slice(0, type.getStart())}${needsParens(type) ? `(${typeText})` : typeText} | undefined${out.slice(type.getEnd())}`;
  }
  return out;
}

let fixed = 0;
const problems = [];
for (const path of sourceFiles()) {
  let text = readFileSync(path, 'utf8');
  let found = findProblems(path, text);
  if (!fix) {
    problems.push(...found.map((p) => `${p.where} lacks '| undefined'`));
    continue;
  }
  while (found.length > 0) {
    fixed += found.length;
    text = fixInnermost(text, found);
    const next = findProblems(path, text);
    fixed -= next.length;
    found = next;
  }
  writeFileSync(path, text);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} optional properties lack '| undefined' (node scripts/check-optional-undefined.mjs --fix)`);
  process.exit(1);
}
console.log(fix ? `fixed ${fixed} optional properties` : 'every optional property allows undefined');
