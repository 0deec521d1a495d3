import { Argument, Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { completionScript } from './completion-script.js';
import { lintCommand } from './lint-command.js';
import { liveCommands } from './live-commands.js';
import { renderCommand } from './render-command.js';
import { runCommand } from './run-command.js';
import { simulateCommand } from './simulate-command.js';

/** The `gradual` program: every command, writing to `io`. */
export function createProgram(input: { io: CliIo; version: string }): Command {
  const { io } = input;
  const program = new Command('gradual')
    .description(
      'Lint, simulate, render and run Argo Rollouts manifests without the controller; get, promote, abort, retry, pause live rollouts',
    )
    .version(input.version, '-v, --version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError()
    .addHelpText(
      'after',
      `
Examples:
  $ gradual lint rollout.yaml analysistemplate.yaml
  $ gradual simulate rollout.yaml -t analysistemplate.yaml -m scenario.yaml --html timeline.html
  $ gradual render rollout.yaml --router istio --from virtualservice.yaml
  $ gradual run rollout.yaml -t analysistemplate.yaml --router istio --prometheus http://localhost:9090
  $ gradual get checkout --watch
  $ gradual promote checkout
  $ source <(gradual completion bash)`,
    );
  for (const command of [lintCommand(io), simulateCommand(io), renderCommand(io), runCommand(io), ...liveCommands(io)])
    program.addCommand(command);
  program.addCommand(
    new Command('completion')
      .description('Print a shell completion script')
      .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ source <(gradual completion bash)',
          '  $ gradual completion zsh > "$' + '{fpath[1]}/_gradual"',
        ].join('\n'),
      )
      .action((shell: 'bash' | 'zsh') => {
        io.stdout(completionScript(program, shell));
        io.exitCode = 0;
      }),
  );
  // Usage errors (unknown option, missing argument) are invalid input: exit 2, not commander's 1.
  program.exitOverride();
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}
