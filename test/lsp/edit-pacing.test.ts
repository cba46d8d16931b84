/**
 * The pacing of an edit's work (lsp/edit-pacing.ts): the staleness of a burst of
 * didChange notifications is worked out at once for its first, then once for the rest,
 * at the latest when a request needs it;
 * the re-index of an edited file waits for a pause in typing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditPacing } from 'racelens-server/out/lsp/edit-pacing.js';
import { OpenDocuments } from 'racelens-server/out/lsp/documents.js';

test('six didChange notifications of one edit: staleness worked out at once for the first, then once for the rest, at once when a lens asks; the re-index once after typing pauses', async () => {
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
    assert.deepEqual(stale, [2], 'the first at once, the rest not before the burst ends or a request asks');
    // a lens request right after the burst: worked out now, on the last text
    pacing.flush();
    assert.deepEqual(stale, [2, 7]);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(stale, [2, 7], 'not again when the burst timer would have fired');
    // an edit after the burst: at once; a second one within the burst when the burst is over
    docs.change(d.uri, 8, [{ text: 'void f(void)\n{\n}\n' }]);
    pacing.edited(d);
    assert.deepEqual(stale, [2, 7, 8]);
    docs.change(d.uri, 9, [{ text: 'void f(void)\n{\n\n}\n' }]);
    pacing.edited(d);
    assert.deepEqual(stale, [2, 7, 8]);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(stale, [2, 7, 8, 9]);
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(reindexed.map((r) => r.path), ['/tmp/x.c'], 'one scan for the six edits');
    assert.ok(reindexed[0]!.at - lastKeystroke >= 290, `the scan waited for the pause: ${reindexed[0]!.at - lastKeystroke} ms`);
  } finally {
    pacing.dispose();
  }
});
