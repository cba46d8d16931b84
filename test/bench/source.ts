/**
 * Bench section "source vs built-in": the wall time of the whole command
 * `node server/bin/racelens.js run SCENARIO --era 6.1 --json`, with the built-in models
 * and with `--src $K/mm --src $K/fs/buffer.c` (the real 6.1 tree of `npm run kernel`),
 * the latter cold (an empty lift cache) and warm (the cache a previous run wrote). Each
 * figure is the minimum of BENCH_SRC_REPEAT runs (default 3), one process at a time.
 * The acceptance line: a run from source within twice the built-in run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SOURCE_RACES = ['mmap-dirty-lost', 'writeback-stale-wake', 'truncate-vs-writeback'];
const ERA = '6.1';
const RATIO = 2;

export function kernelTree(): string {
  return process.env.RACELENS_KERNEL_CACHE
    ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'racelens', 'linux-6.1');
}

interface Timed { wallMs: number; verdict: string; executions: number; states: number; fromSource: number }

export interface SourceRow {
  scenario: string;
  builtin: Timed;
  cold: Timed;
  warm: Timed;
}

function once(root: string, args: string[], env: NodeJS.ProcessEnv): Timed {
  const bin = path.join(root, 'server', 'bin', 'racelens.js');
  const t = process.hrtime.bigint();
  const p = spawnSync(process.execPath, [bin, 'run', ...args, '--json'], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
  try {
    const r = JSON.parse(p.stdout).results[0];
    return { wallMs, verdict: r.verdict, executions: r.executions, states: r.states, fromSource: r.models.filter((m: { from: string }) => m.from === 'source').length };
  } catch {
    return { wallMs, verdict: `error (exit ${p.status}): ${p.stderr.slice(0, 200)}`, executions: 0, states: 0, fromSource: 0 };
  }
}

function best(runs: Timed[]): Timed {
  return runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
}

export function sourceBench(root: string, repeat: number, log: (s: string) => void): SourceRow[] | string {
  const tree = kernelTree();
  if (!fs.existsSync(path.join(tree, '.complete'))) return `skipped: no kernel tree at ${tree} (run: npm run kernel)`;
  const src = ['--src', path.join(tree, 'mm'), '--src', path.join(tree, 'fs', 'buffer.c')];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-bench-lift-'));
  const rows: SourceRow[] = [];
  try {
    for (const scenario of SOURCE_RACES) {
      const args = [scenario, '--era', ERA];
      const builtin: Timed[] = [];
      const cold: Timed[] = [];
      const warm: Timed[] = [];
      const warmDir = path.join(scratch, `${scenario}-warm`);
      // fills the warm cache
      once(root, [...args, ...src], { ...process.env, RACELENS_LIFT_CACHE: warmDir });
      for (let i = 0; i < repeat; i++) {
        builtin.push(once(root, args, process.env));
        const coldDir = path.join(scratch, `${scenario}-cold-${i}`);
        cold.push(once(root, [...args, ...src], { ...process.env, RACELENS_LIFT_CACHE: coldDir }));
        fs.rmSync(coldDir, { recursive: true, force: true });
        warm.push(once(root, [...args, ...src], { ...process.env, RACELENS_LIFT_CACHE: warmDir }));
      }
      const row = { scenario, builtin: best(builtin), cold: best(cold), warm: best(warm) };
      log(`source vs built-in: ${scenario}: built-in ${ms(row.builtin)}, cold ${ms(row.cold)}, warm ${ms(row.warm)}`);
      rows.push(row);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

function ms(t: Timed): string {
  return `${Math.round(t.wallMs).toLocaleString('en-US')} ms`;
}

function ratio(a: Timed, b: Timed): string {
  return `${(a.wallMs / b.wallMs).toFixed(2)}×`;
}

export function sourceTable(rows: SourceRow[]): string {
  const head = ['scenario', 'built-in', 'exec', 'states', 'source cold', 'source warm', 'exec', 'states', 'from source', 'cold ÷ built-in', 'warm ÷ built-in'];
  const lines = rows.map((r) => [
    r.scenario, `${r.builtin.verdict}, ${ms(r.builtin)}`, String(r.builtin.executions), String(r.builtin.states),
    `${r.cold.verdict}, ${ms(r.cold)}`, `${r.warm.verdict}, ${ms(r.warm)}`, String(r.warm.executions), String(r.warm.states),
    String(r.warm.fromSource), ratio(r.cold, r.builtin), ratio(r.warm, r.builtin),
  ]);
  const right = new Set([2, 3, 6, 7, 8, 9, 10]);
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (right.has(i) ? '---:' : ':---')).join('|')}|`,
    ...lines.map((l) => `| ${l.join(' | ')} |`),
  ].join('\n');
}

export function sourceTarget(rows: SourceRow[]): string {
  const cold = rows.every((r) => r.cold.wallMs <= RATIO * r.builtin.wallMs);
  const warm = rows.every((r) => r.warm.wallMs <= RATIO * r.builtin.wallMs);
  const worst = (k: 'cold' | 'warm') => rows.reduce((a, b) => (b[k].wallMs / b.builtin.wallMs > a[k].wallMs / a.builtin.wallMs ? b : a));
  return `target: the whole scenario run from source within ${RATIO}× the built-in run: cold ${cold ? 'MET' : 'NOT MET'} (worst ${worst('cold').scenario} ${ratio(worst('cold').cold, worst('cold').builtin)}), `
    + `warm ${warm ? 'MET' : 'NOT MET'} (worst ${worst('warm').scenario} ${ratio(worst('warm').warm, worst('warm').builtin)})`;
}
