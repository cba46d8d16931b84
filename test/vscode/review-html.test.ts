/**
 * The review view's page (client/src/review/html.ts): the table of race, era,
 * invariant, before, after, change, one row per invariant; a break or a fix links to
 * its trace; the hunks with how they applied or why not; the functions no race reaches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reviewHtml } from 'racelens-client/out/review/html.js';
import type { ReviewJson, RunResultJson } from 'racelens-server/out/lsp/protocol.js';

const run = { version: 2, scenario: 'mmap-dirty-lost', era: '6.1', verdict: 'holds', executions: 1, states: 1, violations: 0, ms: 1, models: [], assumptions: [], cpus: [], args: { scenario: 'mmap-dirty-lost', era: '6.1', sources: [], reduction: 'full' } } as RunResultJson;

const review: ReviewJson = {
  version: 1,
  patches: [{
    subject: '[PATCH] mm: <drop> folio_mkclean', at: 'x.patch:1',
    hunks: [
      { file: 'mm/page-writeback.c', function: 'folio_clear_dirty_for_io', applied: true, how: 'exact', at: 'x.patch:12', target: 'mm/page-writeback.c:2710' },
      { file: 'Documentation/x.rst', function: null, applied: false, how: null, at: 'x.patch:30', why: 'not a C file: nothing racelens runs' },
    ],
  }],
  races: [{
    patch: 1, scenario: 'mmap-dirty-lost', era: '6.1', change: 'breaks', reaches: ['folio_clear_dirty_for_io'],
    invariants: [
      { name: 'lost-write', before: 'holds', after: 'holds', change: 'holds' },
      { name: 'sync-durability', before: 'holds', after: 'violated', change: 'breaks' },
    ],
    before: run, after: { ...run, verdict: 'violated' },
  }],
  unreached: ['dirty_writeback_centisecs_handler'],
  known: [{ function: 'dirty_writeback_centisecs_handler', what: 'not in the catalog of functions racelens models' }],
};

test('one row per invariant, the race named on its first, a trace link on the break', () => {
  const html = reviewHtml(review, { nonce: 'n', title: 'x.patch', target: 'the tree /k' });
  assert.match(html, /<th>race<\/th><th>era<\/th><th>invariant<\/th><th>before<\/th><th>after<\/th><th>change<\/th>/);
  const rows = [...html.matchAll(/<tr class="change-([\w-]+)[^"]*" data-race="mmap-dirty-lost">(.*?)<\/tr>/g)];
  assert.deepEqual(rows.map((r) => r[1]), ['holds', 'breaks']);
  assert.match(rows[0]![2]!, /<td class="race">mmap-dirty-lost<\/td><td>6\.1<\/td><td class="invariant">lost-write<\/td>/);
  assert.match(rows[1]![2]!, /<td class="race"><\/td><td><\/td><td class="invariant">sync-durability<\/td><td class="before"><span class="v v-holds">✓ holds<\/span><\/td><td class="after"><span class="v v-violated">✗ violated<\/span><\/td><td class="change"><b>breaks<\/b> <a href="#" class="trace" data-race="0" data-side="after"/);
  assert.ok(!/data-side/.test(rows[0]![2]!), 'no trace link where nothing changed');
  assert.match(html, /\[PATCH\] mm: &lt;drop&gt; folio_mkclean/);
  assert.match(html, /applied, exact at mm\/page-writeback\.c:2710/);
  assert.match(html, /<b>not applied<\/b>: not a C file/);
  assert.match(html, /<code>dirty_writeback_centisecs_handler<\/code>: not in the catalog/);
  assert.match(html, /script-src 'nonce-n'/);
});

test('no race reached: said in a sentence', () => {
  const html = reviewHtml({ ...review, races: [] }, { nonce: 'n', title: 'x.patch', target: 'era 6.1' });
  assert.match(html, /No race reaches what the patch changes\./);
});

test('what changed comes first: a break before a race that holds', () => {
  const quiet = { ...review.races[0]!, scenario: 'dio-mmap-uptodate', change: 'holds', invariants: [{ name: 'bug-on', before: 'holds', after: 'holds', change: 'holds' }] };
  const html = reviewHtml({ ...review, races: [quiet, review.races[0]!] }, { nonce: 'n', title: 'x.patch', target: 'era 6.1' });
  const order = [...html.matchAll(/<tr class="[^"]* first" data-race="([\w-]+)"/g)].map((m) => m[1]);
  assert.deepEqual(order, ['mmap-dirty-lost', 'dio-mmap-uptodate']);
  // the trace link still names the race by its place in the review
  assert.match(html, /data-race="1" data-side="after"/);
});

test('races not run in an era older than their scenarios: listed with why, and no "no race reaches" claim', () => {
  const notRun = [{ patch: 1, scenario: 'truncate-vs-writeback', era: '2.6.19', reason: 'its expect lines start at 5.9 (5.9, 5.10, 6.1): 2.6.19 is older than every release the scenario was written for', reaches: ['clear_page_dirty_for_io'] }];
  const html = reviewHtml({ ...review, races: [], notRun }, { nonce: 'n', title: 'x.patch', target: 'era 2.6.19' });
  assert.match(html, /<h2>Not run in this era<\/h2><ul class="not-run"><li><code>truncate-vs-writeback<\/code> \(reaches <code>clear_page_dirty_for_io\(\)<\/code>\): its expect lines start at 5\.9/);
  assert.doesNotMatch(html, /No race reaches what the patch changes/);
});
