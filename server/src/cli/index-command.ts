/** `racelens index DIR... [--json]`: what the language server's index knows of those trees. */
import { commandArgs } from './args.js';
import * as fs from 'node:fs';
import { WorkspaceIndex } from '../index/workspace-index.js';
import { indexRoots } from '../index/roots.js';

export const INDEX_HELP = `Usage: racelens index DIR... [--root R]... [--json]
Indexes each DIR as the language server does (its mm, fs and include/linux folders
when present, else the whole folder; --root names other folders relative to DIR):
the files that define and call catalog functions. Prints the counts.
`;

export function indexCommand(argv: string[]): number {
  const parsed = commandArgs('index', INDEX_HELP, argv, { json: { type: 'boolean' }, root: { type: 'string', multiple: true } });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (!positionals.length) {
    process.stderr.write(INDEX_HELP);
    return 2;
  }
  const missing = positionals.find((d) => !fs.existsSync(d));
  if (missing) {
    process.stderr.write(`racelens index: ${missing}: no such file or directory\n`);
    return 2;
  }
  const started = performance.now();
  const roots = positionals.flatMap((d) => indexRoots(d, values.root ?? []));
  const index = new WorkspaceIndex(roots);
  index.buildSync();
  index.confirmDefinitionsSync();
  const stats = { ...index.stats(), ms: Math.round(performance.now() - started) };
  if (values.json) process.stdout.write(JSON.stringify(stats) + '\n');
  else process.stdout.write(`${stats.files} files, ${stats.parsedFiles} parsed, ${stats.functions} catalog functions defined, ${stats.mappedCallSites} call sites, ${stats.ms} ms\n`);
  return 0;
}
