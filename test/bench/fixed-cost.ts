/**
 * `node test/out/bench/fixed-cost.js`: where the CPU time of one CLI run over a whole
 * tree goes (issue 16's Cost line). For each seed race on each tree present, a fresh
 * process (as the CLI is) takes the CLI's steps one by one with their user+system CPU:
 * loading the code, the scenario's parse and check, the model set from source, the
 * machine, the whole-program facts (the known values, what may remove a page), the
 * search, the JSON result; then the whole command
 * `node server/bin/racelens.js run RACE --era R --src TREE --json` under /usr/bin/time
 * (user+system). Every figure on a warm lift cache: each process runs once before it
 * is measured; FIXED_COST_REPEAT runs (default 3) after that, medians.
 * FIXED_COST_ONLY: races (comma-separated); FIXED_COST_TREES: releases (default 6.1).
 * A markdown table on stdout.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'server', 'bin', 'racelens.js');
const SEED = ['mmap-dirty-lost', 'writeback-stale-wake', 'truncate-vs-writeback'];
const PHASES = ['load', 'parse', 'models', 'machine', 'facts', 'search', 'json'] as const;
type Phases = Record<(typeof PHASES)[number], number>;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One run in this process, phase by phase; printed as JSON on stdout. */
function child(race: string, tree: string): void {
  const t: Partial<Phases> = {};
  let mark = cpuMs();
  const lap = (k: keyof Phases): void => {
    const now = cpuMs();
    t[k] = now - mark;
    mark = now;
  };
  // node's own start before this line is in `load` too: the CLI pays it
  const boot = mark;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const app = require('racelens-server/out/app/index.js') as typeof import('racelens-server/out/app/index.js');
  const run = require('racelens-server/out/scenario/run.js') as typeof import('racelens-server/out/scenario/run.js');
  const json = require('racelens-server/out/scenario/to-result-json.js') as typeof import('racelens-server/out/scenario/to-result-json.js');
  const src = require('racelens-server/out/catalog/source-models.js') as typeof import('racelens-server/out/catalog/source-models.js');
  const ws = require('racelens-server/out/workspace/workspace.js') as typeof import('racelens-server/out/workspace/workspace.js');
  /* eslint-enable @typescript-eslint/no-require-imports */
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
  // the whole-program facts a search asks for first; the machine runScenario builds shares them (same facts key)
  void machine.facts.mayRemove;
  void machine.facts.known;
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

function measure(race: string, tree: string): Row {
  const p = spawnSync(process.execPath, [__filename, '--child', race, tree], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (p.status !== 0) throw new Error(`${race}: ${p.stderr.slice(0, 400)}`);
  return JSON.parse(p.stdout) as Row;
}

/** The whole command's user+system CPU seconds, by /usr/bin/time. */
function command(race: string, release: string, tree: string): number {
  const p = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, BIN, 'run', race, '--era', release, '--src', tree, '--json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
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
  process.stdout.write(`| race | tree | states | ${PHASES.join(' | ')} | sum | ${timed ? 'command CPU |' : ''}\n|${'---|'.repeat(PHASES.length + (timed ? 5 : 4))}\n`);
  for (const release of (process.env.FIXED_COST_TREES ?? '6.1').split(',')) {
    const tree = findKernelTree(release);
    if (!tree) {
      process.stdout.write(`| (no ${release} tree) |\n`);
      continue;
    }
    for (const race of only) {
      measure(race, tree);
      const rows = Array.from({ length: repeat }, () => measure(race, tree));
      const med = (k: keyof Phases): number => median(rows.map((r) => r.phases[k]));
      const sum = median(rows.map((r) => PHASES.reduce((a, k) => a + r.phases[k], 0)));
      const cells = PHASES.map((k) => med(k).toFixed(0));
      let cmd = '';
      if (timed) {
        command(race, release, tree);
        cmd = ` ${median(Array.from({ length: repeat }, () => command(race, release, tree))).toFixed(2)} s |`;
      }
      process.stdout.write(`| ${race} | ${release} | ${rows[0].states.toLocaleString('en-US')} | ${cells.join(' | ')} | ${sum.toFixed(0)} |${cmd}\n`);
    }
  }
  process.stdout.write(`\nms of user+system CPU per phase, medians of ${repeat} fresh processes on a warm lift cache; command CPU: /usr/bin/time, user+system\n`);
}

if (process.argv[2] === '--child') child(process.argv[3], process.argv[4]);
else main();
