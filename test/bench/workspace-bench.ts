/**
 * `npm run bench:workspace`: the time to build a run's model set from the real 6.1 tree
 * (`--src $K/mm --src $K/fs/buffer.c`), for each seed race: cold (empty lift cache, fresh
 * workspace), warm (the lift cache filled, fresh workspace: a new CLI process) and again
 * in the same long-lived workspace (the language server's second run). Figures only: the
 * README and the report carry them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import type { SourceStats } from 'racelens-server/out/catalog/source-files.js';
import { scenarioRoots, builtinScenarios, parseScenarioText } from 'racelens-server/out/scenario/index.js';
import { Workspace } from 'racelens-server/out/workspace/workspace.js';
import { kernelTree, SOURCE_RACES } from './source.js';

function main(): void {
  const tree = kernelTree();
  if (!fs.existsSync(path.join(tree, 'mm'))) {
    process.stdout.write(`no kernel tree at ${tree}: run npm run kernel\n`);
    return;
  }
  const sources = [path.join(tree, 'mm'), path.join(tree, 'fs', 'buffer.c')];
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-bench-cache-'));
  try {
    const rows: string[] = ['scenario                 cold ms  warm ms  same-workspace ms (median of 5)  (lifted cold / from memory)'];
    for (const name of SOURCE_RACES) {
      const s = builtinScenarios().find((x) => x.name === name)!;
      const roots = scenarioRoots(parseScenarioText(s.text, s.file).race!);
      const time = (ws: Workspace): { ms: number; stats: SourceStats } => {
        const stats = {} as SourceStats;
        const t = performance.now();
        sourceModelSet('6.1', sources, { roots, cache, stats, workspace: ws });
        return { ms: performance.now() - t, stats };
      };
      fs.rmSync(cache, { recursive: true, force: true });
      const cold = time(new Workspace(sources));
      const warm = time(new Workspace(sources));
      const ws = new Workspace(sources);
      time(ws);
      // the median of five: a collection of the first runs' garbage lands in one of them
      const repeats = [0, 1, 2, 3, 4].map(() => time(ws)).sort((a, b) => a.ms - b.ms);
      const again = repeats[2]!;
      rows.push(`${name.padEnd(24)} ${cold.ms.toFixed(0).padStart(7)}  ${warm.ms.toFixed(0).padStart(7)}  ${again.ms.toFixed(1).padStart(32)}  (${cold.stats.functionsLifted} / ${again.stats.functionsFromMemory})`);
    }
    process.stdout.write(rows.join('\n') + '\n');
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

main();
