/**
 * The pacing of an edit's work (lsp/edit-pacing.ts): the staleness of a burst of
 * didChange notifications is worked out once, at the latest when a request needs it;
 * the re-index of an edited file waits for a pause in typing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditPacing } from 'racelens-server/out/lsp/edit-pacing.js';
import { OpenDocuments } from 'racelens-server/out/lsp/documents.js';

test('six didChange notifications of one edit: staleness worked out once, at once when a lens asks; the re-index once after typing pauses', async () => {
  const docs = new OpenDocuments();
  const d = docs.open('file:///tmp/x.c', 'c', 1, 'void f(void)\n{\n}\n');
  const stale: number[] = [];
  const reindexed: { path: string; at: number }[] = [];
  const pacing = new EditPacing({ stale: (doc) => stale.push(doc.doc.version), reindex: (p) => reindexed.push({ path: p, at: Date.now() }) });
  let lastKeystroke = 0;
  try {
    for (let v = 2; v <= 7; v++) {
      docs.change(d.uri, v, [{ text: `void f(void)\n{\n\t${'x'.repeat(v)};\n}\n` }]);
      pacing.edited(d);
      pacing.reindexLater('/tmp/x.c');
      lastKeystroke = Date.now();
    }
    assert.deepEqual(stale, [], 'nothing before the burst ends or a request asks');
    // a lens request right after the burst: worked out now, on the last text
    pacing.flush();
    assert.deepEqual(stale, [7]);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(stale, [7], 'not again when the burst timer would have fired');
    // an edit with no request after it: worked out when the burst is over
    docs.change(d.uri, 8, [{ text: 'void f(void)\n{\n}\n' }]);
    pacing.edited(d);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(stale, [7, 8]);
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(reindexed.map((r) => r.path), ['/tmp/x.c'], 'one scan for the six edits');
    assert.ok(reindexed[0]!.at - lastKeystroke >= 290, `the scan waited for the pause: ${reindexed[0]!.at - lastKeystroke} ms`);
  } finally {
    pacing.dispose();
  }
});
