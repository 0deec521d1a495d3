import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { formatProblems, type LintFormat } from '../lint/format-problems.js';
import { lintManifests } from '../lint/lint-manifests.js';
import type { CliIo } from './cli-io.js';

/** `gradual lint FILES...`. */
export function lintCommand(io: CliIo): Command {
  return new Command('lint')
    .description('Check Rollouts and AnalysisTemplates: every problem with its file, line and column')
    .argument('<files...>', 'YAML files (templates are looked up across all of them)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .addHelpText(
      'after',
      `
Checks: the manifests' validation, conditions that do not compile, PromQL that
does not parse, templates and args referenced but missing, routes the Istio or
Gateway API router would refuse. Warns about a success condition that passes on
an empty result, no analysis at all, a pause with no duration.
Exit code: 0 no errors (warnings allowed), 1 errors, 2 a file could not be read.

Examples:
  $ gradual lint rollout.yaml analysistemplate.yaml
  $ gradual lint --format github manifests/*.yaml     # annotations in a GitHub workflow
  $ gradual lint --format json rollout.yaml | jq '.[] | select(.severity == "error")'`,
    )
    .action((files: string[], options: { format: LintFormat }) => {
      const inputs: { file: string; text: string }[] = [];
      for (const file of files) {
        try {
          inputs.push({ file, text: readFileSync(file, 'utf8') });
        } catch (error) {
          io.stderr(`error: cannot read ${file}: ${(error as Error).message}\n`);
          io.exitCode = exitCodes.invalidInput;
          return;
        }
      }
      const problems = lintManifests({ files: inputs });
      io.stdout(formatProblems({ problems, format: options.format, color: io.isTTY }));
      io.exitCode = problems.some((p) => p.severity === 'error') ? exitCodes.aborted : exitCodes.ok;
    });
}
