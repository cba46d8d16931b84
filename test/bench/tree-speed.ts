/**
 * `node test/out/bench/tree-speed.js`: every built-in race on each whole tree present
 * (6.1, 6.12; the tree's own release decides the era), explored exhaustively (no stop at
 * the first violation, no shortest trace), and with RACELENS_BASELINE the same on an
 * earlier engine (a `git worktree` of an earlier commit with `tsc -b` run in it), both
 * in this one process, alternating. Printed: per race and tree, the states and the
 * search's CPU ms of each engine (median of TREE_SPEED_REPEAT runs, default 3, for the
 * races over 10,000 states; one run for the others) and the ratios. TREE_SPEED_ONLY:
 * a comma-separated list of races; TREE_SPEED_TREES: the releases (default 6.1,6.12).
 */
import * as path from 'node:path';
import { findKernelTree } from '../kernel/tree.js';

interface Engine {
  builtinScenarios(): { name: string; file: string; text: string }[];
  parse(text: string, file: string): { checks: { id: string }[]; setup: { fs?: { name: string } } };
  sourceEra(era: undefined, dirs: string[]): { era?: string };
  sourceModels(era: string, dirs: string[], opts: object): object;
  roots(race: object): string[];
  machine(req: object): object;
  explore(m: object, opts: object): { verdict: string; states: number };
}

function load(root: string): Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const req = (p: string): Record<string, (...a: never[]) => unknown> => require(path.join(root, 'server', 'out', p));
  const library = req('scenario/library.js');
  const run = req('scenario/run.js');
  return {
    builtinScenarios: library.builtinScenarios as Engine['builtinScenarios'],
    parse: (text, file) => (library.parseScenarioText as (t: string, f: string) => { race: ReturnType<Engine['parse']> })(text, file).race,
    sourceEra: req('catalog/tree.js').sourceEra as Engine['sourceEra'],
    sourceModels: req('catalog/source-models.js').sourceModelSet as Engine['sourceModels'],
    roots: run.scenarioRoots as Engine['roots'],
    machine: (r) => (run.scenarioMachine as (r: object) => { machine: object })(r).machine,
    explore: req('explore/explore.js').explore as Engine['explore'],
  };
}

interface Measure { verdict: string; states: number; cpuMs: number }

function prepare(e: Engine, name: string, tree: string): () => Measure {
  const s = e.builtinScenarios().find((x) => x.name === name);
  if (!s) throw new Error(`no built-in scenario ${name}`);
  const race = e.parse(s.text, s.file);
  const era = e.sourceEra(undefined, [tree]).era!;
  const models = e.sourceModels(era, [tree], { roots: e.roots(race), race: name, checks: race.checks.map((c) => c.id), filesystems: [race.setup.fs?.name ?? 'nobh'] });
  return () => {
    const m = e.machine({ race, file: s.file, eraSpec: era, models });
    const cpu = process.cpuUsage();
    const r = e.explore(m, { reduction: 'full', stopAtFirstViolation: false, shortest: false, timeLimitMs: 600_000, maxStates: 3_000_000 });
    const used = process.cpuUsage(cpu);
    return { verdict: r.verdict, states: r.states, cpuMs: (used.user + used.system) / 1000 };
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (require.main === module && !process.env.NODE_TEST_CONTEXT) {
  const root = path.resolve(__dirname, '..', '..', '..');
  const engines = [...(process.env.RACELENS_BASELINE ? [load(path.resolve(process.env.RACELENS_BASELINE))] : []), load(root)];
  const repeat = Number(process.env.TREE_SPEED_REPEAT || 3);
  const only = process.env.TREE_SPEED_ONLY?.split(',');
  process.stdout.write(`| race | tree | ${engines.length > 1 ? 'states before | CPU ms before | ' : ''}states | CPU ms |${engines.length > 1 ? ' fewer states | faster |' : ''}\n`);
  for (const release of (process.env.TREE_SPEED_TREES ?? '6.1,6.12').split(',')) {
    const tree = findKernelTree(release);
    if (!tree) continue;
    for (const { name } of engines[engines.length - 1].builtinScenarios()) {
      if (only && !only.includes(name)) continue;
      const runs = engines.map((e) => prepare(e, name, tree));
      const first = runs.map((r) => r());
      const big = first.some((m) => m.states > 10_000);
      const cpu = first.map((m) => [m.cpuMs]);
      for (let i = 1; big && i < repeat; i++) for (const k of i % 2 ? [...runs.keys()].reverse() : runs.keys()) cpu[k].push(runs[k]().cpuMs);
      const cells = first.flatMap((m, k) => [`${m.verdict} ${m.states.toLocaleString('en-US')}`, median(cpu[k]).toFixed(0)]);
      if (engines.length > 1) cells.push(`${(first[0].states / first[1].states).toFixed(2)}×`, `${(median(cpu[0]) / median(cpu[1])).toFixed(2)}×`);
      process.stdout.write(`| ${name} | ${release} | ${cells.join(' | ')} |\n`);
    }
  }
}
