/**
 * The block layer as a stated boundary, on a whole 6.1 tree (one with block/, as a
 * kernel developer's workspace is): the seed races no longer stop at blk_start_plug
 * (`NULL pointer dereference: ->plug`, since nothing models `current`); the plug is
 * not lifted, and its definition is said with the reason. A file of its own so that
 * the whole tree's index is the only one in the process. Temporary lift cache; skipped
 * when no whole tree is there: the one `npm run kernel` extracts (when it holds
 * block/), or Debian's linux-source-6.1 extracted by hand.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/run.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { noopReason } from 'racelens-server/out/catalog/noops.js';
import { builtinRace } from '../engine/fixtures.js';
import { kernelTreeCandidates } from './tree.js';

const CANDIDATES = [...kernelTreeCandidates(), '/work/trees/full61', '/usr/src/linux-source-6.1'];
const WHOLE = CANDIDATES.find((d) => fs.existsSync(path.join(d, 'block', 'blk-core.c')) && fs.existsSync(path.join(d, 'mm', 'filemap.c')));
const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-'));
const why = `skipped: no whole 6.1 tree with block/ (looked in ${[...new Set(CANDIDATES)].join(', ')}; npm run kernel)`;
if (!WHOLE) it('the block layer as a stated boundary, on a whole 6.1 tree', { skip: why }, () => {});

function run(scenario: string): RunResult {
  const { race, file } = builtinRace(scenario);
  const models = sourceModelSet('6.1', [WHOLE!], { roots: scenarioRoots(race), filesystems: [race.setup.fs?.name ?? 'nobh'], cache: CACHE });
  return runScenario({ race, file, eraSpec: '6.1', models });
}

/** The 1-based line of the first match in a file of the tree. */
function lineOf(file: string, re: RegExp): number {
  const text = fs.readFileSync(path.join(WHOLE!, file), 'utf8');
  const m = re.exec(text);
  assert.ok(m, `${re} in ${file}`);
  return text.slice(0, m!.index).split('\n').length;
}

describe('the block layer as a stated boundary, on a whole 6.1 tree', { skip: WHOLE ? false : why }, () => {
  afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  for (const scenario of ['truncate-vs-writeback', 'mmap-dirty-lost', 'writeback-stale-wake']) {
    it(`${scenario} holds on the whole tree: blk_start_plug/blk_finish_plug are not lifted, and said so`, () => {
      const r = run(scenario);
      assert.equal(r.verdict, 'holds', r.message);
      assert.deepEqual(r.models.filter((m) => /(^|\/)block\//.test(m.file ?? '')).map((m) => m.function), [], 'nothing of block/ runs');
      for (const fn of ['blk_start_plug', 'blk_finish_plug']) {
        const a = r.assumptions.find((x) => x.kind === 'builtin-over-source' && x.function === fn);
        assert.ok(a, `${fn} is noted`);
        assert.ok(a!.at!.file.endsWith('block/blk-core.c'), a!.at!.file);
        assert.equal(a!.at!.line, lineOf('block/blk-core.c', new RegExp(`^void ${fn}\\(`, 'm')));
        assert.ok(a!.message.includes(noopReason(fn)!));
      }
    });
  }
});
