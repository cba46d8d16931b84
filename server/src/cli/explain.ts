/** `racelens explain FUNCTION`: describeFunction's answer, with the program the simulator runs. */
import { commandArgs } from './args.js';
import { checkEraSpec } from '../catalog/models.js';
import { describeFunction, describeText } from '../describe/index.js';
import { Workspace } from '../workspace/workspace.js';
import { runEra } from '../app/plan.js';
import { treeRelative } from '../report/assumption-summary.js';

export const EXPLAIN_HELP = `Usage: racelens explain FUNCTION [--era ERA] [--src DIR]... [--config FILE]
Prints the atomic steps (marked *) and local computation the simulator runs for
FUNCTION, with source lines, where the model comes from, and its lift notes.
With --src naming a kernel tree and no --era, the era is the tree's release; --config
chooses the kernel .config (default: Debian's for the release).
`;

export function explainCommand(argv: string[]): number {
  const parsed = commandArgs('explain', EXPLAIN_HELP, argv, { era: { type: 'string' }, src: { type: 'string', multiple: true }, config: { type: 'string' } });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    process.stderr.write(EXPLAIN_HELP);
    return 2;
  }
  // the era a run of these sources would take; with neither, the newest built-in's
  const chosen = runEra(values.era, values.src);
  const era = chosen.era ?? '6.1';
  const problem = chosen.problem ?? checkEraSpec(era);
  if (problem) {
    process.stderr.write(`racelens explain: ${problem}\n`);
    return 2;
  }
  const name = positionals[0];
  const d = describeFunction(name, era, values.src?.length
    ? { sources: values.src, workspace: new Workspace(values.src), ...(values.config ? { configFile: values.config } : {}) }
    : undefined);
  if (d.body.kind === 'unknown' && !d.entry) {
    process.stderr.write(`racelens explain: no model, primitive or catalog entry named '${name}' in era ${era}\n`);
    return 2;
  }
  // paths inside a --src tree are shown as the tree names them (mm/vmscan.c:1640), as `run` shows them
  process.stdout.write(treeRelative(values.src ?? [])(describeText(d, { program: true })) + '\n');
  return 0;
}
