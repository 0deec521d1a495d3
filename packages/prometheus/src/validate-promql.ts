import type { ValidationIssue } from '@gradual/core';
import { parser } from '@prometheus-io/lezer-promql';

/**
 * Parses a query with the Prometheus project's own PromQL grammar
 * (`@prometheus-io/lezer-promql`) and reports each syntax error with its
 * line and column, so that a broken template fails before a rollout starts
 * rather than at its first measurement.
 */
export function validatePromql(query: string, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const tree = parser.parse(query);
  let lastFrom = -1;
  tree.iterate({
    enter(node) {
      // Recovery can leave several error nodes at one place; one issue each.
      if (!node.type.isError || node.from === lastFrom || issues.length >= 5) return;
      lastFrom = node.from;
      issues.push({ path, message: describe(query, node.from, node.to) });
    },
  });
  return issues;
}

function describe(query: string, from: number, to: number): string {
  const before = query.slice(0, from);
  const line = before.split('\n').length;
  const column = from - before.lastIndexOf('\n');
  const where = `line ${line}, column ${column} (offset ${from})`;
  const rest = query.slice(from).trimEnd();
  if (rest === '') return `is not valid PromQL: unexpected end of query at ${where}`;
  const found = (to > from ? query.slice(from, to) : (/^\S+/.exec(rest)?.[0] ?? rest)).slice(0, 40);
  return `is not valid PromQL: unexpected ${JSON.stringify(found)} at ${where}`;
}
