import pc from 'picocolors';
import type { LintProblem } from './lint-problem.js';

/** How `gradual lint` prints its findings. */
export type LintFormat = 'text' | 'json' | 'github';

/**
 * The findings as text (`file:line:column  error  message  path`, then a
 * count), JSON (an array), or GitHub workflow commands (`::error file=...`),
 * which show as annotations on the pull request.
 */
export function formatProblems(input: {
  problems: readonly LintProblem[];
  format: LintFormat;
  color?: boolean | undefined;
}): string {
  const { problems } = input;
  if (input.format === 'json') return `${JSON.stringify(problems, null, 2)}\n`;
  if (input.format === 'github') {
    return problems
      .map(
        (p) =>
          `::${p.severity} file=${escapeProperty(p.file)},line=${p.line},col=${p.column},title=${escapeProperty(`gradual ${p.rule}`)}::${escapeData(
            p.path ? `${p.path}: ${p.message}` : p.message,
          )}\n`,
      )
      .join('');
  }
  const colors = pc.createColors(input.color ?? false);
  const lines = problems.map((p) => {
    const severity = p.severity === 'error' ? colors.red('error') : colors.yellow('warning');
    return `${colors.bold(`${p.file}:${p.line}:${p.column}`)}  ${severity}  ${p.message}${p.path ? colors.dim(`  ${p.path}`) : ''}`;
  });
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  lines.push(
    problems.length === 0
      ? colors.green('no problems')
      : `${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`,
  );
  return `${lines.join('\n')}\n`;
}

// GitHub's workflow-command escaping: https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
