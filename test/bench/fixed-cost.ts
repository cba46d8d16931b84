/**
 * `node test/out/bench/fixed-cost.js`: where the CPU time of one CLI run over a whole
 * tree goes (issue 16's Cost line). For each seed race on each tree present, a fresh
 * process (as the CLI is) takes the CLI's steps one by one with their user+system CPU:
 * loading the code, the scenario's parse and check, the model set from source, the
 * machine, the whole-program facts (the known values, what may remove a page), the
 * search, the JSON result; then the whole command
 * `node server/bin/racelens.js run RACE --era 6.1 --src TREE --json` under /usr/bin/time
 * (user+system). Every figure on a warm lift cache: each engine runs once before it is
 * measured; FIXED_COST_REPEAT runs (default 3) after that, medians. With
 * RACELENS_BASELINE (an earlier engine's checkout with `tsc -b` run in it) the same for
 * it, the two alternating. FIXED_COST_ONLY: races (comma-separated); FIXED_COST_TREES:
 * releases (default 6.1). A markdown table on stdout.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
/** the era every tree runs under (a tree's release picks its source, the built-ins under it are 6.1's) */
const ERA = '6.1';
const SEED = ['mmap-dirty-lost', 'writeback-stale-wake', 'truncate-vs-writeback'];
const PHASES = ['load', 'parse', 'models', 'machine', 'facts', 'search', 'json'] as const;
type Phases = Record<(typeof PHASES)[number], number>;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One run in this process, phase by phase, of the engine under `root`; printed as JSON on stdout. */
function child(root: string, race: string, tree: string): void {
  const t: Partial<Phases> = {};
  let mark = cpuMs();
  const lap = (k: keyof Phases): void => {
    const now = cpuMs();
    t[k] = now - mark;
    mark = now;
  };
  // node's own start before this line is in `load` too: the CLI pays it
  const boot = mark;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = <T>(p: string): T => require(path.join(root, 'server', 'out', p)) as T;
  const app = load<typeof import('racelens-server/out/app/index.js')>('app/index.js');
  const run = load<typeof import('racelens-server/out/scenario/run.js')>('scenario/run.js');
  const json = load<typeof import('racelens-server/out/scenario/to-result-json.js')>('scenario/to-result-json.js');
  const src = load<typeof import('racelens-server/out/catalog/source-models.js')>('catalog/source-models.js');
  const ws = load<typeof import('racelens-server/out/workspace/workspace.js')>('workspace/workspace.js');
  lap('load');
  t.load! += boot;
  const era = app.runEra(undefined, [tree]).era!;
  const scenario = app.resolveScenario(race, (key) => app.readScenarioFile(key, race), race);
  if ('problem' in scenario) throw new Error(scenario.problem);
  const planned = app.planRuns(scenario.race, { era })[0];
  lap('parse');
  const workspace = new ws.Workspace([tree]);
  const models = src.sourceModelSet(planned.era, [tree], {
    roots: run.scenarioRoots(scenario.race), race: scenario.race.name, checks: scenario.race.checks.map((c) => c.id),
    workspace, filesystems: [app.plannedFilesystem(scenario.race, planned)],
  });
  lap('models');
  const req = { race: scenario.race, file: scenario.origin.file, eraSpec: planned.era, fs: planned.fs, expected: planned.expected, models };
  const { machine } = run.scenarioMachine(req);
  lap('machine');
  // the whole-program fact a search asks for first (which took the known values with it, unless kept:
  // sim/kept-facts.ts); the machine runScenario builds shares them (same facts key)
  void machine.facts.mayRemove;
  lap('facts');
  const result = run.runScenario(req);
  lap('search');
  const out = JSON.stringify({ results: [json.toResultJson(result, app.runArgs({ scenario: race, sources: [tree] }, planned.era, race, ws.sourceKey), scenario.origin)] }, null, 1);
  lap('json');
  // the machine runScenario builds again is the one timed under `machine`: not counted twice
  t.search! -= t.machine!;
  process.stdout.write(JSON.stringify({ phases: t, states: result.states, verdict: result.verdict, bytes: out.length }) + '\n');
}

interface Row { phases: Phases; states: number; verdict: string }

function measure(root: string, race: string, tree: string): Row {
  const p = spawnSync(process.execPath, [__filename, '--child', root, race, tree], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (p.status !== 0) throw new Error(`${race}: ${p.stderr.slice(0, 400)}`);
  return JSON.parse(p.stdout) as Row;
}

/** The whole command's user+system CPU seconds, by /usr/bin/time. */
function command(root: string, race: string, tree: string): number {
  const bin = path.join(root, 'server', 'bin', 'racelens.js');
  const p = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, bin, 'run', race, '--era', ERA, '--src', tree, '--json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const m = /([\d.]+) ([\d.]+)\s*$/.exec(p.stderr);
  return m ? Number(m[1]) + Number(m[2]) : NaN;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { findKernelTree } = require('../kernel/tree.js') as typeof import('../kernel/tree.js');
  const repeat = Number(process.env.FIXED_COST_REPEAT || 3);
  const only = process.env.FIXED_COST_ONLY?.split(',') ?? SEED;
  const timed = fs.existsSync('/usr/bin/time');
  const engines = [...(process.env.RACELENS_BASELINE ? [path.resolve(process.env.RACELENS_BASELINE)] : []), ROOT];
  process.stdout.write(`| race | tree | engine | states | ${PHASES.join(' | ')} | sum |${timed ? ' command CPU |' : ''}\n|${'---|'.repeat(PHASES.length + (timed ? 6 : 5))}\n`);
  for (const release of (process.env.FIXED_COST_TREES ?? '6.1').split(',')) {
    const tree = findKernelTree(release);
    if (!tree) {
      process.stdout.write(`| (no ${release} tree) |\n`);
      continue;
    }
    for (const race of only) {
      // a first run of each engine warms its caches; then the engines alternate
      for (const root of engines) measure(root, race, tree);
      const rows = new Map(engines.map((root) => [root, [] as Row[]]));
      for (let i = 0; i < repeat; i++) for (const root of engines) rows.get(root)!.push(measure(root, race, tree));
      const cmd = new Map(engines.map((root) => [root, [] as number[]]));
      if (timed) for (let i = 0; i < repeat; i++) for (const root of engines) cmd.get(root)!.push(command(root, race, tree));
      for (const root of engines) {
        const rs = rows.get(root)!;
        const med = (k: keyof Phases): number => median(rs.map((r) => r.phases[k]));
        const sum = median(rs.map((r) => PHASES.reduce((a, k) => a + r.phases[k], 0)));
        const c = timed ? ` ${median(cmd.get(root)!).toFixed(2)} s |` : '';
        process.stdout.write(`| ${race} | ${release} | ${root === ROOT ? 'this' : path.basename(root)} | ${rs[0].states.toLocaleString('en-US')} | ${PHASES.map((k) => med(k).toFixed(0)).join(' | ')} | ${sum.toFixed(0)} |${c}\n`);
      }
    }
  }
  process.stdout.write(`\nms of user+system CPU per phase, medians of ${repeat} fresh processes on a warm lift cache; command CPU: /usr/bin/time, user+system, median of ${repeat}\n`);
}

if (process.argv[2] === '--child') child(process.argv[3], process.argv[4], process.argv[5]);
else main();
