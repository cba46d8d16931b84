/**
 * The language server over LSP, as an editor drives it: a child process speaking
 * JSON-RPC on stdio. A temporary workspace holds the 2.6.20-shaped
 * clear_page_dirty_for_io; the tests hover, run the lens, edit the document to the
 * 2.6.19 shape without saving and run again (era 6.1 from the settings), cancel a long run, and read both sides
 * of a diff.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { builtinScenarioText, CPDFIO_2619, CPDFIO_2620, LONG_RUN_RACE, functionSpan, tempWorkspace, type TempWorkspace } from './fixtures.js';
import { LspSession, CancellationTokenSource, positionOf, rangeOfSpan, type CodeLens } from './session.js';
import type { StaleFunctionsParams } from 'racelens-server/out/lsp/protocol.js';

interface RunResult { version: number; verdict: string; invariant?: string; message?: string; executions: number; models: { function: string; from: string; at?: { uri: string } }[]; trace?: { step: number; at?: { uri: string; line: number } }[]; budgetHit?: string; era: string; args: { sources: string[] } }

let ws: TempWorkspace;
let lsp: LspSession;
let liftCache: TempWorkspace;

/** Markdown with its escapes removed: what a reader sees. */
function plain(md: string): string {
  return md.replace(/\\(.)/g, '$1');
}

interface Choice { label: string; params: { scenario: string; uri: string; function: string; era?: string } }

/** The one lens above `fn`. */
function lensAbove(lenses: CodeLens[], fn: string): CodeLens {
  const l = lenses.find((x) => (x.command?.arguments?.[0] as { function?: string } | undefined)?.function === fn);
  assert.ok(l, `no lens above ${fn}: ${JSON.stringify(lenses.map((x) => x.command?.title))}`);
  return l;
}

/** The last `racelens/staleFunctions` the server sent for `uri`. */
function staleMarksOf(uri: string): StaleFunctionsParams | undefined {
  return lsp.notifications.filter((x) => x.method === 'racelens/staleFunctions' && (x.params as StaleFunctionsParams).uri === uri).pop()?.params as StaleFunctionsParams | undefined;
}

/** The choice of `race` in a lens that offers several (racelens.pickRace). */
function choiceOf(lens: CodeLens, race: string): Choice {
  assert.equal(lens.command!.command, 'racelens.pickRace');
  const c = (lens.command!.arguments![0] as { choices: Choice[] }).choices.find((x) => x.params.scenario === race);
  assert.ok(c, `no choice ${race} in ${JSON.stringify(lens.command!.arguments)}`);
  return c;
}

/** Waits for the `n`th racelens/runFinished notification (1-based) and returns its result. */
async function runFinished(n: number, timeoutMs = 120_000): Promise<RunResult> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const all = lsp.notifications.filter((x) => x.method === 'racelens/runFinished');
    if (all.length >= n) return (all[n - 1].params as { result: RunResult }).result;
    if (Date.now() > end) throw new Error(`only ${all.length} runs finished`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function finishedCount(): number {
  return lsp.notifications.filter((x) => x.method === 'racelens/runFinished').length;
}

before(async () => {
  ws = tempWorkspace();
  liftCache = tempWorkspace('racelens-lsp-cache-');
  ws.write('mm/page-writeback.c', CPDFIO_2620);
  // the fixture has no top Makefile to tell its release: the era comes from the setting
  lsp = new LspSession({ defaultEra: '6.1' }, { RACELENS_LIFT_CACHE: liftCache.dir });
  await lsp.initialize(ws.uri);
});

after(async () => {
  const code = await lsp.shutdown();
  assert.equal(code, 0, `the server exits 0 after shutdown and exit; stderr: ${lsp.stderr.join('')}`);
  ws.remove();
  liftCache.remove();
});

test('initialize announces hover, lenses, commands and incremental sync', async () => {
  const probe = new LspSession();
  const r = await probe.initialize(null) as { capabilities: { hoverProvider: boolean; textDocumentSync: { change: number }; executeCommandProvider: { commands: string[] } } };
  assert.equal(r.capabilities.hoverProvider, true);
  assert.equal(r.capabilities.textDocumentSync.change, 2);
  assert.deepEqual(r.capabilities.executeCommandProvider.commands, ['racelens.runRace', 'racelens.runFile', 'racelens.explain', 'racelens.pickRace', 'racelens.reviewPatch']);
  assert.equal(await probe.shutdown(), 0);
});

test('hover on a definition and on a call: short (what it is, reads/writes, whether the body runs, the most relevant races), the rest one click away', async () => {
  const uri = ws.fileUri('mm/page-writeback.c');
  await lsp.open(uri, 'c', CPDFIO_2620);
  const def = await lsp.hover(uri, positionOf(CPDFIO_2620, 'clear_page_dirty_for_io(struct', 0, 3));
  assert.ok(def, 'a hover on the definition');
  const text = plain(def.contents.value);
  assert.equal(def.contents.kind, 'markdown');
  assert.match(text, /^\*\*clear_page_dirty_for_io\*\* · `mm\/page-writeback\.c` · modeled step by step/);
  assert.match(text, /\*\*Reads\*\* PG_dirty.* · \*\*Writes\*\* PG_dirty/);
  assert.match(text, /\*\*Body\*\* this body runs/);
  // the race whose fix changed this function comes first; two are named, the others counted
  assert.match(text, /\*\*Races\*\* \(2 of \d+, most relevant first\)\n\n- mmap-dirty-lost \(2006\): not run against this text\n- [\w-]+ \(\d+\): not run/);
  assert.match(text, /\[All races, history and the lifted body\]\(command:racelens\.explainFunction\?/);
  assert.ok(def.contents.value.length < 1000, `a short hover: ${def.contents.value.length} characters`);
  assert.deepEqual(def.range, { start: { line: 4, character: 4 }, end: { line: 4, character: 27 } });

  const call = await lsp.hover(uri, positionOf(CPDFIO_2620, 'page_mkclean(page)', 0, 2));
  assert.ok(call);
  const callText = plain(call.contents.value);
  assert.match(callText, /^\*\*page_mkclean\*\* · `mm\/rmap\.c` · simulator primitive/);
  assert.match(callText, /Write-protects and cleans every PTE/);
  // a tree that defines it runs its folio_mkclean (the rmap walk down to the PTE): the hover says so up front
  assert.match(callText, /\*\*Body\*\* this body runs/);
  const prim = await lsp.hover(uri, positionOf(CPDFIO_2620, 'TestClearPageDirty(page)) {', 0, 3));
  assert.ok(prim);
  assert.match(plain(prim.contents.value), /^\*\*TestClearPageDirty\*\* · .*simulator primitive/);
  assert.match(plain(prim.contents.value), /\*\*Body\*\* the simulator primitive runs instead of this body/);
  assert.match(callText, /mmap-dirty-lost/);

  // the description is built in the background after the open: the hover then names the body's source
  const end = Date.now() + 30_000;
  let later = '';
  while (Date.now() < end && !/lifted from/.test(later)) {
    await new Promise((r) => setTimeout(r, 300));
    later = plain((await lsp.hover(uri, positionOf(CPDFIO_2620, 'clear_page_dirty_for_io(struct', 0, 3)))!.contents.value);
  }
  assert.match(later, /\*\*Body\*\* this body runs · lifted from `mm\/page-writeback\.c:5`/);

  // a word in a comment, or one that is no catalog function, has no hover
  assert.equal(await lsp.hover(uri, positionOf(CPDFIO_2620, 'page tables', 0, 2)), null);
  assert.equal(await lsp.hover(uri, positionOf(CPDFIO_2620, 'mapping_cap_account_dirty', 0, 2)), null);
});

test('one lens per function; verdicts tied to the text: an edit makes them stale at once, the race runs again by itself, an undo of the edit brings the verdict back', async () => {
  const uri = ws.fileUri('mm/page-writeback.c');
  let lenses = await lsp.codeLens(uri);
  assert.equal(lenses.length, 1, 'one lens above the one function');
  let lens = lensAbove(lenses, 'clear_page_dirty_for_io');
  const n = (lens.command!.arguments![0] as { choices: Choice[] }).choices.length;
  assert.ok(n >= 3, `${n} races`);
  assert.equal(lens.command!.title, `▶ ${n} races`);
  const choices = (lens.command!.arguments![0] as { choices: Choice[] }).choices;
  assert.equal(choices[0].params.scenario, 'mmap-dirty-lost', 'the race whose fix changed the function first');
  assert.equal(choices[0].label, '▶ Run mmap-dirty-lost (2006)');
  assert.deepEqual(choices[0].params, { scenario: 'mmap-dirty-lost', uri, function: 'clear_page_dirty_for_io', era: '6.1' });
  assert.deepEqual(lens.range.start, { line: 4, character: 4 });

  const before = finishedCount();
  const held = await lsp.execute<RunResult & { ranOn: { uri: string; version: number }[] }>('racelens.runRace', [choices[0].params], { workDoneToken: 'run-1' });
  assert.equal(held.version, 2);
  assert.equal(held.verdict, 'holds', JSON.stringify(held).slice(0, 600));
  assert.equal(held.era, '6.1');
  assert.ok(held.executions > 100, `explored ${held.executions} executions`);
  assert.deepEqual(held.ranOn, [{ uri, version: 1 }], 'the verdict carries the version of the text it ran on');
  const own = held.models.find((m) => m.function === 'clear_page_dirty_for_io');
  assert.deepEqual([own?.from, own?.at?.uri], ['source', uri], 'the body is lifted from the document');
  const progress = lsp.progress.get('run-1') as { kind: string; title?: string }[];
  assert.equal(progress[0].kind, 'begin');
  assert.match(progress[0].title!, /mmap-dirty-lost \(era 6\.1\)/);
  assert.equal(progress[progress.length - 1].kind, 'end');
  assert.equal(finishedCount(), before + 1);

  lens = lensAbove(await lsp.codeLens(uri), 'clear_page_dirty_for_io');
  assert.equal(lens.command!.title, `▶ ${n} races · ✓ 1`);
  assert.equal(choiceOf(lens, 'mmap-dirty-lost').label, `✓ holds · ${held.executions.toLocaleString('en-US')} executions · mmap-dirty-lost (era 6.1)`);

  // the 2.6.19 body, typed over the 2.6.20 one (an incremental edit, not saved)
  const oldSpan = functionSpan(CPDFIO_2620, 'clear_page_dirty_for_io');
  const newSpan = functionSpan(CPDFIO_2619, 'clear_page_dirty_for_io');
  await lsp.change(uri, 2, [{ range: rangeOfSpan(CPDFIO_2620, oldSpan.start, oldSpan.end), text: CPDFIO_2619.slice(newSpan.start, newSpan.end) }]);
  const t0 = performance.now();
  lens = lensAbove(await lsp.codeLens(uri), 'clear_page_dirty_for_io');
  const staleMs = performance.now() - t0;
  assert.equal(lens.command!.title, `▶ ${n} races · 1 before your edit`);
  assert.equal(choiceOf(lens, 'mmap-dirty-lost').label, '✓ holds · before your edit · mmap-dirty-lost (era 6.1)');
  assert.ok(staleMs < 300, `stale in ${staleMs.toFixed(0)} ms`);
  const staleHover = plain((await lsp.hover(uri, positionOf(CPDFIO_2619, 'page_mkclean(page)', 0, 2)))!.contents.value);
  assert.match(staleHover, /- mmap-dirty-lost \(2006\): last run before your edit; not yet run against this text/);
  assert.doesNotMatch(staleHover, /✓ holds/, 'no verdict of the old body on the new text');
  assert.ok(lsp.notifications.some((x) => x.method === 'racelens/verdictsStale'));
  // the client is told at once which functions show a verdict from before the edit, with the line of the lens
  const marks = staleMarksOf(uri);
  assert.deepEqual(marks?.functions.map((f) => [f.name, f.line, f.races]), [['clear_page_dirty_for_io', 4, ['mmap-dirty-lost']]]);
  assert.equal(marks?.version, 2);

  // the race runs again by itself after a pause, against the edited text
  const lost = await runFinished(before + 2);
  assert.equal(lost.verdict, 'violated');
  // the scenario checks the fsync contract too, and that is the violation found first:
  // the store to block 0 is not on disk when sync returns
  assert.equal(lost.invariant, 'sync-durability');
  assert.match(lost.message!, /^block 0 of page P: v1 was stored before the sync started, but the disk holds v0 when it returns/);
  assert.ok(lost.trace!.some((t) => t.at?.uri === uri), 'the trace steps through the edited document');
  assert.deepEqual((lost as { ranOn?: unknown }).ranOn, [{ uri, version: 2 }]);
  assert.deepEqual(staleMarksOf(uri)?.functions, [], 'the re-run\'s verdict clears the mark');
  assert.equal(fs.readFileSync(ws.file('mm/page-writeback.c'), 'utf8'), CPDFIO_2620, 'nothing was saved');
  lens = lensAbove(await lsp.codeLens(uri), 'clear_page_dirty_for_io');
  const steps = lost.trace![lost.trace!.length - 1].step;
  assert.equal(lens.command!.title, `▶ ${n} races · ✗ 1`);
  assert.equal(choiceOf(lens, 'mmap-dirty-lost').label, `✗ sync-durability in ${steps} steps · mmap-dirty-lost (era 6.1)`);

  // one diagnostic for the violation, where the trace last steps through this document, with the trace as related information
  const diags = await lsp.diagnosticsOf(uri, (d) => d.length === 1);
  assert.equal(diags[0].severity, 2);
  assert.match(diags[0].message, /^mmap-dirty-lost \(era 6\.1\): sync-durability — block 0 of page P/);
  assert.ok(diags[0].range.start.line >= 4, JSON.stringify(diags[0].range));
  assert.ok(diags[0].relatedInformation!.length >= 2 && diags[0].relatedInformation!.every((r) => /^step \d+ (P\d|final) /.test(r.message)), JSON.stringify(diags[0].relatedInformation));
  assert.ok(diags[0].relatedInformation!.some((r) => r.location.uri === uri));

  // the write itself is lost, too: the same scenario checking lost-write alone, from a .race document
  const lostWriteOnly = builtinScenarioText('mmap-dirty-lost')
    .replace(/^race mmap-dirty-lost /m, 'race mmap-lost-write ')
    .replace(/^check .*$/m, 'check lost-write bug-on deadlock')
    .replace(/^expect .*$/gm, '');
  const raceUri = ws.fileUri('lost-write.race');
  await lsp.open(raceUri, 'race', lostWriteOnly);
  const lw = await lsp.execute<RunResult>('racelens.runRace', [{ scenario: raceUri, uri, function: 'clear_page_dirty_for_io', era: '6.1' }]);
  assert.equal(lw.verdict, 'violated');
  assert.equal(lw.invariant, 'lost-write');
  assert.match(lw.message!, /^block 0 of page P: memory holds v1, disk v0, and nothing marks it dirty/);
  assert.equal(lensAbove(await lsp.codeLens(uri), 'clear_page_dirty_for_io').command!.title, `▶ ${n} races · ✗ 1`, 'a .race run writes on its own lenses, not on the built-in race lens');

  // the hover now tells the verdict against this body
  const hover = await lsp.hover(uri, positionOf(CPDFIO_2619, 'page_mkclean(page)', 0, 2));
  assert.match(plain(hover!.contents.value), /- mmap-dirty-lost \(2006\), era 6\.1: ✗ sync-durability in \d+ steps/);

  // and back to the fixed body: the violation is stale at once (its diagnostic goes), and the re-run holds
  const cur = CPDFIO_2620.slice(0, oldSpan.start) + CPDFIO_2619.slice(newSpan.start, newSpan.end) + CPDFIO_2620.slice(oldSpan.end);
  const span = functionSpan(cur, 'clear_page_dirty_for_io');
  const finished = finishedCount();
  await lsp.change(uri, 3, [{ range: rangeOfSpan(cur, span.start, span.end), text: CPDFIO_2620.slice(oldSpan.start, oldSpan.end) }]);
  await lsp.diagnosticsOf(uri, (d) => d.length === 0, 2000);
  assert.equal(lensAbove(await lsp.codeLens(uri), 'clear_page_dirty_for_io').command!.title, `▶ ${n} races · 1 before your edit`);
  const again = await runFinished(finished + 1);
  assert.equal(again.verdict, 'holds');
  assert.equal(lensAbove(await lsp.codeLens(uri), 'clear_page_dirty_for_io').command!.title, `▶ ${n} races · ✓ 1`);
  const lwAgain = await lsp.execute<RunResult>('racelens.runRace', [{ scenario: raceUri, uri, function: 'clear_page_dirty_for_io', era: '6.1' }]);
  assert.equal(lwAgain.verdict, 'holds');
});

test('racelens.explain: the description and the program of the body on screen; C document symbols', async () => {
  const uri = ws.fileUri('mm/page-writeback.c');
  const r = await lsp.execute<{ function: string; text: string; markdown: string }>('racelens.explain', [{ function: 'clear_page_dirty_for_io', uri }]);
  assert.equal(r.function, 'clear_page_dirty_for_io');
  assert.match(r.text, /clear_page_dirty_for_io: lifted from source, .*page-writeback\.c:5/);
  assert.match(r.text, /\* .*page_mkclean/, 'the listing marks the atomic step page_mkclean');
  assert.match(r.markdown, /```text\n/);
  const symbols = await lsp.request<{ name: string; kind: number; range: { start: { line: number } } }[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(symbols.map((x) => [x.name, x.kind, x.range.start.line]), [['clear_page_dirty_for_io', 12, 4]]);
});

test('$/cancelRequest ends a long run within 100 ms, with an incomplete result', async () => {
  const uri = ws.fileUri('long-run.race');
  await lsp.open(uri, 'race', LONG_RUN_RACE);
  const source = new CancellationTokenSource();
  const pending = lsp.execute<RunResult>('racelens.runRace', [{ scenario: uri, era: '2.6.20' }], { token: source.token, workDoneToken: 'long' });
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = performance.now();
  source.cancel();
  const r = await pending;
  const ms = performance.now() - t0;
  assert.ok(ms <= 100, `answered ${ms.toFixed(1)} ms after the cancel`);
  assert.equal(r.verdict, 'incomplete');
  assert.equal(r.budgetHit, 'cancelled');
  const progress = lsp.progress.get('long') as { kind: string; message?: string }[];
  assert.ok(progress.some((p) => p.kind === 'report' && /^[1-9][\d,]* executions, [1-9][\d,]* states, \d+\.\d s$/.test(p.message ?? '')), JSON.stringify(progress));
  // the server goes on answering, and the next run starts a fresh process
  const hover = await lsp.hover(uri, positionOf(LONG_RUN_RACE, 'write_locked_page', 0, 2));
  assert.match(plain(hover!.contents.value), /write_locked_page: built-in model, era 2\.6\.20, builtin\/models\/[^:]+:\d+/);
  // a run after the cancelled one: the workspace's (fixed) clear_page_dirty_for_io is
  // lifted over the 6.1 built-ins, so the race holds
  const rerun = await lsp.execute<RunResult>('racelens.runRace', [{ scenario: 'mmap-dirty-lost', era: '6.1' }]);
  assert.equal(rerun.verdict, 'holds');
});

test('both sides of a diff: a git: document and an untitled one get hovers and lenses for their own text, and a run lifts that text', async () => {
  const path = ws.file('mm/page-writeback.c');
  const oldSide = `git:${path}?${encodeURIComponent(JSON.stringify({ path, ref: 'HEAD~1' }))}`;
  await lsp.open(oldSide, 'c', CPDFIO_2619);
  const lens = lensAbove(await lsp.codeLens(oldSide), 'clear_page_dirty_for_io');
  const choice = choiceOf(lens, 'mmap-dirty-lost');
  assert.equal(choice.params.uri, oldSide);
  const hover = await lsp.hover(oldSide, positionOf(CPDFIO_2619, 'TestClearPageDirty(page)) {', 0, 3));
  assert.match(plain(hover!.contents.value), /\*\*TestClearPageDirty\*\*/);
  // its description is built from its own text, and names the file by its path in the tree, never the encoded uri
  const end = Date.now() + 30_000;
  let own = '';
  while (Date.now() < end && !/lifted from/.test(own)) {
    await new Promise((r) => setTimeout(r, 300));
    own = plain((await lsp.hover(oldSide, positionOf(CPDFIO_2619, 'clear_page_dirty_for_io(struct', 0, 3)))!.contents.value);
  }
  assert.match(own, /\*\*Body\*\* this body runs · lifted from `mm\/page-writeback\.c:5`/);
  assert.doesNotMatch(own.replace(/\[All races[^\n]*$/, ''), /%7B|git:/, 'no encoded uri in what the hover says (its link carries the uri)');
  const old = await lsp.execute<RunResult>('racelens.runRace', [choice.params]);
  assert.equal(old.verdict, 'violated', 'the old side lifts the old text');
  assert.equal(old.invariant, 'sync-durability');

  const untitled = 'untitled:Untitled-1';
  await lsp.open(untitled, 'c', CPDFIO_2620);
  const u = choiceOf(lensAbove(await lsp.codeLens(untitled), 'clear_page_dirty_for_io'), 'mmap-dirty-lost');
  const fresh = await lsp.execute<RunResult>('racelens.runRace', [u.params]);
  assert.equal(fresh.verdict, 'holds');
  // each side keeps its own verdict: the old side's violation is not the untitled buffer's
  assert.match(lensAbove(await lsp.codeLens(oldSide), 'clear_page_dirty_for_io').command!.title, /✗ 1/);
  assert.match(lensAbove(await lsp.codeLens(untitled), 'clear_page_dirty_for_io').command!.title, /✓ 1/);
});

test('racelens.rerunOnEdit off: an edit still makes the verdict stale at once, and nothing runs by itself', async () => {
  const untitled = 'untitled:Untitled-1';
  lsp.settings = { ...lsp.settings, rerunOnEdit: false };
  try {
    const runs = finishedCount();
    const span = functionSpan(CPDFIO_2620, 'clear_page_dirty_for_io');
    const inside = rangeOfSpan(CPDFIO_2620, span.end - 2, span.end - 2);
    await lsp.change(untitled, 2, [{ range: inside, text: '\n\t/* edited */' }]);
    assert.match(lensAbove(await lsp.codeLens(untitled), 'clear_page_dirty_for_io').command!.title, /· 1 before your edit$/);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(finishedCount(), runs, 'no run started by itself');
  } finally {
    lsp.settings = { ...lsp.settings, rerunOnEdit: true };
  }
});
