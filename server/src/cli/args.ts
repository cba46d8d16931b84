/** The conventions every racelens subcommand keeps for its arguments. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/** What parseArgs gives for these options (and --help), with the options' own value types. */
export type CommandArgs<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O & typeof HELP_OPTION }>>;

/**
 * A subcommand's arguments (util.parseArgs, strict): an unknown or malformed option
 * prints its message and the command's help on stderr, and `--help` or `-h` prints the
 * help on stdout. A number is then the exit status to return (2 and 0).
 */
export function commandArgs<O extends Options>(command: string, help: string, argv: string[], options: O, allowPositionals = true): CommandArgs<O> | number {
  let parsed: CommandArgs<O>;
  try {
    parsed = parseArgs({ args: argv, allowPositionals, strict: true, options: { ...options, ...HELP_OPTION } }) as CommandArgs<O>;
  } catch (err) {
    process.stderr.write(`racelens ${command}: ${(err as Error).message}\n\n${help}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(help);
    return 0;
  }
  return parsed;
}
