/**
 * The trace view's race window and assumptions by kind, read from the page built for a
 * real run of writeback-stale-wake 5.10 (the JSON the server sends).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assumptionGroups, traceHtml } from 'racelens-client/out/trace/html.js';
import { runBuiltin } from '../engine/fixtures.js';
import { toResultJson } from 'racelens-server/out/scenario/to-result-json.js';

describe('trace view: race window and assumptions', () => {
  it('marks the first row of every window step and says the window in words, its steps linked', () => {
    const r = runBuiltin('writeback-stale-wake', '5.10');
    const json = toResultJson(r, { scenario: r.scenario, era: r.era, sources: [], reduction: 'full' });
    const html = traceHtml(json, { nonce: 'n' });
    const marked = [...html.matchAll(/<tr class="[^"]*in-window[^"]*" data-index="(\d+)"><td class="step">\d+<span class="window-mark"/g)].map((m) => Number(m[1]));
    assert.deepEqual(marked, r.window!.rows);
    assert.match(html, /<p class="window" data-steps="[\d ]+"><b>↔ Race window<\/b>/);
    for (const s of r.window!.steps.filter((s) => r.window!.sentence.includes(`(step ${s})`))) {
      assert.match(html, new RegExp(`<a href="#" class="window-step" data-step="${s}">step ${s}</a>`));
    }
    assert.match(html, /P1&#39;s PageWriteback\(\)/);
  });

  it('groups assumptions by kind, most frequent first, with the count and what the kind means', () => {
    const at = { uri: 'file:///k/mm/filemap.c', line: 3, column: 1 };
    const html = assumptionGroups([
      { kind: 'unknown-call', function: 'f', message: 'a() is not modeled', at },
      { kind: 'skipped-input', message: 'include/dt-bindings/x: a symbolic link (not followed)' },
      { kind: 'unknown-call', function: 'g', message: 'b() is not modeled', at },
    ]);
    const kinds = [...html.matchAll(/<details class="assumption-kind" data-kind="([^"]+)"><summary><b class="count">(\d+)<\/b>/g)].map((m) => `${m[2]} ${m[1]}`);
    assert.deepEqual(kinds, ['2 unknown-call', '1 skipped-input']);
    assert.match(html, /calls to functions neither modeled nor found, taken as no-ops/);
    assert.equal((html.match(/<li>/g) ?? []).length, 3);
  });
});
