/**
 * Bench section "states per second": how fast the engine explores, per seed race, and
 * against a baseline build of an earlier engine when RACELENS_BASELINE names one (a
 * checkout of an earlier commit with `tsc -b` run in it, e.g. a `git worktree` at
 * /tmp/racelens-baseline).
 *
 * Every built-in scenario's expect lines, with the built-in models, and the 6.1 seed
 * races with models lifted from the whole 6.1 tree (`--src $K`, when `npm run kernel`
 * fetched it). Each run explores exhaustively (full reduction, no stop at the first
 * violation, no shortest-trace search) so that the states are the same work on both
 * engines; only the search is timed (the machine is built first, afresh each time).
 * Both engines are loaded into this one process and run alternately: warm-up searches
 * until each has spent BENCH_SPEED_WARM_MS of CPU on the row (default 4000, at least twenty
 * searches), then BENCH_SPEED_REPEAT timed runs (default 5); a figure is the median.
 * States per second are counted in the process's CPU time (user + system, all its
 * threads, the garbage collector's included) during the search, which a busy shared
 * machine disturbs far less than wall time; the wall time is shown too.
 * The counts of both engines must agree: a row where they do not is marked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kernelTree } from './source.js';

/** The seed races of issue 15, each also run with models lifted from the whole 6.1 tree. */
export const SPEED_SOURCE_RACES = ['mmap-dirty-lost', 'writeback-stale-wake', 'truncate-vs-writeback', 'reclaim-writepage-refused', 'dio-mmap-uptodate'];

/* The engine's entry points as this bench calls them, for a build at any root. */
export interface RaceLike { name: string; expects: { eraSpec: string; fs?: string }[]; cpus: unknown[]; setup: { fs?: { name: string } } }
export interface Engine {
  label: string;
  builtinScenarios(): { name: string; file: string; text: string }[];
  parse(text: string, file: string): RaceLike;
  machine(req: object): object;
  explore(machine: object, opts: object): { verdict: string; executions: number; states: number };
  sourceModels(era: string, dirs: string[], opts: object): object;
  roots(race: RaceLike): string[];
}

export function loadEngine(root: string, label: string): Engine {
  const out = path.join(root, 'server', 'out');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const req = (p: string): Record<string, (...a: never[]) => unknown> => require(path.join(out, p));
  const library = req('scenario/library.js');
  const run = req('scenario/run.js');
  const exp = req('explore/explore.js');
  const src = req('catalog/source-models.js');
  return {
    label,
    builtinScenarios: library.builtinScenarios as Engine['builtinScenarios'],
    parse: (text, file) => {
      const parsed = (library.parseScenarioText as (t: string, f: string) => { race?: RaceLike })(text, file);
      if (!parsed.race) throw new Error(`${file} does not parse`);
      return parsed.race;
    },
    machine: (r) => (run.scenarioMachine as (r: object) => { machine: object })(r).machine,
    explore: exp.explore as Engine['explore'],
    sourceModels: src.sourceModelSet as Engine['sourceModels'],
    roots: run.scenarioRoots as Engine['roots'],
  };
}

interface Case { scenario: string; eraSpec: string; fs?: string; source: boolean }

interface Measure { verdict: string; executions: number; states: number; ms: number[]; cpuMs: number[]; warmRuns: number }

/**
 * CPU each engine spends on a row before it is timed (BENCH_SPEED_WARM_MS), and the fewest
 * and most warm-up searches. A second and three searches were too few (session 13): after
 * them the baseline searched dio-mmap-uptodate 2.6.9 in 84 ms of CPU and in 16–26 ms once
 * warm, the current engine in 11–21 ms and 6–8 ms, so the ratio measured how much sooner
 * one engine's code was optimised (3.7–7.5× then, about 2× warm).
 */
export const WARM_CPU_MS = Number(process.env.BENCH_SPEED_WARM_MS || 4000);
export const MIN_WARM_RUNS = 20;
const MAX_WARM_RUNS = 600;

/** The engines' order in round `rep`: alternating, so that neither always runs on a warmer machine. */
function alternate(n: number, rep: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  return rep % 2 === 0 ? order : order.reverse();
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const num = (n: number): string => Math.round(n).toLocaleString('en-US');

export interface SpeedRow { case: Case; current: Measure; baseline?: Measure }

function cases(engine: Engine, withSource: boolean): Case[] {
  const out: Case[] = [];
  for (const s of engine.builtinScenarios()) {
    const race = engine.parse(s.text, s.file);
    for (const e of race.expects) out.push({ scenario: s.name, eraSpec: e.eraSpec, ...(e.fs !== undefined ? { fs: e.fs } : {}), source: false });
  }
  if (withSource) for (const scenario of SPEED_SOURCE_RACES) out.push({ scenario, eraSpec: '6.1', source: true });
  return out;
}

/** What one engine needs for one case, prepared outside the timed part (parsing, lifting). */
function prepare(engine: Engine, c: Case, tree: string): () => { verdict: string; executions: number; states: number; ms: number; cpuMs: number } {
  const src = engine.builtinScenarios().find((s) => s.name === c.scenario);
  if (!src) throw new Error(`no built-in scenario ${c.scenario}`);
  const race = engine.parse(src.text, src.file);
  const models = c.source
    ? engine.sourceModels(c.eraSpec, [tree], { roots: engine.roots(race), filesystems: [race.setup.fs?.name ?? 'nobh'] })
    : undefined;
  const req = { race, file: src.file, eraSpec: c.eraSpec, ...(c.fs !== undefined ? { fs: c.fs } : {}), ...(models ? { models } : {}) };
  return () => {
    const machine = engine.machine(req);
    const t = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const r = engine.explore(machine, { reduction: 'full', stopAtFirstViolation: false, shortest: false, timeLimitMs: 120_000, maxStates: 2_000_000 });
    const used = process.cpuUsage(cpu);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    return { verdict: r.verdict, executions: r.executions, states: r.states, ms, cpuMs: (used.user + used.system) / 1000 };
  };
}

export function speedBench(root: string, repeat: number, log: (s: string) => void): SpeedRow[] {
  const current = loadEngine(root, 'current');
  const baseRoot = process.env.RACELENS_BASELINE;
  if (baseRoot && !fs.existsSync(path.join(baseRoot, 'server', 'out', 'scenario', 'run.js'))) {
    throw new Error(`RACELENS_BASELINE ${baseRoot} has no build (run tsc -b there)`);
  }
  const baseline = baseRoot ? loadEngine(path.resolve(baseRoot), 'baseline') : undefined;
  const tree = kernelTree();
  const withSource = fs.existsSync(path.join(tree, 'mm', 'page-writeback.c')) && process.env.BENCH_SPEED_SOURCE !== '0';
  // BENCH_SPEED_ONLY: rows whose "scenario era" contains it; BENCH_SPEED_MODELS: builtin or tree
  const only = process.env.BENCH_SPEED_ONLY;
  const models = process.env.BENCH_SPEED_MODELS;
  const rows: SpeedRow[] = [];
  // a race added after the baseline's commit has nothing to compare with: left out of a comparison
  const known = new Set(baseline?.builtinScenarios().map((s) => s.name));
  const lacking = new Set<string>();
  for (const c of cases(current, withSource)) {
    if (only && !`${c.scenario} ${c.eraSpec}`.includes(only)) continue;
    if (models && models !== (c.source ? 'tree' : 'builtin')) continue;
    if (baseline && !known.has(c.scenario)) {
      if (!lacking.has(c.scenario)) log(`speed ${c.scenario}: not in the baseline, left out`);
      lacking.add(c.scenario);
      continue;
    }
    const engines = baseline ? [baseline, current] : [current];
    const runs = engines.map((e) => prepare(e, c, tree));
    const measures: Measure[] = engines.map(() => ({ verdict: '', executions: 0, states: 0, ms: [], cpuMs: [], warmRuns: 0 }));
    // Warm-up: each engine searches until it has spent WARM_CPU_MS of CPU on this row (at
    // least MIN_WARM_RUNS times, at most MAX_WARM_RUNS; the first search of a set of
    // programs also computes what the machines over it share). A search of a few milliseconds otherwise
    // times V8's optimising compiler, whose background threads count as the process's CPU:
    // dio-mmap-uptodate 2.6.9 took 76 ms of CPU after one warm-up and 5.7 ms once warm.
    const warmed = engines.map(() => 0);
    for (let rep = 0; rep < MAX_WARM_RUNS && (rep < MIN_WARM_RUNS || warmed.some((ms) => ms < WARM_CPU_MS)); rep++) {
      for (const i of alternate(engines.length, rep)) {
        if (rep >= MIN_WARM_RUNS && warmed[i] >= WARM_CPU_MS) continue;
        const r = runs[i]();
        warmed[i] += r.cpuMs;
        measures[i].warmRuns++;
      }
    }
    for (let rep = 0; rep < repeat; rep++) {
      for (const i of alternate(engines.length, rep)) {
        const r = runs[i]();
        const m = measures[i];
        m.verdict = r.verdict;
        m.executions = r.executions;
        m.states = r.states;
        m.ms.push(r.ms);
        m.cpuMs.push(r.cpuMs);
      }
    }
    const row: SpeedRow = { case: c, current: measures[measures.length - 1], ...(baseline ? { baseline: measures[0] } : {}) };
    rows.push(row);
    log(`speed ${c.scenario} ${c.eraSpec}${c.fs ? ` fs ${c.fs}` : ''}${c.source ? ' (whole tree)' : ''}: ${speedLine(row)}`);
  }
  return rows;
}

const rate = (m: Measure): number => m.states / (median(m.cpuMs) / 1000);

function speedLine(r: SpeedRow): string {
  const cur = `${num(r.current.states)} states, ${median(r.current.cpuMs).toFixed(1)} ms CPU, ${num(rate(r.current))} states/s (${r.current.warmRuns} warm-up)`;
  if (!r.baseline) return cur;
  return `${cur}; baseline ${median(r.baseline.cpuMs).toFixed(1)} ms CPU, ${num(rate(r.baseline))} states/s (${r.baseline.warmRuns} warm-up); ${(rate(r.current) / rate(r.baseline)).toFixed(2)}×${same(r) ? '' : ' COUNTS DIFFER'}`;
}

const same = (r: SpeedRow): boolean => !r.baseline
  || (r.baseline.verdict === r.current.verdict && r.baseline.executions === r.current.executions && r.baseline.states === r.current.states);

export function speedTable(rows: SpeedRow[]): string {
  const withBase = rows.some((r) => r.baseline);
  const head = ['scenario', 'era', 'models', 'verdict', 'exec', 'states', 'wall ms', 'CPU ms', 'states/s',
    ...(withBase ? ['baseline wall ms', 'baseline CPU ms', 'baseline states/s', '× baseline', 'same counts'] : [])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 4 ? ':---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const c = r.case;
    const m = r.current;
    const cells = [c.scenario, c.fs ? `${c.eraSpec} fs ${c.fs}` : c.eraSpec, c.source ? 'whole 6.1 tree' : 'built-in', m.verdict,
      num(m.executions), num(m.states), median(m.ms).toFixed(1), median(m.cpuMs).toFixed(1), num(rate(m))];
    if (r.baseline) {
      const b = r.baseline;
      cells.push(median(b.ms).toFixed(1), median(b.cpuMs).toFixed(1), num(rate(b)), `${(rate(m) / rate(b)).toFixed(2)}×`,
        same(r) ? 'yes' : `NO (baseline ${b.verdict}, ${num(b.executions)} exec, ${num(b.states)} states)`);
    } else if (withBase) cells.push('—', '—', '—', '—', '—');
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const ratios = rows.filter((r) => r.baseline).map((r) => rate(r.current) / rate(r.baseline!));
  if (ratios.length) {
    const geo = Math.exp(ratios.reduce((a, x) => a + Math.log(x), 0) / ratios.length);
    lines.push('', `× baseline: lowest ${Math.min(...ratios).toFixed(2)}×, geometric mean ${geo.toFixed(2)}×, highest ${Math.max(...ratios).toFixed(2)}×`);
  }
  return lines.join('\n');
}

/** `node test/out/bench/speed.js`: this section alone. */
if (require.main === module && !process.env.NODE_TEST_CONTEXT) {
  const root = path.resolve(__dirname, '..', '..', '..');
  const repeat = Number(process.env.BENCH_SPEED_REPEAT || 5);
  const rows = speedBench(root, repeat, (l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`${speedTable(rows)}\n`);
}
