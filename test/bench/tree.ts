/**
 * `npm run bench:tree`: the real 6.1 tree given whole (`--src $K`) against the curated
 * subset (`--src $K/mm --src $K/fs/buffer.c`), per 6.1 seed race: the wall time of the
 * whole command `node server/bin/racelens.js run SCENARIO --era 6.1 --json` on a warm
 * lift cache (minimum and median of BENCH_TREE_REPEAT runs, default 3) and on a cold
 * one, its peak RSS (through `/usr/bin/time -f %M` when installed), the verdict and
 * states, how many functions a run with no cache lifts and how many files it parses,
 * models[] and assumptions. A markdown table on stdout. The target of issue 7: warm,
 * a whole-tree run within 1.5x a subset run. Then the same two modes in one long-lived
 * process, as the language server's run process runs them. Skipped when the tree is absent.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import type { SourceStats } from 'racelens-server/out/catalog/source-files.js';
import { runScenario, scenarioRoots, builtinScenarios, parseScenarioText } from 'racelens-server/out/scenario/index.js';
import { Workspace } from 'racelens-server/out/workspace/workspace.js';
import { kernelTree, SOURCE_RACES } from './source.js';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'server', 'bin', 'racelens.js');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const RATIO = 1.5;

interface Run { wallMs: number; rssKb?: number; verdict: string; states: number; models: number; assumptions: number }

function once(args: string[], cacheDir: string): Run {
  const cmd = TIME ? TIME : process.execPath;
  const argv = TIME ? ['-f', '%M', process.execPath, BIN, 'run', ...args, '--json'] : [BIN, 'run', ...args, '--json'];
  const t = process.hrtime.bigint();
  const p = spawnSync(cmd, argv, { env: { ...process.env, RACELENS_LIFT_CACHE: cacheDir }, encoding: 'utf8', maxBuffer: 256 << 20 });
  const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
  const rss = TIME ? Number(/(\d+)\s*$/.exec(p.stderr)?.[1]) : undefined;
  try {
    const r = JSON.parse(p.stdout).results[0];
    return { wallMs, ...(rss ? { rssKb: rss } : {}), verdict: r.verdict, states: r.states, models: r.models.length, assumptions: r.assumptions.length };
  } catch {
    return { wallMs, verdict: `error (exit ${p.status}): ${p.stderr.slice(0, 160)}`, states: 0, models: 0, assumptions: 0 };
  }
}

function lifted(scenario: string, inputs: string[]): SourceStats {
  const src = builtinScenarios().find((s) => s.name === scenario)!;
  const race = parseScenarioText(src.text, src.file).race!;
  const stats = {} as SourceStats;
  sourceModelSet('6.1', inputs, { roots: scenarioRoots(race), filesystems: [race.setup.fs?.name ?? 'nobh'], cache: false, stats });
  return stats;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function main(): void {
  const tree = kernelTree();
  if (!fs.existsSync(path.join(tree, 'mm', 'page-writeback.c'))) {
    console.log(`bench:tree skipped: no kernel tree at ${tree} (run: npm run kernel)`);
    return;
  }
  const repeat = Number(process.env.BENCH_TREE_REPEAT ?? 3);
  const modes: [string, string[]][] = [['subset', [path.join(tree, 'mm'), path.join(tree, 'fs', 'buffer.c')]], ['whole', [tree]]];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-bench-tree-'));
  const rows: string[][] = [];
  const warmMedian = new Map<string, number>();
  try {
    for (const scenario of SOURCE_RACES) {
      for (const [mode, inputs] of modes) {
        const args = [scenario, '--era', '6.1', ...inputs.flatMap((i) => ['--src', i])];
        const cold = once(args, path.join(scratch, `${scenario}-${mode}-cold`));
        const warmDir = path.join(scratch, `${scenario}-${mode}-warm`);
        once(args, warmDir);
        const warm = Array.from({ length: repeat }, () => once(args, warmDir));
        const stats = lifted(scenario, inputs);
        const w = warm.map((r) => r.wallMs);
        warmMedian.set(`${scenario} ${mode}`, median(w));
        const r = warm[0];
        rows.push([
          scenario, mode, r.verdict, String(r.states), `${sec(Math.min(...w))} / ${sec(median(w))}`, sec(cold.wallMs),
          r.rssKb ? `${Math.round(r.rssKb / 1024)} MB` : 'n/a', cold.rssKb ? `${Math.round(cold.rssKb / 1024)} MB` : 'n/a',
          `${stats.functionsLifted} / ${stats.filesParsed}`, String(stats.files), String(r.models), String(r.assumptions),
        ]);
        console.error(`bench:tree ${scenario} ${mode}: ${rows[rows.length - 1].join(', ')}`);
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const head = ['scenario', 'mode', 'verdict', 'states', 'warm min / median', 'cold', 'peak RSS warm', 'peak RSS cold', 'lifted / parsed (no cache)', 'files', 'models[]', 'assumptions'];
  console.log([`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n'));
  const ratios = SOURCE_RACES.map((s) => [s, warmMedian.get(`${s} whole`)! / warmMedian.get(`${s} subset`)!] as const);
  const met = ratios.every(([, x]) => x <= RATIO);
  console.log(`\ntarget: warm, a whole-tree run within ${RATIO}x a subset run (medians): ${met ? 'MET' : 'NOT MET'} (${ratios.map(([s, x]) => `${s} ${x.toFixed(2)}x`).join(', ')})`);
  inProcess(modes);
}

/**
 * The same comparison in a long-lived process, as the language server's run process
 * has it: model set and run repeated over one Workspace per mode (listing and lifts
 * remembered), BENCH_TREE_IN_PROCESS runs (default 9) after a first, min / median.
 */
function inProcess(modes: [string, string[]][]): void {
  const repeat = Number(process.env.BENCH_TREE_IN_PROCESS ?? 9);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-bench-tree-ip-'));
  const medians = new Map<string, number>();
  const lines: string[] = [];
  try {
    for (const [mode, inputs] of modes) {
      const workspace = new Workspace(inputs);
      for (const scenario of SOURCE_RACES) {
        const src = builtinScenarios().find((s) => s.name === scenario)!;
        const race = parseScenarioText(src.text, src.file).race!;
        const times: number[] = [];
        let states = 0;
        for (let i = 0; i <= repeat; i++) {
          const t = performance.now();
          const models = sourceModelSet('6.1', inputs, { roots: scenarioRoots(race), filesystems: [race.setup.fs?.name ?? 'nobh'], cache, workspace });
          states = runScenario({ race, file: src.file, eraSpec: '6.1', models }).states;
          if (i > 0) times.push(performance.now() - t);
        }
        medians.set(`${scenario} ${mode}`, median(times));
        lines.push(`| ${scenario} | ${mode} | ${states} | ${Math.min(...times).toFixed(0)} / ${median(times).toFixed(0)} ms |`);
      }
    }
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
  console.log(`\nin one process (model set + run over one Workspace, ${repeat} runs after a first, min / median):\n`);
  console.log(['| scenario | mode | states | min / median |', '|---|---|---|---|', ...lines].join('\n'));
  console.log(`\nwhole / subset in one process (medians): ${SOURCE_RACES.map((s) => `${s} ${(medians.get(`${s} whole`)! / medians.get(`${s} subset`)!).toFixed(2)}x`).join(', ')}`);
}

main();
