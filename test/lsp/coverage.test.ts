/**
 * "Did my code run?" from a plain LSP client: after a run the server sends
 * racelens/runCoverage with the lines of the source functions some interleaving
 * executed. On a fixture tree holding the 6.1-shaped folio_clear_dirty_for_io, the
 * run of mmap-dirty-lost lists the lines of its mapping branch and not the fallback
 * `return folio_test_clear_dirty(folio);` that only a folio without a mapping takes.
 * The document is open with an unsaved edit: the lines are those of the text on screen.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempWorkspace, type TempWorkspace } from './fixtures.js';
import { LspSession } from './session.js';
import type { RunCoverageParams } from 'racelens-server/out/lsp/protocol.js';

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'kernel', 'folio-cpdfio-fixed', 'page-writeback.c');

let ws: TempWorkspace;
let cache: TempWorkspace;
let lsp: LspSession;

before(async () => {
  ws = tempWorkspace();
  cache = tempWorkspace('racelens-coverage-cache-');
  ws.write('mm/page-writeback.c', fs.readFileSync(FIXTURE, 'utf8'));
  lsp = new LspSession({ defaultEra: '6.1' }, { RACELENS_LIFT_CACHE: cache.dir });
  await lsp.initialize(ws.uri);
});

after(async () => {
  assert.equal(await lsp.shutdown(), 0);
  ws.remove();
  cache.remove();
});

async function coverageAfter(n: number): Promise<RunCoverageParams> {
  const end = Date.now() + 120_000;
  for (;;) {
    const all = lsp.notifications.filter((x) => x.method === 'racelens/runCoverage');
    if (all.length >= n) return all[n - 1]!.params as RunCoverageParams;
    if (Date.now() > end) throw new Error('no racelens/runCoverage notification');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('racelens/runCoverage lists the executed lines of folio_clear_dirty_for_io, not the branch no interleaving takes', async () => {
  const uri = ws.fileUri('mm/page-writeback.c');
  // an unsaved edit moves the body two lines down: the coverage follows the text on screen
  const text = `/* edited */\n/* in the editor */\n${fs.readFileSync(FIXTURE, 'utf8')}`;
  await lsp.open(uri, 'c', text);
  const lines = text.split('\n');
  const at = (needle: string): number => lines.findIndex((l) => l.includes(needle));
  const r = await lsp.execute<{ verdict: string }>('racelens.runRace', [{ scenario: 'mmap-dirty-lost', uri, function: 'folio_clear_dirty_for_io' }]);
  assert.equal(r.verdict, 'holds');
  const cov = await coverageAfter(1);
  assert.equal(cov.scenario, 'mmap-dirty-lost');
  assert.equal(cov.era, '6.1');
  assert.ok(cov.files.every((f) => !f.uri.startsWith('racelens-builtin:')), 'built-in models are left out');
  const file = cov.files.find((f) => f.uri === uri);
  assert.ok(file, JSON.stringify(cov.files.map((f) => f.uri)));
  const fn = file.functions.find((f) => f.name === 'folio_clear_dirty_for_io');
  assert.ok(fn);
  assert.equal(fn.line, at('bool folio_clear_dirty_for_io('));
  for (const needle of ['folio_mapping(folio)', 'if (folio_mkclean(folio))', 'folio_mark_dirty(folio);', 'if (folio_test_clear_dirty(folio)) {', 'ret = true;', 'return ret;']) {
    assert.ok(fn.executed.includes(at(needle)), `${needle} (line ${at(needle)}) executed: ${JSON.stringify(fn.executed)}`);
  }
  const fallback = at('return folio_test_clear_dirty(folio);');
  assert.ok(!fn.executed.includes(fallback), 'the no-mapping branch runs in no interleaving');
  assert.deepEqual(fn.missed, [fallback]);
});
