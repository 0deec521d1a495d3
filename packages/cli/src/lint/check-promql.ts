import { parser } from '@prometheus-io/lezer-promql';

/** Where a PromQL query stops parsing: a character offset into the query as written, and why. */
export interface PromqlIssue {
  offset: number;
  message: string;
}

const placeholder = /\{\{\s*[^{}]*?\s*\}\}/g;

/**
 * Parses a query with the Prometheus project's own grammar and returns the
 * first place it does not parse, or undefined. Argo's `{{args.x}}`
 * placeholders are stood in for by text of the same length (so offsets stay
 * those of the query as written): letters inside quotes, and outside quotes
 * whichever of a number or a duration lets the query parse.
 */
export function checkPromql(query: string): PromqlIssue | undefined {
  const candidates = [(n: number) => '1'.repeat(n), (n: number) => `${'1'.repeat(Math.max(1, n - 1))}m`];
  let first: PromqlIssue | undefined;
  for (const outside of candidates) {
    const issue = firstError(standIn(query, outside));
    if (!issue) return undefined;
    first ??= issue;
  }
  return first;
}

function standIn(query: string, outside: (length: number) => string): string {
  return query.replace(placeholder, (match, offset: number) => {
    const quotes = (query.slice(0, offset).match(/(?<!\\)["'`]/g) ?? []).length;
    return quotes % 2 === 1 ? 'x'.repeat(match.length) : outside(match.length);
  });
}

function firstError(query: string): PromqlIssue | undefined {
  if (query.trim() === '') return { offset: 0, message: 'the query is empty' };
  let offset: number | undefined;
  parser.parse(query).iterate({
    enter(node) {
      if (offset !== undefined) return false;
      if (node.type.isError) offset = node.from;
      return undefined;
    },
  });
  if (offset === undefined) return undefined;
  // An error at the very end points at the last character written, not at the line after the query.
  offset = Math.min(offset, query.trimEnd().length);
  const near = query.slice(offset, offset + 20).split('\n')[0] ?? '';
  return {
    offset,
    message:
      near.trim() === ''
        ? 'PromQL ends too early (unexpected end of query)'
        : `PromQL does not parse near ${JSON.stringify(near)}`,
  };
}
