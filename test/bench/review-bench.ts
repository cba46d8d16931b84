/**
 * `npm run bench:review`, the targets of issue 18:
 *  1. reviewing a one-function patch on the whole 6.1 tree (drop folio_mkclean() from
 *     folio_clear_dirty_for_io) against running the races it reaches on their own, once
 *     before and once after the patch (a fresh workspace per side, as one CLI process
 *     has; the persistent lift cache warm for both): at most 1.2x;
 *  2. parsing and applying a 100-patch series (an mbox of format-patch mails, each adding
 *     one line to one function of mm/ or fs/buffer.c, line numbers as the series leaves
 *     them): under 1 s.
 *  3. the same review with its races judged in worker threads (review/parallel.ts, the
 *     CLI's `--jobs N`; here the cores, at most 4), wall and CPU (all threads) beside the
 *     one-thread review's.
 * Medians of BENCH_REVIEW_REPEAT (default 3) alternating measurements, with the machine's
 * load. BENCH_REVIEW_PART=series measures the series alone. Skipped when the tree is absent.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePatches } from 'racelens-server/out/review/parse.js';
import { applySeries } from 'racelens-server/out/review/series.js';
import { review } from 'racelens-server/out/review/review.js';
import { reviewInParallel } from 'racelens-server/out/review/parallel.js';
import { scanDefinitions } from 'racelens-server/out/lift/c-text.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { runScenario, scenarioRoots } from 'racelens-server/out/scenario/run.js';
import { builtinScenarios, parseScenarioText } from 'racelens-server/out/scenario/library.js';
import { Workspace } from 'racelens-server/out/workspace/workspace.js';
import { kernelTree } from './source.js';

const REPEAT = Number(process.env.BENCH_REVIEW_REPEAT ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/** A unified diff of one file: `at` (0-based line) gets `added` lines, with three lines of context. */
function hunkPatch(file: string, lines: string[], at: number, added: string[], subject: string, k: number, n: number): string {
  const from = Math.max(0, at - 3);
  const to = Math.min(lines.length, at + 3);
  const body = [...lines.slice(from, at).map((l) => ' ' + l), ...added.map((l) => '+' + l), ...lines.slice(at, to).map((l) => ' ' + l)];
  return [`From 000000000000000000000000000000000000000${k % 10} Mon Sep 17 00:00:00 2001`, 'From: Bench <bench@racelens.invalid>', `Subject: [PATCH ${k}/${n}] ${subject}`, '', '---',
    `diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`,
    `@@ -${from + 1},${to - from} +${from + 1},${to - from + added.length} @@`, ...body, '-- ', '2.39.5', '', ''].join('\n');
}

function dropMkclean(tree: string): string {
  const file = 'mm/page-writeback.c';
  const lines = fs.readFileSync(path.join(tree, file), 'utf8').split('\n');
  const at = lines.findIndex((l) => l === '\t\tif (folio_mkclean(folio))');
  const from = at - 3;
  const body = [...lines.slice(from, at).map((l) => ' ' + l), '-' + lines[at], '-' + lines[at + 1], ...lines.slice(at + 2, at + 5).map((l) => ' ' + l)];
  return ['From: Bench <bench@racelens.invalid>', 'Subject: [PATCH] mm: drop folio_mkclean() from folio_clear_dirty_for_io()', '', `--- a/${file}`, `+++ b/${file}`, `@@ -${from + 1},8 +${from + 1},6 @@`, ...body, ''].join('\n');
}

/** A series of n patches over four files, each adding a line before a function's closing brace, bottom to top per file. */
function series(tree: string, n: number): string {
  const files = ['mm/page-writeback.c', 'mm/filemap.c', 'mm/truncate.c', 'fs/buffer.c'];
  const mails: string[] = [];
  for (const file of files) {
    if (mails.length === n) break;
    const text = fs.readFileSync(path.join(tree, file), 'utf8');
    const lines = text.split('\n');
    const defs = scanDefinitions(text).filter((d) => d.endLine - d.startLine > 4).slice(-Math.ceil(n / 2)).reverse();
    for (const d of defs) {
      if (mails.length === n) break;
      mails.push(hunkPatch(file, lines, d.endLine, ['\tbarrier();'], `${file}: a barrier at the end of ${d.name}()`, mails.length + 1, n));
    }
  }
  return mails.join('');
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main(): Promise<void> {
  const tree = kernelTree();
  if (!fs.existsSync(path.join(tree, 'mm', 'page-writeback.c'))) {
    console.log(`bench:review skipped: no kernel tree at ${tree} (run: npm run kernel)`);
    return;
  }
  console.log(`load: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);

  // 2. parsing and applying a 100-patch series
  const mbox = series(tree, 100);
  const applyMs: number[] = [];
  let applied = 0;
  let total = 0;
  for (let i = 0; i < Math.max(REPEAT, 5); i++) {
    const t0 = process.hrtime.bigint();
    const steps = applySeries(parsePatches(mbox, 'series.mbox'), { kind: 'tree', tree });
    applyMs.push(ms(t0));
    applied = steps.flatMap((s) => s.hunks).filter((h) => h.applied).length;
    total = steps.length;
  }
  console.log(`${total}-patch series (${(mbox.length / 1024).toFixed(0)} KB mbox): ${applied}/${total} hunks applied; parse+apply median ${median(applyMs).toFixed(0)} ms (runs: ${applyMs.map((x) => x.toFixed(0)).join(', ')}) — target < 1000 ms`);

  // 1. one-function patch on the whole tree against its races run twice on their own
  if (process.env.BENCH_REVIEW_PART === 'series') return;
  const patch = dropMkclean(tree);
  const patches = parsePatches(patch, 'drop-mkclean.patch');
  const [step] = applySeries(patches, { kind: 'tree', tree });
  const probe = review(patches, { target: { kind: 'tree', tree }, era: '6.1' });
  const reached = probe[0].races.map((r) => r.scenario);
  const races = builtinScenarios().filter((s) => reached.includes(s.name)).map((s) => ({ file: s.file, race: parseScenarioText(s.text, s.file).race! }));
  const plain = (): number => {
    const t0 = process.hrtime.bigint();
    for (const texts of [new Map<string, string>(), step.texts]) {
      const workspace = new Workspace([tree]);
      for (const [abs, text] of texts) workspace.setOverlay(abs, text, 1);
      for (const { race, file } of races) {
        const models = sourceModelSet('6.1', [tree], { roots: scenarioRoots(race), filesystems: [race.setup.fs?.name ?? 'nobh'], workspace });
        runScenario({ race, file, eraSpec: '6.1', models });
      }
    }
    return ms(t0);
  };
  const reviewCpu: number[] = [];
  const whole = (): number => {
    const t0 = process.hrtime.bigint();
    const c0 = cpuMs();
    review(parsePatches(patch, 'drop-mkclean.patch'), { target: { kind: 'tree', tree }, era: '6.1' });
    reviewCpu.push(cpuMs() - c0);
    return ms(t0);
  };
  const jobs = Math.min(4, os.availableParallelism());
  const parallelCpu: number[] = [];
  const parallelMs: number[] = [];
  const parallel = async (): Promise<void> => {
    const t0 = process.hrtime.bigint();
    const c0 = cpuMs();
    await reviewInParallel(parsePatches(patch, 'drop-mkclean.patch'), { target: { kind: 'tree', tree }, era: '6.1' }, jobs);
    parallelCpu.push(cpuMs() - c0);
    parallelMs.push(ms(t0));
  };
  const plainMs: number[] = [];
  const reviewMs: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    plainMs.push(plain());
    reviewMs.push(whole());
    await parallel();
  }
  const ratio = median(reviewMs) / median(plainMs);
  console.log(`one-function patch (folio_clear_dirty_for_io), ${races.length} races reached (${reached.join(', ')}):`);
  console.log(`  review median ${(median(reviewMs) / 1000).toFixed(2)} s (runs: ${reviewMs.map((x) => (x / 1000).toFixed(2)).join(', ')})`);
  console.log(`  races before+after on their own median ${(median(plainMs) / 1000).toFixed(2)} s (runs: ${plainMs.map((x) => (x / 1000).toFixed(2)).join(', ')})`);
  console.log(`  ratio ${ratio.toFixed(2)}x — target <= 1.2x`);
  const secs = (xs: number[]): string => `${(median(xs) / 1000).toFixed(2)} s`;
  console.log(`  one thread: wall ${secs(reviewMs)}, CPU ${secs(reviewCpu)}; ${jobs} worker threads: wall ${secs(parallelMs)} (runs: ${parallelMs.map((x) => (x / 1000).toFixed(2)).join(', ')}), CPU ${secs(parallelCpu)}`);
  console.log(`load after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

void main();
