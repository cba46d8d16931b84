/**
 * The trace view's page, read as HTML: one column per CPU of the scenario, a row per
 * step in its CPU's column, the state after each step rebuilt from the structured
 * changes with the changed fields marked, links to source locations, and everything
 * from the result escaped under a nonce-only CSP.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countsLine, escapeHtml, stepLocation, traceColumns, traceHtml } from 'racelens-client/out/trace/html.js';
import { statesAfterSteps } from 'racelens-client/out/trace/state.js';
import type { RunResultJson, TraceStepJson } from 'racelens-server/out/lsp/protocol.js';

const PW = 'file:///src/linux/mm/page-writeback.c';

function step(n: number, cpu: string, label: string, fn: string, op: string, line: number, changes: TraceStepJson['changes'], extra: Partial<TraceStepJson> = {}): TraceStepJson {
  return { step: n, cpu, label, op, function: fn, at: { uri: PW, file: '/src/linux/mm/page-writeback.c', line, column: 2 }, state: '', changes, remarks: [], ...extra };
}

/** The 2.6.19 lost write, shortened: a store, the journal's write, writeback's clear. */
function lostWrite(): RunResultJson {
  return {
    version: 2, scenario: 'mmap-dirty-lost', era: '2.6.19', verdict: 'violated', invariant: 'lost-write',
    invariantExplanation: 'After the final sync some block differs between memory and disk although nothing marks it dirty any more.',
    message: 'block 1 of page P: memory holds v1, disk v0, and nothing marks it dirty',
    expected: { verdict: 'violated', invariants: ['lost-write'] }, asExpected: true,
    executions: 4, states: 1234, violations: 1, ms: 103,
    models: [{ function: 'clear_page_dirty_for_io', from: 'source', at: { uri: PW, line: 5, column: 1 } }],
    assumptions: [{ kind: 'unknown-call', function: 'clear_page_dirty_for_io', message: 'dec_zone_page_state(page, NR_FILE_DIRTY) is not modeled <script>', at: { uri: PW, line: 15, column: 4 } }],
    cpus: [{ id: 'P0', label: 'user' }, { id: 'P1', label: 'journal' }, { id: 'P2', label: 'writeback' }],
    trace: [
      step(1, 'P0', 'user', 'do_wp_page', 'pte_mkwrite_dirty(U, P)', 30, [{ object: 'pte U/P', field: 'dirty', from: false, to: true }, { object: 'pte U/P', field: 'writable', from: false, to: true }]),
      step(2, 'P1', 'journal', 'journal_write_buffers', 'test_clear_buffer_dirty(P.0)', 70, [{ object: 'bh P.0', field: 'dirty', from: true, to: false }]),
      step(3, 'P2', 'writeback', 'clear_page_dirty_for_io', 'TestClearPageDirty(P) = 1', 12, [{ object: 'P', field: 'dirty', from: 1, to: 0 }]),
      step(4, 'P2', 'writeback', 'clear_page_dirty_for_io', 'page_mkclean(P) = 1', 14, [{ object: 'pte U/P', field: 'dirty', from: true, to: false }]),
      step(5, 'final', 'final', 'sync', 'sync(F)', 1, [], { violation: true, at: { uri: 'racelens-builtin:/scenarios/mmap-dirty-lost.race', line: 23, column: 9 } }),
    ],
    schedule: '0.1.2.2.f',
    args: { scenario: 'mmap-dirty-lost', era: '2.6.19', sources: ['/src/linux'], reduction: 'full' },
  };
}

/** The text of an element with the given class in one row (crude, but the HTML is ours). */
function rowHtml(html: string, index: number): string {
  const m = new RegExp(`<tr class="[^"]*" data-index="${index}">([\\s\\S]*?)</tr>`).exec(html);
  assert.ok(m, `row ${index} not found`);
  return m[1]!;
}

describe('trace view HTML', () => {
  it('has one column per CPU of the scenario, then the other threads', () => {
    const r = lostWrite();
    const cols = traceColumns(r);
    assert.deepEqual(cols.map((c) => [c.id, c.isCpu]), [['P0', true], ['P1', true], ['P2', true], ['final', false]]);
    const html = traceHtml(r, { nonce: 'n0nce' });
    assert.equal((html.match(/<th class="cpu"/g) ?? []).length, 3);
    assert.match(html, /<th class="cpu" data-cpu="P1">P1<div class="label">journal<\/div><\/th>/);
    assert.equal((html.match(/<th class="thread"/g) ?? []).length, 1);
  });

  it('puts each step in the column of its CPU, with the function, the op and a link to its line', () => {
    // the places a line may wrap (<wbr>) are not what this test reads
    const html = traceHtml(lostWrite(), { nonce: 'x' }).replace(/<span class="w">([^<]*)<\/span>/g, '$1').replace(/<wbr>/g, '');
    const row = rowHtml(html, 2);
    const cells = [...row.matchAll(/<td class="(active|idle)" data-cpu="([^"]+)">([\s\S]*?)<\/td>/g)].map((m) => [m[1], m[2], m[3]]);
    assert.deepEqual(cells.map((c) => [c[0], c[1]]), [['idle', 'P0'], ['idle', 'P1'], ['active', 'P2'], ['idle', 'final']]);
    assert.match(cells[2]![2]!, /<div class="fn">clear_page_dirty_for_io<\/div><div class="op">TestClearPageDirty\(P\) = 1<\/div>/);
    assert.match(cells[2]![2]!, /data-uri="file:\/\/\/src\/linux\/mm\/page-writeback.c" data-line="12" data-column="2"/);
    // the path inside the tree the run read, as a kernel developer names it
    assert.match(cells[2]![2]!, />mm\/page-writeback.c:12<\/a>/);
  });

  it('never breaks an identifier or a path inside a word: it wraps only after _ / . -> (', () => {
    const html = traceHtml(lostWrite(), { nonce: 'x' });
    const breaks = [...html.replace(/<span class="w">([^<]*)<\/span>/g, '$1').matchAll(/(.{0,4})<wbr>/g)].map((m) => m[1]!);
    assert.ok(breaks.length > 5, 'long names may wrap');
    assert.ok(breaks.every((b) => /(_|\/|\.|-&gt;|\()$/.test(b)), JSON.stringify(breaks.filter((b) => !/(_|\/|\.|-&gt;|\()$/.test(b))));
    assert.match(html, /overflow-wrap: normal; word-break: normal/);
    assert.doesNotMatch(html, /overflow-wrap: anywhere|word-break: break-all/);
    assert.match(html, /main \{ overflow-x: auto; \}/, 'a table wider than the view scrolls sideways');
    // the pieces between breaks are kept whole: a hyphen in page-writeback.c is no place to wrap
    assert.match(html, /\.w \{ white-space: nowrap; \}/);
    assert.match(html, /<span class="w">mm\/<\/span><wbr><span class="w">page-writeback\.<\/span><wbr><span class="w">c:12<\/span>/);
  });

  it('the state pane folds and resizes; back and forward reveal the step\'s source line in the editor', () => {
    const html = traceHtml(lostWrite(), { nonce: 'x' });
    assert.match(html, /<details class="state-panel" open><summary>/);
    assert.match(html, /\.state-panel \{[^}]*resize: vertical;/);
    assert.match(html, /back\.addEventListener\('click', \(\) => show\(current - 1, true\)\)/);
    assert.match(html, /type: 'reveal'/);
  });

  it('marks what each step changed, from the structured changes', () => {
    const r = lostWrite();
    const states = statesAfterSteps(r);
    assert.equal(states.length, 5);
    // after row 0 the PTE is dirty and writable (changed), the page still dirty (initial 1)
    const pte0 = states[0]!.find((o) => o.object === 'pte U/P')!;
    assert.deepEqual(pte0.fields.map((f) => [f.field, f.value, f.changed]), [['dirty', true, true], ['writable', true, true]]);
    assert.deepEqual(states[0]!.find((o) => o.object === 'P')!.fields.map((f) => [f.field, f.value, f.changed]), [['dirty', 1, false]]);
    // after row 3 page_mkclean cleaned the PTE: dirty changed, writable kept
    const pte3 = states[3]!.find((o) => o.object === 'pte U/P')!;
    assert.deepEqual(pte3.fields.map((f) => [f.field, f.value, f.changed, f.changedFrom]), [['dirty', false, true, true], ['writable', true, false, undefined]]);
    assert.equal(states[3]!.find((o) => o.object === 'P')!.fields[0]!.value, 0);

    const html = traceHtml(r, { nonce: 'x' });
    assert.match(rowHtml(html, 2), /<li class="changed"><span class="obj">P<\/span>.dirty 1 → <b>0<\/b><\/li>/);
    const snap3 = /<div class="snapshot" data-index="3"[^>]*>([\s\S]*?)<\/div>/.exec(html)![1]!;
    assert.match(snap3, /<span class="field changed" title="was 1">dirty=0<\/span> <span class="field">writable=1<\/span>/);
    assert.match(snap3, /<th>P<\/th><td><span class="field">dirty=0<\/span>/);
  });

  it('escapes every text from the result', () => {
    const r = lostWrite();
    r.scenario = '<img src=x onerror=alert(1)>';
    r.trace![0]!.op = '"><script>alert(2)</script>';
    r.trace![1]!.changes = [{ object: 'bh <b>', field: 'dirty"', from: '<', to: '&' }];
    r.trace![2]!.at = { uri: 'file:///x"onmouseover="alert(3)', line: 1, column: 1 };
    const html = traceHtml(r, { nonce: 'x' }).replace(/<span class="w">([^<]*)<\/span>/g, '$1').replace(/<wbr>/g, '');
    assert.ok(!html.includes('<img'), 'raw <img> in the page');
    assert.ok(!html.includes('<script>alert'), 'raw <script> in the page');
    assert.ok(!html.includes('"onmouseover='), 'attribute broken out of');
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /&quot;&gt;&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
    assert.match(html, /<span class="obj">bh &lt;b&gt;<\/span>.dirty&quot; &lt; → <b>&amp;<\/b>/);
    assert.match(html, /is not modeled &lt;script&gt;/);
    assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  });

  it('allows only its own nonce-marked style and script, and loads nothing', () => {
    const html = traceHtml(lostWrite(), { nonce: 'abc123' });
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-abc123'; script-src 'nonce-abc123';">/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="abc123">/);
    assert.match(html, /<style nonce="abc123">/);
    assert.ok(!/(src|href)="(https?:)?\/\//.test(html), 'a remote resource');
    assert.ok(!/ style="/.test(html), 'an inline style attribute (blocked by the CSP)');
    assert.match(html, /var\(--vscode-editor-background\)/);
  });

  it('shows the verdict, the invariant in a sentence, the counts, the assumptions with links, and starts at the violation', () => {
    const html = traceHtml(lostWrite(), { nonce: 'x' });
    assert.match(html, /<span class="verdict verdict-violated">violated lost-write \(as expected\)<\/span>/);
    assert.match(html, /<p class="explanation">After the final sync some block differs between memory and disk although nothing marks it dirty any more.<\/p>/);
    assert.match(html, /<p class="expected">The scenario expects: violated lost-write<\/p>/);
    assert.match(html, /<p class="counts">4 executions, 1,234 states, 1 violation, 103 ms<\/p>/);
    assert.match(html, /<li><span class="kind">unknown-call<\/span> in <code>clear_page_dirty_for_io<\/code>: dec_zone_page_state\(page, NR_FILE_DIRTY\) is not modeled &lt;script&gt; <a href="#" class="loc" data-uri="file:\/\/\/src\/linux\/mm\/page-writeback.c" data-line="15" data-column="4"/);
    {
      const r = lostWrite();
      r.invariantExplanation = 'after the final sync, memory differs from disk for some block';
      assert.match(traceHtml(r, { nonce: 'x' }), /<p class="explanation">After the final sync, memory differs from disk for some block.<\/p>/);
    }
    assert.match(html, /<body data-current="4" data-rows="5" data-run="mmap-dirty-lost\|2.6.19\|\|violated\|4\|1234\|103\|0.1.2.2.f">/);
    assert.match(html, /<tr class="row violation current" data-index="4">/);
    assert.match(html, /data-uri="racelens-builtin:\/scenarios\/mmap-dirty-lost.race" data-line="23"/);
    assert.match(html, /<button id="back"/);
    assert.match(html, /<button id="forward"/);
    assert.match(html, /<button id="replay"/);
  });

  it('links version-1 steps of built-in models to racelens-builtin: documents', () => {
    const s: TraceStepJson = { step: 1, cpu: 'P0', label: 'user', op: 'x', function: 'f', file: 'builtin/models/2.6.19/page-writeback.c', line: 14, state: '', changes: [], remarks: [] };
    assert.deepEqual(stepLocation(s), { uri: 'racelens-builtin:/models/2.6.19/page-writeback.c', line: 14, column: 1 });
    assert.equal(stepLocation({ ...s, file: 'mmap-dirty-lost.race' }), undefined);
  });

  it('says when a budget stopped the run, and shows a run without a trace', () => {
    const r = lostWrite();
    r.verdict = 'incomplete';
    delete r.invariant;
    r.budgetHit = 'states';
    r.violations = 0;
    delete r.trace;
    assert.equal(countsLine(r), '4 executions, 1,234 states, 0 violations, 103 ms; stopped by the states budget');
    const html = traceHtml(r, { nonce: 'x' });
    assert.match(html, /No trace/);
    assert.ok(!html.includes('<table class="trace">'));
  });
});
