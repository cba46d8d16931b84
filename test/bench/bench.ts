/**
 * `npm run bench`: how long the built-in scenarios take, and how much the explorer's
 * reductions save.
 *
 *  1. Every built-in scenario, every `expect` line: reduction full, sleep-sets and none,
 *     all with stopAtFirstViolation false so the counts are comparable, plus the CLI's
 *     default configuration (full, stop at the first violation).
 *  2. Scaling: writeback-stale-wake at era 5.11 with 3 to 6 CPUs (see variants.ts).
 *  3. Two markdown tables on stdout; tables, notes and raw JSON also go to $BENCH_OUT
 *     (default: <tmpdir>/racelens-bench), never into the repository.
 *  4. The two target checks, then the total wall time.
 *  5. Source vs built-in (source.ts): the three 6.1 races run by the CLI with the built-in
 *     models and from the real 6.1 source (cold and warm lift cache), when the kernel tree
 *     of `npm run kernel` is there. Run first, alone. BENCH_ONLY=source runs only this.
 *  6. States per second (speed.ts): every seed race exhaustively, built-in and from the
 *     whole 6.1 tree, and side by side with a baseline build of an earlier engine when
 *     RACELENS_BASELINE names one. Run second, alone. BENCH_ONLY=speed runs only this.
 *
 * The timed runs that users see (CLI default and full) run one at a time in a single
 * worker process, the other core idle. The budget-bound sleep-sets and none runs then
 * run on BENCH_JOBS worker processes at once (default: 2), each on its own core.
 *
 * Budgets (ms unless noted), overridable from the environment:
 *   BENCH_FULL_MS        60000   full and CLI-default runs
 *   BENCH_SEED_MS        10000   sleep-sets / none on the built-in scenarios
 *   BENCH_SCALE_MS       20000   sleep-sets / none on the scaling family
 *   BENCH_NONE_MAX_EXEC  200000  executions, none only
 * except the 5-CPU none run of target 2: BENCH_FULL_MS, and at most 10x the executions
 * of 5-CPU full (the most that target needs).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinScenarios } from 'racelens-server/out/scenario/index.js';
import { parseOrThrow, type Job, type JobResult, type Mode, type Outcome } from './jobs.js';
import { runPool } from './pool.js';
import { sourceBench, sourceTable, sourceTarget, type SourceRow } from './source.js';
import { MIN_WARM_RUNS, speedBench, speedTable, WARM_CPU_MS, type SpeedRow } from './speed.js';
import { EXTRA_CPU, SCALING_BASE, SCALING_ERA, SCALING_SIZES, scalingVariant, type Variant } from './variants.js';

// Compiled to test/out/bench/, so the repository root is three levels up.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const TARGET_MS = 250;
const TARGET_CPUS = 5;
const TARGET_RATIO = 10;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return n;
}

const CONFIG = {
  fullMs: envInt('BENCH_FULL_MS', 60_000),
  seedNaiveMs: envInt('BENCH_SEED_MS', 10_000),
  scaleNaiveMs: envInt('BENCH_SCALE_MS', 20_000),
  noneMaxExecutions: envInt('BENCH_NONE_MAX_EXEC', 200_000),
  sourceRepeat: envInt('BENCH_SRC_REPEAT', 3),
  speedRepeat: envInt('BENCH_SPEED_REPEAT', 5),
  jobs: envInt('BENCH_JOBS', Math.min(2, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length)),
};

/** Where results go: $BENCH_OUT or <tmpdir>/racelens-bench, refused inside the repository. */
function outputDir(): string {
  const dir = path.resolve(process.env.BENCH_OUT || path.join(os.tmpdir(), 'racelens-bench'));
  const rel = path.relative(ROOT, dir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new Error(`BENCH_OUT ${dir} is inside the repository (${ROOT}); point it elsewhere`);
  }
  return dir;
}

interface Seed {
  scenario: string;
  file: string;
  text: string;
  eraSpec: string;
  fs?: string;
  expectIndex: number;
  /** the expect line's verdict and invariants, for the table */
  expect: string;
  cpus: number;
}

function seeds(): Seed[] {
  const out: Seed[] = [];
  for (const s of builtinScenarios()) {
    const race = parseOrThrow(s.text, s.file);
    race.expects.forEach((e, i) => out.push({
      scenario: s.name, file: s.file, text: s.text, eraSpec: e.eraSpec,
      ...(e.fs !== undefined ? { fs: e.fs } : {}),
      expectIndex: i,
      expect: e.verdict === 'violated' ? `violated ${e.invariants.join(' ')}` : e.verdict,
      cpus: race.cpus.length,
    }));
  }
  return out;
}

function budgetFor(mode: Mode, group: Job['group']): Pick<Job, 'timeLimitMs' | 'maxExecutions'> {
  if (mode === 'full' || mode === 'default') return { timeLimitMs: CONFIG.fullMs };
  const timeLimitMs = group === 'seed' ? CONFIG.seedNaiveMs : CONFIG.scaleNaiveMs;
  return mode === 'none' ? { timeLimitMs, maxExecutions: CONFIG.noneMaxExecutions } : { timeLimitMs };
}

let nextId = 0;
function seedJob(s: Seed, mode: Mode): Job {
  return {
    id: nextId++, group: 'seed', scenario: s.scenario, cpus: s.cpus, text: s.text, file: s.file,
    eraSpec: s.eraSpec, ...(s.fs !== undefined ? { fs: s.fs } : {}), expectIndex: s.expectIndex,
    mode, ...budgetFor(mode, 'seed'),
  };
}
function variantJob(v: Variant, mode: Mode): Job {
  return {
    id: nextId++, group: 'scaling', scenario: v.name, cpus: v.cpus, text: v.text, file: v.file,
    eraSpec: SCALING_ERA, expectIndex: 0, mode, ...budgetFor(mode, 'scaling'),
  };
}

// ---------------------------------------------------------------- formatting

const num = (n: number): string => n.toLocaleString('en-US');
const stopped = (o: Outcome | undefined): boolean => !!o && (o.budgetHit !== undefined || o.verdict === 'incomplete');
const complete = (o: Outcome | undefined): boolean => !!o && o.verdict !== 'error' && !stopped(o);
const eraText = (eraSpec: string, fsName?: string): string => fsName ? `${eraSpec} fs ${fsName}` : eraSpec;

function verdictCell(o: Outcome | undefined): string {
  if (!o) return '—';
  if (o.verdict === 'error') return `error: ${o.message ?? '?'}`.replace(/\|/g, '\\|');
  if (stopped(o)) return `${o.verdict} (${o.budgetHit ?? 'budget'})`;
  return o.asExpected === undefined ? o.verdict : `${o.verdict} ${o.asExpected ? '✓' : '✗'}`;
}
const countCell = (o: Outcome | undefined, n: (o: Outcome) => number): string =>
  !o || o.verdict === 'error' ? '—' : `${num(n(o))}${stopped(o) ? '+' : ''}`;
const msCell = (o: Outcome | undefined): string => !o || o.verdict === 'error' ? '—' : num(o.ms);

function table(head: string[], rows: string[][], right: Set<number>): string {
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (right.has(i) ? '---:' : ':---')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

type ByMode = Partial<Record<Mode, Outcome>>;

function seedTable(list: Seed[], results: Map<string, ByMode>): string {
  const head = ['scenario', 'era', 'expect', 'CLI default', 'full', 'exec', 'states', 'ms',
    'sleep-sets', 'exec', 'states', 'ms', 'none', 'exec', 'states', 'ms'];
  const rows = list.map((s) => {
    const r = results.get(seedKey(s)) ?? {};
    const d = r.default;
    const cli = !d ? '—' : d.verdict === 'error' ? verdictCell(d) : `${verdictCell(d)}, ${num(d.ms)} ms`;
    const modeCells = (m: Mode): string[] => [verdictCell(r[m]), countCell(r[m], (o) => o.executions), countCell(r[m], (o) => o.states), msCell(r[m])];
    return [s.scenario, eraText(s.eraSpec, s.fs), s.expect, cli, ...modeCells('full'), ...modeCells('sleep-sets'), ...modeCells('none')];
  });
  return table(head, rows, new Set([5, 6, 7, 9, 10, 11, 13, 14, 15]));
}

function ratioCell(full: Outcome | undefined, none: Outcome | undefined): string {
  if (!complete(full) || !none || none.verdict === 'error' || !full || full.executions === 0) return '—';
  const ratio = none.executions / full.executions;
  return `${stopped(none) ? '≥ ' : ''}${ratio.toFixed(1)}×`;
}

function scalingTable(variants: Variant[], results: Map<string, ByMode>): string {
  const head = ['CPUs', 'threads', 'full', 'exec', 'states', 'ms', 'sleep-sets', 'exec', 'states', 'ms',
    'none', 'exec', 'states', 'ms', 'none ÷ full exec'];
  const rows = variants.map((v) => {
    const r = results.get(v.name) ?? {};
    const modeCells = (m: Mode): string[] => [verdictCell(r[m]), countCell(r[m], (o) => o.executions), countCell(r[m], (o) => o.states), msCell(r[m])];
    return [String(v.cpus), v.labels.join(', '), ...modeCells('full'), ...modeCells('sleep-sets'), ...modeCells('none'), ratioCell(r.full, r.none)];
  });
  return table(head, rows, new Set([0, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14]));
}

const seedKey = (s: { scenario: string; eraSpec: string; fs?: string }): string => `${s.scenario}\t${s.eraSpec}\t${s.fs ?? ''}`;

/** Cross-checks between the modes; anything listed here deserves a look. */
function consistencyNotes(list: Seed[], variants: Variant[], seedResults: Map<string, ByMode>, scaleResults: Map<string, ByMode>): string[] {
  const notes: string[] = [];
  const check = (name: string, r: ByMode, expect?: string): void => {
    for (const [mode, o] of Object.entries(r) as [Mode, Outcome][]) {
      if (o.verdict === 'error') notes.push(`${name} ${mode}: error: ${o.message ?? '?'}`);
      else if (complete(o) && o.asExpected === false) notes.push(`${name} ${mode}: ${o.verdict}${o.invariant ? ` ${o.invariant}` : ''}, expected ${expect ?? '?'}`);
    }
    const full = r.full;
    if (!complete(full) || !full) return;
    for (const m of ['sleep-sets', 'none'] as const) {
      const o = r[m];
      if (!o || o.verdict === 'error') continue;
      if (complete(o) && o.verdict !== full.verdict) notes.push(`${name}: ${m} says ${o.verdict}, full says ${full.verdict}`);
      if (stopped(o) && o.verdict === 'violated' && full.verdict === 'holds') notes.push(`${name}: ${m} found a violation that full does not`);
      // sleep sets alone and the naive search reach every reachable state; full reaches a subset
      if (complete(o) && o.states < full.states) notes.push(`${name}: complete ${m} run reached ${o.states} states, fewer than full's ${full.states}`);
    }
    const d = r.default;
    if (d && complete(d) && d.verdict !== full.verdict) notes.push(`${name}: CLI default says ${d.verdict}, full says ${full.verdict}`);
  };
  for (const s of list) check(`${s.scenario} ${eraText(s.eraSpec, s.fs)}`, seedResults.get(seedKey(s)) ?? {}, s.expect);
  for (const v of variants) check(v.name, scaleResults.get(v.name) ?? {}, 'holds');
  return notes;
}

// ---------------------------------------------------------------- main

function elapsed(t0: number): string {
  return `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s`;
}

function sourceSection(rows: SourceRow[] | string): string[] {
  const title = `### Source vs built-in: wall time of \`racelens run SCENARIO --era 6.1\` with the built-in models and with \`--src $K/mm --src $K/fs/buffer.c\``;
  if (typeof rows === 'string') return [title, '', rows, ''];
  return [
    title, '', sourceTable(rows), '',
    `- Minimum of ${CONFIG.sourceRepeat} runs each, one process at a time, node startup included. Cold: an empty lift cache (RACELENS_LIFT_CACHE set to a new folder); warm: the cache one earlier run wrote. exec, states and "from source" (models lifted from source) are those of the warm run.`,
    '', sourceTarget(rows), '',
  ];
}

function speedSection(rows: SpeedRow[]): string[] {
  const base = process.env.RACELENS_BASELINE;
  return [
    `### States per second: every seed race explored exhaustively (full reduction, no stop at the first violation)${base ? `, against the baseline build at ${base}` : ''}`, '',
    speedTable(rows), '',
    `- Median of ${CONFIG.speedRepeat} searches each, after warm-up searches (at least ${MIN_WARM_RUNS}) until each engine has spent ${WARM_CPU_MS} ms of CPU on the row (BENCH_SPEED_WARM_MS), engines alternating in one process; the machine is built afresh for every search and only the search is timed. States per second are per CPU second of the process (all its threads, the garbage collector's included); wall time is shown too.`,
    ...(base ? [] : ['- No baseline: set RACELENS_BASELINE to a build of an earlier commit (e.g. `git worktree add /tmp/racelens-baseline COMMIT`, link node_modules, `npx tsc -b` there) to compare.']),
    '',
  ];
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const out = outputDir();
  if (process.env.BENCH_ONLY === 'speed') {
    const rows = speedBench(ROOT, CONFIG.speedRepeat, (l) => process.stderr.write(`${elapsed(t0)} ${l}\n`));
    process.stdout.write(`${speedSection(rows).join('\n')}\n`);
    return 0;
  }
  process.stderr.write(`bench: source vs built-in, ${CONFIG.sourceRepeat} runs each\n`);
  const srcRows = sourceBench(ROOT, CONFIG.sourceRepeat, (l) => process.stderr.write(`${elapsed(t0)} ${l}\n`));
  const srcMd = sourceSection(srcRows);
  if (process.env.BENCH_ONLY === 'source') {
    process.stdout.write(`${srcMd.join('\n')}\n`);
    return 0;
  }
  process.stderr.write(`bench: states per second, ${CONFIG.speedRepeat} searches each\n`);
  const speedRows = speedBench(ROOT, CONFIG.speedRepeat, (l) => process.stderr.write(`${elapsed(t0)} ${l}\n`));
  const speedMd = speedSection(speedRows);
  const list = seeds();
  const base = builtinScenarios().find((s) => s.name === SCALING_BASE);
  if (!base) throw new Error(`built-in scenario ${SCALING_BASE} not found`);
  const variants = SCALING_SIZES.map((n) => scalingVariant(base.text, base.file, n));

  // Phase A, one at a time: what users see (CLI default) first, in the CLI's order, then full.
  const phaseA: Job[] = [
    ...list.map((s) => seedJob(s, 'default')),
    ...list.map((s) => seedJob(s, 'full')),
    ...variants.map((v) => variantJob(v, 'full')),
  ];
  const phaseBCount = variants.length * 2 + list.length * 2;
  const total = phaseA.length + phaseBCount;
  let done = 0;
  const progress = (r: JobResult): void => {
    done++;
    const o = r.outcome;
    const what = r.job.group === 'seed' ? `${r.job.scenario} ${eraText(r.job.eraSpec, r.job.fs)}` : r.job.scenario;
    const counts = o.verdict === 'error' ? o.message ?? '' : `${num(o.executions)} exec, ${num(o.states)} states, ${num(o.ms)} ms${o.budgetHit ? ` [${o.budgetHit}]` : ''}`;
    process.stderr.write(`${elapsed(t0)} [${String(done).padStart(3)}/${total}] ${r.job.mode.padEnd(10)} ${what}: ${o.verdict}, ${counts}\n`);
  };
  process.stderr.write(`bench: ${phaseA.length} timed runs one at a time, then ${phaseBCount} budget-bound runs on ${CONFIG.jobs} processes\n`);
  const resultsA = await runPool(phaseA, 1, progress);

  // Phase B, in parallel: the budget-bound modes, longest budgets first. The naive run
  // that target 2 compares against gets full's time budget and stops as soon as it has
  // TARGET_RATIO times full's executions: enough to decide the target, and no more.
  const targetFull = resultsA.find((r) => r.job.group === 'scaling' && r.job.cpus === TARGET_CPUS && r.job.mode === 'full')?.outcome;
  const phaseB: Job[] = [
    ...variants.flatMap((v) => [variantJob(v, 'sleep-sets'), variantJob(v, 'none')]),
    ...list.flatMap((s) => [seedJob(s, 'sleep-sets'), seedJob(s, 'none')]),
  ].map((j) => {
    if (j.group !== 'scaling' || j.cpus !== TARGET_CPUS || j.mode !== 'none') return j;
    const cap = complete(targetFull) ? Math.min(CONFIG.noneMaxExecutions, targetFull!.executions * TARGET_RATIO) : CONFIG.noneMaxExecutions;
    return { ...j, timeLimitMs: CONFIG.fullMs, maxExecutions: cap };
  }).sort((a, b) => (b.timeLimitMs ?? 0) - (a.timeLimitMs ?? 0));
  const resultsB = await runPool(phaseB, CONFIG.jobs, progress);
  const all = [...resultsA, ...resultsB];

  const seedResults = new Map<string, ByMode>();
  const scaleResults = new Map<string, ByMode>();
  for (const { job, outcome } of all) {
    const map = job.group === 'seed' ? seedResults : scaleResults;
    const key = job.group === 'seed' ? seedKey(job) : job.scenario;
    map.set(key, { ...(map.get(key) ?? {}), [job.mode]: outcome });
  }

  // target 1: every seed scenario, full, exhaustive, under TARGET_MS
  const fulls = list.map((s) => ({ s, o: seedResults.get(seedKey(s))?.full }));
  const slowest = fulls.reduce((a, b) => ((b.o?.ms ?? Infinity) > (a.o?.ms ?? Infinity) ? b : a));
  const t1met = fulls.every(({ o }) => complete(o) && o!.ms < TARGET_MS);
  const t1 = `target: every seed scenario explored exhaustively (full) in under ${TARGET_MS} ms: ${t1met ? 'MET' : 'NOT MET'} `
    + `(slowest: ${slowest.s.scenario} ${eraText(slowest.s.eraSpec, slowest.s.fs)} ${slowest.o ? slowest.o.ms : '?'} ms)`;

  // target 2: at TARGET_CPUS CPUs, full explores at most 1/TARGET_RATIO of none's executions
  const five = variants.find((v) => v.cpus === TARGET_CPUS);
  const r5 = five ? scaleResults.get(five.name) ?? {} : {};
  const f5 = r5.full;
  const n5 = r5.none;
  // none stopped by a budget: its count is a lower bound, which can only help the claim;
  // full stopped by a budget: its count is a lower bound too, so nothing can be claimed
  const t2met = !!f5 && !!n5 && complete(f5) && n5.verdict !== 'error' && f5.executions * TARGET_RATIO <= n5.executions;
  const t2 = `target: at ${TARGET_CPUS} CPUs the reduction explores at most a tenth of the executions of the naive search: ${t2met ? 'MET' : 'NOT MET'} `
    + `(full ${f5 ? `${f5.executions}${stopped(f5) ? '+' : ''}` : '?'} vs none ${n5 ? `${n5.executions}${stopped(n5) ? '+' : ''}` : '?'})`;

  const seedMd = seedTable(list, seedResults);
  const scaleMd = scalingTable(variants, scaleResults);
  const notes = consistencyNotes(list, variants, seedResults, scaleResults);
  const legend = [
    `exec and states ending in + were stopped by a budget (lower bounds); the verdict then names the budget.`,
    `Budgets: full and CLI default ${num(CONFIG.fullMs)} ms; sleep-sets and none ${num(CONFIG.seedNaiveMs)} ms (built-ins), ${num(CONFIG.scaleNaiveMs)} ms (scaling); none also ${num(CONFIG.noneMaxExecutions)} executions.`,
    `All modes run with stopAtFirstViolation false except "CLI default" (full, stop at the first violation, shortest counterexample). ms is RunResult.ms (linking, setup, search).`,
    `Exception: ${TARGET_CPUS}-CPU none, the run target 2 compares against, has full's time budget and stops at ${TARGET_RATIO}× full's executions (capped at the usual ${num(CONFIG.noneMaxExecutions)}).`,
    `CLI default and full ran one at a time; sleep-sets and none ran ${CONFIG.jobs} at a time, one process each. In full, executions include paths cut at an already visited state.`,
  ];
  const seedTitle = `### Built-in scenarios, one row per expect line`;
  const scaleTitle = `### Scaling: ${SCALING_BASE} at era ${SCALING_ERA}, 3 CPUs = no user CPU and the page dirty in the setup, 5 and 6 CPUs = one and two more \`${EXTRA_CPU.call}\` CPUs`;
  const totalMs = Date.now() - t0;
  const wall = `total wall time: ${(totalMs / 1000).toFixed(1)} s (bench only; ${os.cpus().length} cores, node ${process.version})`;

  const stdout = [
    seedTitle, '', seedMd, '',
    scaleTitle, '', scaleMd, '',
    ...legend.map((l) => `- ${l}`), '',
    ...(notes.length ? ['Consistency notes:', ...notes.map((n) => `- ${n}`), ''] : ['Consistency notes: none (complete runs agree with full and with their expect lines; no errors).', '']),
    t1, t2, '',
    ...srcMd,
    ...speedMd,
    wall,
  ].join('\n');
  process.stdout.write(`${stdout}\n`);

  fs.mkdirSync(out, { recursive: true });
  const md = [
    `# racelens bench, ${new Date(t0).toISOString()}`, '',
    stdout, '',
    `## Scaling variants`, '',
    ...variants.flatMap((v) => [`${v.name}:`, '', '```', v.text.trimEnd(), '```', '']),
  ].join('\n');
  const json = {
    startedAt: new Date(t0).toISOString(),
    totalWallMs: totalMs,
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}` },
    config: CONFIG,
    targets: [t1, t2, ...(typeof srcRows === 'string' ? [] : [sourceTarget(srcRows)])],
    sourceVsBuiltin: srcRows,
    statesPerSecond: speedRows,
    targetsMet: { exhaustiveUnder250ms: t1met, fiveCpuTenth: t2met },
    notes,
    variants: variants.map((v) => ({ name: v.name, cpus: v.cpus, labels: v.labels, text: v.text })),
    results: all
      .sort((a, b) => a.job.id - b.job.id)
      .map(({ job, outcome }) => {
        const { text: _text, ...rest } = job;
        return { ...rest, ...outcome };
      }),
  };
  fs.writeFileSync(path.join(out, 'bench-results.md'), md);
  fs.writeFileSync(path.join(out, 'bench-results.json'), `${JSON.stringify(json, null, 2)}\n`);
  process.stderr.write(`bench: wrote ${path.join(out, 'bench-results.md')} and bench-results.json\n`);
  return 0;
}

if (process.env.NODE_TEST_CONTEXT) {
  // picked up by `node --test`: the bench is not a test
  process.stderr.write('bench.js is run by `npm run bench`, not as a test; skipping\n');
} else {
  main().then((code) => { process.exitCode = code; }, (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
