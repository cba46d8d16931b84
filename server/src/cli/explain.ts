/** `racelens explain FUNCTION`: describeFunction's answer, with the program the simulator runs. */
import { parseArgs } from 'node:util';
import { checkEraSpec } from '../catalog/models.js';
import { describeFunction, describeText } from '../describe/index.js';
import { Workspace } from '../workspace/workspace.js';
import { sourceEra } from '../catalog/tree.js';

export const EXPLAIN_HELP = `Usage: racelens explain FUNCTION [--era ERA] [--src DIR]... [--config FILE]
Prints the atomic steps (marked *) and local computation the simulator runs for
FUNCTION, with source lines, where the model comes from, and its lift notes.
With --src naming a kernel tree and no --era, the era is the tree's release; --config
chooses the kernel .config (default: Debian's for the release).
`;

export function explainCommand(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: { era: { type: 'string' }, src: { type: 'string', multiple: true }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    process.stderr.write(`racelens explain: ${(err as Error).message}\n\n${EXPLAIN_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(EXPLAIN_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(EXPLAIN_HELP);
    return 2;
  }
  const chosen = values.src?.length ? sourceEra(values.era, values.src) : { era: values.era };
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
  process.stdout.write(describeText(d, { program: true }) + '\n');
  return 0;
}
