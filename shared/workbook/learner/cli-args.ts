// `npm start -- <command>`: the command line of the workbook CLI, read with node:util parseArgs into
// one typed command. Nothing here touches the disk, so every mistake is caught before anything runs.
import { parseArgs } from 'node:util';
import pc from 'picocolors';

export type Command =
  | { name: 'home' }
  | { name: 'help' }
  | { name: 'hint'; lab?: string }
  | { name: 'watch'; lab?: string }
  | { name: 'run'; lab: string }
  | { name: 'break'; lab: string }
  | { name: 'solution'; lab: string; force: boolean }
  | { name: 'reset'; lab: string; yes: boolean }
  | { name: 'doctor' };

/** A command line the CLI cannot follow: the message says why, and the command list follows it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

interface CommandSpec {
  usage: string;
  does: string;
  lab: 'none' | 'optional' | 'required';
  flags: string[];
}

const COMMANDS: Record<Exclude<Command['name'], 'home'>, CommandSpec> = {
  hint: { usage: 'hint [NN]', does: "one more hint for the lab's next failing check", lab: 'optional', flags: [] },
  watch: { usage: 'watch [NN]', does: 're-run the lab\'s checks on every save (keys: r re-run, h hint, q quit)', lab: 'optional', flags: [] },
  run: { usage: 'run NN', does: 'run lab NN by hand against the fake tenant', lab: 'required', flags: [] },
  break: { usage: 'break NN', does: "send lab NN's provided attacks at your code, and see which held", lab: 'required', flags: [] },
  solution: { usage: 'solution NN [--force]', does: 'your files against the reference solution, once the lab passes', lab: 'required', flags: ['force'] },
  reset: { usage: 'reset NN [--yes]', does: "put lab NN's starter files back (asks first; the guide is kept)", lab: 'required', flags: ['yes'] },
  doctor: { usage: 'doctor', does: 'check Node, the dependencies, the settings and the tenant', lab: 'none', flags: [] },
  help: { usage: 'help', does: 'this list', lab: 'none', flags: [] },
};

export function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { force: { type: 'boolean', default: false }, yes: { type: 'boolean', short: 'y', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    // parseArgs names the unknown option in its first sentence; the rest is about positionals.
    throw new UsageError(`${(error as Error).message.split('. ')[0]}.`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help' };
  const [name, lab, ...extra] = positionals;
  if (name === undefined) return { name: 'home' };
  if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`There is no command "${name}".`);
  const command = name as keyof typeof COMMANDS;
  const spec = COMMANDS[command];
  const usage = `npm start -- ${spec.usage}`;
  if (extra.length > 0 || (spec.lab === 'none' && lab !== undefined)) throw new UsageError(`Too many arguments: ${usage}`);
  if (spec.lab === 'required' && lab === undefined) throw new UsageError(`Name a lab: ${usage}`);
  for (const flag of ['force', 'yes'] as const) {
    if (values[flag] && !spec.flags.includes(flag)) throw new UsageError(`--${flag} does not go with ${name}: ${usage}`);
  }
  switch (command) {
    case 'hint':
    case 'watch':
      return lab === undefined ? { name: command } : { name: command, lab };
    case 'run':
    case 'break':
      return { name: command, lab: lab! };
    case 'solution':
      return { name: command, lab: lab!, force: values.force };
    case 'reset':
      return { name: command, lab: lab!, yes: values.yes };
    case 'doctor':
    case 'help':
      return { name: command };
  }
}

/** Every command with what it does (for `help` and after a mistake). */
export function commandList(): string[] {
  const width = Math.max(...Object.values(COMMANDS).map((spec) => spec.usage.length));
  return [
    pc.bold('  npm start -- <command>'),
    ...Object.values(COMMANDS).map((spec) => `    ${pc.cyan(spec.usage.padEnd(width))}  ${spec.does}`),
    `  ${pc.dim('NN is a lab number (03) or folder name (03-confidential-client). With no command: the home screen.')}`,
  ];
}

/** The commands in one line, for the home screen's list (its first column is 28 wide). */
export function commandLine(): string {
  const names = Object.values(COMMANDS).map((spec) => spec.usage.replace(/ \[--\w+\]/, ''));
  return `    ${pc.cyan('npm start -- <command>')}      ${names.join(pc.dim(' · '))}`;
}
