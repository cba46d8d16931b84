/**
 * RACELENS_LSP_TRACE: the server's timing trace, one JSON line per event with wall-clock
 * times (lsp/trace.ts). What the benchmark and the real-editor test read from it: each
 * didOpen, didChange (with its version), hover and codeLens, with when it began and how
 * long it took.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CPDFIO_2620, tempWorkspace } from './fixtures.js';
import { LspSession, positionOf } from './session.js';

test('RACELENS_LSP_TRACE: didOpen, didChange, hover and codeLens each traced with their start and duration', async () => {
  const ws = tempWorkspace();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-trace-')), 'trace.jsonl');
  const lsp = new LspSession({}, { RACELENS_LSP_TRACE: file });
  try {
    const uri = ws.fileUri('mm/page-writeback.c');
    ws.write('mm/page-writeback.c', CPDFIO_2620);
    await lsp.initialize(ws.uri);
    const before = Date.now();
    await lsp.open(uri, 'c', CPDFIO_2620);
    const hover = await lsp.hover(uri, positionOf(CPDFIO_2620, 'page_mkclean(page)'));
    assert.ok(hover, 'a hover on page_mkclean');
    await lsp.change(uri, 2, [{ text: CPDFIO_2620 + '\n' }]);
    await lsp.codeLens(uri);
    const events = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: number; at?: number; name: string; ms?: number; version?: number });
    const named = (n: string) => events.filter((e) => e.name === n);
    for (const n of ['didOpen', 'hover', 'didChange', 'codeLens']) {
      const [e] = named(n);
      assert.ok(e, `a ${n} event in ${events.map((x) => x.name).join(', ')}`);
      assert.ok(e.at! >= before - 5 && e.at! <= Date.now(), `${n} at a wall-clock time`);
      assert.ok(typeof e.ms === 'number' && e.ms >= 0, `${n} with its duration`);
    }
    assert.equal(named('didChange')[0]!.version, 2);
    assert.equal(named('codeLens')[0]!.version, 2);
  } finally {
    await lsp.shutdown();
    ws.remove();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});
