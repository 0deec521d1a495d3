import type { Command } from 'commander';

/**
 * A completion script for bash or zsh, from the program's own commands and
 * options (so it cannot drift from them): commands first, then that
 * command's options, then file names.
 */
export function completionScript(program: Command, shell: 'bash' | 'zsh'): string {
  const commands = program.commands.map((command) => command.name());
  const cases = program.commands
    .map((command) => {
      const flags = command.options.flatMap((option) => [option.long, option.short].filter((f): f is string => Boolean(f)));
      return `    ${command.name()}) opts="${[...flags, '--help'].join(' ')}" ;;`;
    })
    .join('\n');
  const body = `_gradual_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${commands.join(' ')} --help --version" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _gradual_complete gradual
`;
  // zsh runs the bash function through bashcompinit.
  return shell === 'bash' ? body : `autoload -U +X bashcompinit && bashcompinit\n${body}`;
}
