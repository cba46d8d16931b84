/** `racelens explain FUNCTION`: the program the simulator runs for a kernel function. */
import { parseArgs } from 'node:util';
import { builtinModelSet, checkEraSpec } from '../catalog/models.js';
import { ModelLinker } from '../catalog/linker.js';
import { entryByName } from '../catalog/functions.js';
import { formatProgram } from '../lift/index.js';
import { primitives } from '../sim/ops/index.js';
import { sourceModelSet } from '../catalog/source-models.js';

export const EXPLAIN_HELP = `Usage: racelens explain FUNCTION [--era ERA] [--src DIR]...
Prints the atomic steps (marked *) and local computation the simulator runs for
FUNCTION, with source lines, where the model comes from, and its lift notes.
`;

export function explainCommand(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: { era: { type: 'string' }, src: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
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
  const era = values.era ?? '6.1';
  const problem = checkEraSpec(era);
  if (problem) {
    process.stderr.write(`racelens explain: ${problem}\n`);
    return 2;
  }
  const name = positionals[0];
  const set = values.src?.length ? sourceModelSet(era, values.src) : builtinModelSet(era);
  const linker = new ModelLinker(set);
  const r = linker.resolve(name);
  const entry = entryByName(name);
  const out: string[] = [];
  if (entry) {
    out.push(`${entry.names.join(' / ')} (${entry.file}): ${entry.description}`);
    out.push(`Reads: ${entry.reads.join(', ') || '-'}. Writes: ${entry.writes.join(', ') || '-'}. Races: ${entry.races.join(', ') || '-'}.`);
    for (const h of entry.history) {
      out.push(`  ${h.version}${h.commit ? ` (${h.commit})` : ''}${h.seed ? ` [seed ${h.seed}]` : ''}: ${h.what}`);
    }
    if (entry.lift) out.push(`Always the built-in model: ${entry.lift.why}.`);
    out.push('');
  }
  if (r.kind === 'prim') {
    out.push(`${name} is a simulator primitive: one atomic step. ${r.prim.doc}`);
  } else if (r.kind === 'func') {
    const m = set.functions.get(name) ?? [...set.functions.values()].find((f) => f.program === r.fn);
    out.push(`${r.fn.name}: ${m?.from === 'source' ? 'lifted from source' : `built-in model, era ${era}`}, ${m?.file ?? '?'}:${m?.line ?? '?'} (${m?.status ?? 'clean'})`);
    out.push(formatProgram(r.fn, { isPrimitive: (n: string) => { const p = primitives.get(n); return !!p && !p.pure; } }));
    const notes = r.fn.notes;
    out.push('', notes.length ? 'Notes:' : 'Notes: none');
    for (const n of notes) out.push(`  line ${n.line}: ${n.what}`);
  } else if (r.kind === 'noop') {
    out.push(`${name} is a known no-op for the simulator (statistics, tracing, barriers or memcg bookkeeping).`);
  } else {
    if (out.length) process.stdout.write(out.join('\n') + '\n');
    process.stderr.write(`racelens explain: no model, primitive or catalog entry named '${name}' in era ${era}\n`);
    return 2;
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
