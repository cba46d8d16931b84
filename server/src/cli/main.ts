/**
 * `racelens`: run race scenarios against the era's kernel models (or workspace
 * source), explain what the simulator runs for a function, and list what it knows.
 */
import { runCommand, RUN_HELP } from './run.js';
import { explainCommand } from './explain.js';
import { listCommand } from './list.js';
import { reviewCommand } from './review.js';
import { indexCommand } from './index-command.js';
import { lspCommand } from './lsp-command.js';

export const HELP = `racelens — race scenarios for Linux kernel mm/ and fs/ source

Every interleaving of a few CPUs over page flags, buffers, PTEs, page-cache tags,
wait queues and the disk, run against the kernel's own functions: built-in models of
each era, or the C source under --src.

Usage:
  racelens run [SCENARIO|FILE.race ...] [options]   run scenarios (default: all built-ins)
  racelens explain FUNCTION [--era ERA] [--src DIR]  the atomic steps the simulator runs for FUNCTION
  racelens review PATCH... [--src TREE | --era ERA]  the races a patch reaches, before and after it
  racelens list [--json]                               built-in scenarios, eras, overlays, filesystems
  racelens index DIR... [--json]                     what the language server's index knows of DIR
  racelens lsp --stdio                               the language server, for any LSP client
  racelens --help | racelens COMMAND --help

${RUN_HELP}
Exit status: 0 nothing violated, 1 some run violated an invariant (or, with
--check-expected, some verdict differs from its scenario's expect line), 3 some run
was stopped by a budget, 2 bad usage or input.
`;

/** A reader that stops early (`racelens run | head`) is not an error: stop quietly. */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        // asked for, it is the answer; given instead of a command, it is a usage error
        (command === undefined ? process.stderr : process.stdout).write(HELP);
        return command === undefined ? 2 : 0;
      case 'run':
        return runCommand(rest);
      case 'explain':
        return explainCommand(rest);
      case 'list':
        return listCommand(rest);
      case 'review':
        return await reviewCommand(rest);
      case 'index':
        return indexCommand(rest);
      case 'lsp':
        return await lspCommand(rest);
      default:
        process.stderr.write(`racelens: unknown command '${command}'\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    process.stderr.write(`racelens: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

