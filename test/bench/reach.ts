/**
 * `npm run reach`: how much of the kernel a reviewer touches the races run from source.
 * Every built-in race runs on each whole tree present (6.1, 6.12: `racelens run RACE
 * --src TREE --json`, the tree's own release); the functions its `models[]` says came
 * from source are gathered per file. Printed as markdown: per file of the layers under
 * the races, the functions the file defines and those some race runs, per tree; then,
 * over a wider set of files, the 6.12 functions that are new or whose bodies differ from 6.1, and
 * how many of those some race runs on either tree — the code a 6.1 → 6.12 patch changed.
 * A race that ends in an error counts nothing and is listed with its message.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinScenarios } from 'racelens-server/out/scenario/library.js';
import { scanDefinitions } from 'racelens-server/out/lift/c-text.js';
import { findKernelTree } from '../kernel/tree.js';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'server', 'bin', 'racelens.js');

/** The files of issue 16's table: where page-cache races live. */
export const LAYER_FILES = [
  'mm/filemap.c', 'mm/page-writeback.c', 'mm/truncate.c', 'fs/buffer.c', 'mm/memory.c',
  'mm/rmap.c', 'mm/vmscan.c', 'mm/migrate.c', 'mm/gup.c', 'fs/fs-writeback.c',
];
/** Where 6.1 → 6.12 changes are counted: the layer files and the filesystems and helpers patches touch with them. */
export const CHANGE_FILES = [...LAYER_FILES, 'fs/ext4/inode.c', 'fs/iomap/buffered-io.c', 'mm/shmem.c', 'mm/swap.c'];

interface TreeReach {
  release: string;
  /** file → names run from source */
  run: Map<string, Set<string>>;
  /** file → names some interleaving executed (the run's coverage), a subset of `run` */
  executed: Map<string, Set<string>>;
  /** race → its verdict on the tree, with states and the run's own time */
  verdicts: Map<string, string>;
  errors: string[];
}

function reachOf(release: string, tree: string): TreeReach {
  const run = new Map<string, Set<string>>();
  const executed = new Map<string, Set<string>>();
  const errors: string[] = [];
  const verdicts = new Map<string, string>();
  for (const race of builtinScenarios()) {
    const p = spawnSync(process.execPath, [BIN, 'run', race.name, '--src', tree, '--json', '--no-trace'], { encoding: 'utf8', maxBuffer: 256 << 20 });
    let results: { verdict: string; invariant?: string; states?: number; ms?: number; error?: string; models?: { function: string; from: string; at?: { file: string } }[];
      coverage?: { function: string; at?: { file?: string } }[] }[];
    try {
      results = JSON.parse(p.stdout).results;
    } catch {
      errors.push(`${race.name}: exit ${p.status}, ${p.stderr.trim().split('\n')[0] ?? ''}`);
      continue;
    }
    for (const r of results) {
      verdicts.set(race.name, r.verdict === 'error' ? 'error' : `${r.verdict}${r.invariant ? ` ${r.invariant}` : ''} (${r.states} states, ${r.ms} ms)`);
      if (r.verdict === 'error') {
        errors.push(`${race.name}: ${r.error ?? 'error'}`);
        continue;
      }
      for (const m of r.models ?? []) {
        if (m.from !== 'source' || !m.at) continue;
        const rel = path.relative(tree, m.at.file);
        let names = run.get(rel);
        if (!names) run.set(rel, (names = new Set()));
        names.add(m.function);
      }
      for (const c of r.coverage ?? []) {
        // a built-in model's coverage has a racelens-builtin: uri and no file
        if (!c.at?.file || !path.resolve(c.at.file).startsWith(path.resolve(tree) + path.sep)) continue;
        const rel = path.relative(tree, c.at.file);
        let names = executed.get(rel);
        if (!names) executed.set(rel, (names = new Set()));
        names.add(c.function);
      }
    }
  }
  return { release, run, executed, verdicts, errors };
}

/** name → body text with spacing normalized, for the definitions of one file. */
function bodies(file: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(file)) return out;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (const d of scanDefinitions(lines.join('\n'))) {
    out.set(d.name, lines.slice(d.startLine, d.endLine + 1).join('\n').replace(/\s+/g, ' '));
  }
  return out;
}

function main(): void {
  const trees = (['6.1', '6.12'] as const).flatMap((r) => {
    const t = findKernelTree(r);
    return t ? [{ release: r, tree: t }] : [];
  });
  if (!trees.length) {
    console.log('reach: no kernel tree (npm run kernel, npm run kernel:6.12)');
    return;
  }
  const reach = trees.map((t) => reachOf(t.release, t.tree));

  console.log(`| file | ${trees.map((t) => `functions ${t.release} | run from source ${t.release}`).join(' | ')} |`);
  console.log(`|---|${trees.map(() => '---:|---:').join('|')}|`);
  for (const f of LAYER_FILES) {
    const cells = trees.map((t, i) => {
      const defined = bodies(path.join(t.tree, f));
      const run = [...(reach[i].run.get(f) ?? [])].filter((n) => defined.has(n));
      return `${defined.size} | ${run.length}`;
    });
    console.log(`| ${f} | ${cells.join(' | ')} |`);
  }
  // models[] is what the run's code can reach through its models; coverage is what some interleaving executed
  console.log(`\n| file | ${trees.map((t) => `executed ${t.release}`).join(' | ')} |\n|---|${trees.map(() => '---:').join('|')}|`);
  for (const f of LAYER_FILES) {
    const cells = trees.map((t, i) => {
      const defined = bodies(path.join(t.tree, f));
      return String([...(reach[i].executed.get(f) ?? [])].filter((n) => defined.has(n)).length);
    });
    console.log(`| ${f} | ${cells.join(' | ')} |`);
  }

  if (trees.length === 2) {
    let changed = 0;
    let changedRun = 0;
    let changedExecuted = 0;
    const rows: string[] = [];
    for (const f of CHANGE_FILES) {
      const a = bodies(path.join(trees[0].tree, f));
      const b = bodies(path.join(trees[1].tree, f));
      const runNames = new Set([...(reach[0].run.get(f) ?? []), ...(reach[1].run.get(f) ?? [])]);
      const diff = [...b.keys()].filter((n) => a.get(n) !== b.get(n));
      const ran = diff.filter((n) => runNames.has(n));
      const executedNames = new Set([...(reach[0].executed.get(f) ?? []), ...(reach[1].executed.get(f) ?? [])]);
      const executedHere = diff.filter((n) => executedNames.has(n));
      changed += diff.length;
      changedRun += ran.length;
      changedExecuted += executedHere.length;
      rows.push(`| ${f} | ${diff.length} | ${ran.length} | ${executedHere.length} |`);
    }
    console.log('\n| file | new or changed in 6.12 | of those, run from source | of those, executed |\n|---|---:|---:|---:|');
    for (const r of rows) console.log(r);
    console.log(`| all | ${changed} | ${changedRun} | ${changedExecuted} |`);
  }
  console.log(`\n| race | ${trees.map((t) => `whole ${t.release} tree`).join(' | ')} |\n|---|${trees.map(() => '---').join('|')}|`);
  for (const race of builtinScenarios()) console.log(`| ${race.name} | ${reach.map((r) => r.verdicts.get(race.name) ?? '—').join(' | ')} |`);
  for (const r of reach) for (const e of r.errors) console.log(`\n${r.release}: ${e}`);
}

main();
