import { isMap, isPair, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { YamlDocument } from '../manifest/yaml-source.js';

/** A 1-based position in a file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** `a.b[2]["c/d"].e` as keys and indexes. */
export function splitPath(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const match of path.matchAll(/\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g)) {
    if (match[1] !== undefined) keys.push(Number(match[1]));
    else if (match[2] !== undefined) keys.push(match[2]);
    else if (match[3] !== undefined) keys.push(match[3]);
  }
  return keys;
}

/**
 * Where a manifest path such as `spec.strategy.canary.steps[2].setWeight`
 * is in the document: the key of the last field found (or the list item),
 * so a missing field points at the nearest parent that is there. Paths
 * `yaml:<line>:<column>` (the YAML reader's) are taken as they are.
 */
export function locatePath(source: YamlDocument, path: string): SourcePosition {
  const direct = /^yaml:(\d+):(\d+)$/.exec(path);
  if (direct) return { line: Number(direct[1]), column: Number(direct[2]) };
  let node: unknown = source.document.contents;
  let at: Node | undefined = (node as Node | null) ?? undefined;
  for (const key of splitPath(path)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) break;
      at = (pair.key as Scalar) ?? at;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number' && key < node.items.length) {
      node = node.items[key];
      at = (node as Node | null) ?? at;
    } else break;
  }
  return positionOf(source, at?.range?.[0] ?? 0);
}

/** The node at a path, when it is there. */
export function nodeAt(source: YamlDocument, path: string): Node | undefined {
  const node = source.document.getIn(splitPath(path), true);
  return node && typeof node === 'object' && 'range' in node ? (node as Node) : undefined;
}

/** A character offset of the file as line and column. */
export function positionOf(source: YamlDocument, offset: number): SourcePosition {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Where character `offset` of a scalar's value is in the file: for block
 * scalars (`|`, `>`) by line of the value and the block's indentation, for
 * single-line scalars from the start of the value (plus its quote).
 */
export function locateInScalar(source: YamlDocument, node: Scalar, offset: number): SourcePosition {
  const start = node.range?.[0] ?? 0;
  const value = String(node.value);
  const before = value.slice(0, offset);
  const lineInValue = before.split('\n').length - 1;
  const columnInLine = offset - (before.lastIndexOf('\n') + 1);
  const head = positionOf(source, start);
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const lines = source.text.split('\n');
    // Content starts on the line after the indicator; its indentation is the first non-empty line's.
    const content = lines.slice(head.line).find((line) => line.trim() !== '') ?? '';
    const indent = content.length - content.trimStart().length;
    return { line: head.line + 1 + lineInValue, column: indent + columnInLine + 1 };
  }
  const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  return { line: head.line + lineInValue, column: (lineInValue === 0 ? head.column + quote : 1) + columnInLine };
}
