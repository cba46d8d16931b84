/**
 * `npm run bench:runs`: request-to-verdict latency of the run service (a warm child
 * process) for each seed race, first and second run, with the built-in models and with
 * the real 6.1 tree as source (`$K/mm` + `$K/fs/buffer.c`, `$K/mm` + `$K/fs`, the whole tree), over a
 * temporary lift cache that starts empty. Figures only: the report carries them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunService } from 'racelens-server/out/runs/run-service.js';
import { Workspace } from 'racelens-server/out/workspace/workspace.js';
import { kernelTree } from './source.js';

const RACES: [string, string][] = [
  ['mmap-dirty-lost', '6.1'], ['writeback-stale-wake', '6.1'], ['truncate-vs-writeback', '6.1'],
  ['mmap-dirty-lost', '2.6.19'], ['writeback-stale-wake', '5.10'],
];

async function main(): Promise<void> {
  const tree = kernelTree();
  const haveTree = fs.existsSync(path.join(tree, 'mm'));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-bench-runs-'));
  process.env.RACELENS_LIFT_CACHE = cache;
  const setups: [string, string[]][] = [['built-in', []]];
  if (haveTree) {
    setups.push(['mm+buffer.c', [path.join(tree, 'mm'), path.join(tree, 'fs', 'buffer.c')]]);
    setups.push(['mm+fs', [path.join(tree, 'mm'), path.join(tree, 'fs')]]);
    // the whole tree: its Makefiles and Debian's .config decide what is compiled
    setups.push(['whole tree', [tree]]);
  }
  const rows = ['sources       scenario               era      verdict    first ms  second ms'];
  try {
    for (const [label, sources] of setups) {
      const ws = new Workspace(sources);
      const service = new RunService({ workspace: ws });
      // the tree is 6.1: its source runs under 6.1 only
      for (const [scenario, era] of RACES.filter(([, e]) => sources.length === 0 || e === '6.1')) {
        const times: number[] = [];
        let verdict = '';
        for (let i = 0; i < 2; i++) {
          const t = performance.now();
          const r = await service.run({ scenario, era, sources });
          times.push(performance.now() - t);
          verdict = r.verdict + (r.verdict === 'error' ? `: ${r.message}` : '');
        }
        rows.push(`${label.padEnd(13)} ${scenario.padEnd(22)} ${era.padEnd(8)} ${verdict.padEnd(10)} ${times[0]!.toFixed(0).padStart(8)}  ${times[1]!.toFixed(0).padStart(9)}`);
      }
      service.dispose();
    }
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
  process.stdout.write(rows.join('\n') + '\n');
}

void main();
