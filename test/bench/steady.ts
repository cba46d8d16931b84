/**
 * Searches of one row in one process, for a warm engine's cost per search: the speed bench's
 * figure without a second engine beside it, and the loop to profile
 * (`node --cpu-prof test/out/bench/steady.js . writeback-stale-wake 6.1 40`).
 *
 *   node test/out/bench/steady.js ROOT RACE ERA[:FS] [N] [tree]
 *
 * ROOT is a checkout with `tsc -b` run in it (`.`, or a worktree of an earlier commit);
 * "tree" lifts the models from the whole 6.1 tree of `npm run kernel`. Prints the counts and
 * the median CPU of the last half of N searches (default 40): the first ones time V8's
 * compiler (speed.ts, the warm-up).
 */
import * as path from 'node:path';
import { kernelTree } from './source.js';
import { loadEngine } from './speed.js';

function main(argv: string[]): void {
  const [root, race, era, n, tree] = argv;
  if (!root || !race || !era) throw new Error('usage: steady.js ROOT RACE ERA[:FS] [N] [tree]');
  const engine = loadEngine(path.resolve(root), 'steady');
  const scenario = engine.builtinScenarios().find((s) => s.name === race);
  if (!scenario) throw new Error(`no built-in scenario ${race}`);
  const parsed = engine.parse(scenario.text, scenario.file);
  const [eraSpec, fs] = era.split(':');
  const models = tree === 'tree' ? engine.sourceModels(eraSpec, [kernelTree()], { roots: engine.roots(parsed), filesystems: [parsed.setup.fs?.name ?? 'nobh'] }) : undefined;
  const request = { race: parsed, file: scenario.file, eraSpec, ...(fs ? { fs } : {}), ...(models ? { models } : {}) };
  const count = Number(n || 40);
  const cpu: number[] = [];
  let last: { verdict: string; executions: number; states: number } | undefined;
  for (let i = 0; i < count; i++) {
    const machine = engine.machine(request);
    const before = process.cpuUsage();
    last = engine.explore(machine, { reduction: 'full', stopAtFirstViolation: false, shortest: false, timeLimitMs: 120_000, maxStates: 2_000_000 });
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  const warm = cpu.slice(Math.floor(count / 2)).sort((a, b) => a - b);
  const ms = warm[Math.floor(warm.length / 2)];
  const r = last!;
  process.stdout.write(`${race} ${era}${models ? ' (whole tree)' : ''}: ${r.verdict}, ${r.executions} executions, ${r.states} states; `
    + `median ${ms.toFixed(2)} ms of CPU per search, ${Math.round(r.states / ms * 1000)} states/s\n`);
}

main(process.argv.slice(2));
