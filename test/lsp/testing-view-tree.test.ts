/**
 * The Testing view on the real 6.1 tree, as the extension runs it: every expect line of
 * every built-in race (racelens/listRaces), each run with `racelens.runRace` and no
 * document, read with the Test Explorer's own functions (client/src/test-verdict.ts).
 * Lines of 6.1 and its overlays run on the tree; other releases on their built-in models,
 * said in `sourceNote`. No red result without a one-line reason. Skipped when the tree
 * is not extracted.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { realTree, tempWorkspace, type TempWorkspace } from './fixtures.js';
import { LspSession } from './session.js';
import { failureLines, runPassed, whyLine } from 'racelens-client/out/test-verdict.js';
import type { ListRacesResult, RunResultJson } from 'racelens-server/out/lsp/protocol.js';
import { builtinScenarios } from 'racelens-server/out/scenario/library.js';

const tree = realTree();
const skip = tree ? undefined : 'the Debian 6.1 tree is not extracted (npm run kernel puts it in ~/.cache/racelens/linux-6.1)';

let lsp: LspSession;
let cache: TempWorkspace;

before(async () => {
  if (!tree) return;
  cache = tempWorkspace('racelens-lsp-cache-');
  // no era setting: the tree's own release, as a developer opening the tree gets it
  lsp = new LspSession({}, { RACELENS_LIFT_CACHE: cache.dir });
  await lsp.initialize(pathToFileURL(tree).href);
});

after(async () => {
  if (!tree) return;
  assert.equal(await lsp.shutdown(), 0);
  cache.remove();
});

test('real tree: the Testing view runs every expect line of every built-in race; every red result says why in one line', { skip, timeout: 20 * 60_000 }, async (t) => {
  const list = await lsp.request<ListRacesResult>('racelens/listRaces', {});
  const builtins = list.races.filter((r) => !r.uri.startsWith('file:'));
  assert.deepEqual(builtins.map((r) => r.name).sort(), builtinScenarios().map((s) => s.name).sort());
  const red: string[] = [];
  let green = 0;
  for (const race of builtins) {
    for (const run of race.runs) {
      const r = await lsp.execute<RunResultJson>('racelens.runRace', [{ scenario: race.name, era: run.era, ...(run.fs ? { fs: run.fs } : {}) }]);
      const onTree = r.args.sources.length > 0;
      // a line of the tree's release (6.1, an overlay of it) runs on the tree; any other on its built-in models, said so
      assert.equal(onTree, run.era.split('+')[0] === '6.1', `${race.name} ${run.era}: sources ${JSON.stringify(r.args.sources)}`);
      if (!onTree) assert.match(r.sourceNote ?? '', new RegExp(`^ran on the built-in models of era ${run.era.replace(/[.+]/g, '\\$&')}: the workspace is the Linux 6\\.1 tree`));
      if (runPassed(r)) {
        green++;
        continue;
      }
      const why = whyLine(r);
      const lines = failureLines(r);
      // the reason is the message's third line, one line, and says more than "failed"
      assert.equal(lines[2], why);
      assert.match(why, /^why: \S.{20,}$/, `${race.name} ${run.era}`);
      assert.ok(!why.includes('\n'));
      red.push(`${race.name} ${run.era}${run.fs ? ` ${run.fs}` : ''}: ${r.verdict}${r.invariant ? ` ${r.invariant}` : ''} — ${why}`);
    }
  }
  t.diagnostic(`${green} green, ${red.length} red`);
  for (const line of red) t.diagnostic(line);
});
