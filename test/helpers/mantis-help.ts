import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from './doc-mentions.ts';

/** What one command of the real `mantis` program lists in its --help. */
export interface Help {
  /** Its subcommands, or null when it has none. */
  commands: Set<string> | null;
  /** Its options, short and long (`-c`, `--config`, `--no-simulate`). */
  options: Set<string>;
}

/** Help of the real `mantis` program by command path: '' for the program, `etl` or `etl backup`. */
export type ProgramHelp = Map<string, Help>;

const run = promisify(execFile);

/** Parses commander's help text: the `Commands:` and `Options:` sections, two spaces in. */
export function parseHelp(text: string): Help {
  const section = (name: string) => text.split(new RegExp(`^${name}:$`, 'm'))[1]?.split(/^\S/m)[0];
  const commands = section('Commands');
  const options = [...(section('Options') ?? '').matchAll(/^ {2}(-.*?)(?: {2,}|$)/gm)].flatMap((m) =>
    [...m[1].matchAll(/(?<![\w<[-])--?[A-Za-z][\w-]*/g)].map((o) => o[0]),
  );
  return {
    commands: commands
      ? new Set(
          [...commands.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]).filter((name) => name !== 'help'),
        )
      : null,
    options: new Set(options),
  };
}

/** Runs `mantis <args> --help` from bin/mantis.js in `cwd`, with only PATH set, and parses it. */
export async function helpOf(args: string[], cwd: string): Promise<Help> {
  const { stdout } = await run(process.execPath, [join(root, 'bin/mantis.js'), ...args, '--help'], {
    cwd,
    env: { PATH: process.env.PATH ?? '' },
  });
  return parseHelp(stdout);
}

/**
 * The command path a mention's words name: `etl backup` when `backup` is a subcommand of `etl`, else the
 * first word alone (the second is an argument, or unknown and reported as such).
 */
export function commandPath(cli: ProgramHelp, words: string): string {
  const [command, sub] = words.split(' ');
  return sub && cli.get(command)?.commands?.has(sub) ? `${command} ${sub}` : command;
}

/** Options a command path accepts: its own, and the program's (--help, --version). */
export function optionsOf(cli: ProgramHelp, path: string): Set<string> | null {
  const own = cli.get(path);
  return own ? new Set([...own.options, ...(cli.get('')?.options ?? [])]) : null;
}

/**
 * Fills `cli` with the help of the program, of each top-level command among `commandWords` (`etl backup`,
 * `doctor`) and of each subcommand they name: one `mantis … --help` run each, in parallel per level.
 */
export async function loadHelp(cli: ProgramHelp, commandWords: string[], cwd: string): Promise<void> {
  cli.set('', await helpOf([], cwd));
  const top = cli.get('')?.commands ?? new Set<string>();
  const firsts = new Set(commandWords.map((w) => w.split(' ')[0]).filter((c) => top.has(c)));
  await Promise.all([...firsts].map(async (command) => cli.set(command, await helpOf([command], cwd))));
  const subs = new Set(commandWords.map((w) => commandPath(cli, w)).filter((path) => path.includes(' ')));
  await Promise.all([...subs].map(async (path) => cli.set(path, await helpOf(path.split(' '), cwd))));
}
