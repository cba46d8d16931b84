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

interface RunResult { version: number; verdict: string; invariant?: string; message?: string; executions: number; models: { function: string; from: string; at?: { uri: string } }[]; trace?: { step: number; at?: { uri: string; line: number } }[]; budgetHit?: string; era: string; args: { sources: string[] } }

let ws: TempWorkspace;
let lsp: LspSession;
let liftCache: TempWorkspace;

/** Markdown with its escapes removed: what a reader sees. */
function plain(md: string): string {
  return md.replace(/\\(.)/g, '$1');
}

function lensFor(lenses: CodeLens[], race: string): CodeLens {
  const l = lenses.find((x) => x.command?.title.includes(race));
  assert.ok(l, `no lens for ${race}: ${JSON.stringify(lenses.map((x) => x.command?.title))}`);
  return l;
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
  assert.deepEqual(r.capabilities.executeCommandProvider.commands, ['racelens.runRace', 'racelens.runFile', 'racelens.explain', 'racelens.reviewPatch']);
  assert.equal(await probe.shutdown(), 0);
});

test('hover on a definition and on a call names the operation and the race', async () => {
  const uri = ws.fileUri('mm/page-writeback.c');
  await lsp.open(uri, 'c', CPDFIO_2620);
  const def = await lsp.hover(uri, positionOf(CPDFIO_2620, 'clear_page_dirty_for_io(struct', 0, 3));
  assert.ok(def, 'a hover on the definition');
  const text = plain(def.contents.value);
  assert.equal(def.contents.kind, 'markdown');
  assert.match(text, /^\*\*clear_page_dirty_for_io\*\* · `mm\/page-writeback\.c` · modeled step by step/);
  assert.match(text, /- mmap-dirty-lost \(2006\): .*fixed by 7658cc289288 in 2\.6\.20/);
  assert.match(text, /\*\*Other eras\*\* `folio_clear_dirty_for_io`/);
  assert.match(text, /clear_page_dirty_for_io: lifted from source, .*page-writeback\.c:5/);
  assert.deepEqual(def.range, { start: { line: 4, character: 4 }, end: { line: 4, character: 27 } });

  const call = await lsp.hover(uri, positionOf(CPDFIO_2620, 'page_mkclean(page)', 0, 2));
  assert.ok(call);
  const callText = plain(call.contents.value);
  assert.match(callText, /^\*\*page_mkclean\*\* · `mm\/rmap\.c` · simulator primitive/);
  assert.match(callText, /Write-protects and cleans every PTE/);
  assert.match(callText, /mmap-dirty-lost/);

  // a word in a comment, or one that is no catalog function, has no hover
  assert.equal(await lsp.hover(uri, positionOf(CPDFIO_2620, 'page tables', 0, 2)), null);
  assert.equal(await lsp.hover(uri, positionOf(CPDFIO_2620, 'mapping_cap_account_dirty', 0, 2)), null);
});

test('the lens runs mmap-dirty-lost against the text on screen: holds, then violated after an unsaved edit to the 2.6.19 form', async () => {
  const uri = ws.fileUri('mm/page-writeback.c');
  let lenses = await lsp.codeLens(uri);
  const lens = lensFor(lenses, 'mmap-dirty-lost');
  assert.equal(lens.command!.title, '▶ Run mmap-dirty-lost (2006)');
  assert.equal(lens.command!.command, 'racelens.runRace');
  assert.deepEqual(lens.command!.arguments, [{ scenario: 'mmap-dirty-lost', uri, function: 'clear_page_dirty_for_io', era: '6.1' }]);
  assert.deepEqual(lens.range.start, { line: 4, character: 4 });

  const held = await lsp.execute<RunResult>('racelens.runRace', lens.command!.arguments!, { workDoneToken: 'run-1' });
  assert.equal(held.version, 2);
  assert.equal(held.verdict, 'holds', JSON.stringify(held).slice(0, 600));
  assert.equal(held.era, '6.1');
  assert.ok(held.executions > 100, `explored ${held.executions} executions`);
  const own = held.models.find((m) => m.function === 'clear_page_dirty_for_io');
  assert.deepEqual([own?.from, own?.at?.uri], ['source', uri], 'the body is lifted from the document');
  const progress = lsp.progress.get('run-1') as { kind: string; title?: string }[];
  assert.equal(progress[0].kind, 'begin');
  assert.match(progress[0].title!, /mmap-dirty-lost \(era 6\.1\)/);
  assert.equal(progress[progress.length - 1].kind, 'end');
  assert.ok(lsp.notifications.some((n) => n.method === 'racelens/runFinished' && (n.params as { result: RunResult }).result.verdict === 'holds'));

  lenses = await lsp.codeLens(uri);
  assert.equal(lensFor(lenses, 'mmap-dirty-lost').command!.title, `✓ holds · ${held.executions.toLocaleString('en-US')} executions · mmap-dirty-lost (era 6.1)`);

  // the 2.6.19 body, typed over the 2.6.20 one (an incremental edit, not saved)
  const oldSpan = functionSpan(CPDFIO_2620, 'clear_page_dirty_for_io');
  const newSpan = functionSpan(CPDFIO_2619, 'clear_page_dirty_for_io');
  await lsp.change(uri, 2, [{ range: rangeOfSpan(CPDFIO_2620, oldSpan.start, oldSpan.end), text: CPDFIO_2619.slice(newSpan.start, newSpan.end) }]);
  const lost = await lsp.execute<RunResult>('racelens.runRace', lens.command!.arguments!, { workDoneToken: 'run-2' });
  assert.equal(lost.verdict, 'violated');
  // the scenario checks the fsync contract too, and that is the violation found first:
  // the store to block 0 is not on disk when sync returns
  assert.equal(lost.invariant, 'sync-durability');
  assert.match(lost.message!, /^block 0 of page P: v1 was stored before the sync started, but the disk holds v0 when it returns/);
  assert.ok(lost.trace!.some((t) => t.at?.uri === uri), 'the trace steps through the edited document');
  assert.equal(fs.readFileSync(ws.file('mm/page-writeback.c'), 'utf8'), CPDFIO_2620, 'nothing was saved');
  lenses = await lsp.codeLens(uri);
  const steps = lost.trace![lost.trace!.length - 1].step;
  assert.equal(lensFor(lenses, 'mmap-dirty-lost').command!.title, `✗ sync-durability in ${steps} steps · mmap-dirty-lost (era 6.1)`);

  const diags = await lsp.diagnosticsOf(uri, (d) => d.length === 1);
  assert.equal(diags[0].severity, 2);
  assert.match(diags[0].message, /^mmap-dirty-lost \(era 6\.1\): sync-durability — block 0 of page P/);
  assert.deepEqual(diags[0].range, { start: { line: 4, character: 4 }, end: { line: 4, character: 27 } });
  assert.ok(diags[0].relatedInformation!.some((r) => r.location.uri === uri && /step \d+/.test(r.message)), JSON.stringify(diags[0].relatedInformation));

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
  const lwSteps = lw.trace![lw.trace!.length - 1].step;
  assert.ok(lensFor(await lsp.codeLens(uri), 'mmap-dirty-lost'));
  const titles = (await lsp.codeLens(uri)).map((l) => l.command!.title);
  assert.ok(!titles.includes(`✗ lost-write in ${lwSteps} steps`), 'a .race run writes on its own lenses, not on the built-in race lens');

  // the hover now tells the last verdict against this body
  const hover = await lsp.hover(uri, positionOf(CPDFIO_2619, 'page_mkclean(page)', 0, 2));
  assert.match(plain(hover!.contents.value), /\*\*Last run against this body\*\*\n\n- mmap-dirty-lost, era 6\.1: ✗ sync-durability in \d+ steps/);

  // and back to the fixed body: holds again, the warnings go
  const cur = CPDFIO_2620.slice(0, oldSpan.start) + CPDFIO_2619.slice(newSpan.start, newSpan.end) + CPDFIO_2620.slice(oldSpan.end);
  const span = functionSpan(cur, 'clear_page_dirty_for_io');
  await lsp.change(uri, 3, [{ range: rangeOfSpan(cur, span.start, span.end), text: CPDFIO_2620.slice(oldSpan.start, oldSpan.end) }]);
  const again = await lsp.execute<RunResult>('racelens.runRace', lens.command!.arguments!);
  assert.equal(again.verdict, 'holds');
  const lwAgain = await lsp.execute<RunResult>('racelens.runRace', [{ scenario: raceUri, uri, function: 'clear_page_dirty_for_io', era: '6.1' }]);
  assert.equal(lwAgain.verdict, 'holds');
  await lsp.diagnosticsOf(uri, (d) => d.length === 0);
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
  const lenses = await lsp.codeLens(oldSide);
  const lens = lensFor(lenses, 'mmap-dirty-lost');
  assert.equal((lens.command!.arguments![0] as { uri: string }).uri, oldSide);
  const hover = await lsp.hover(oldSide, positionOf(CPDFIO_2619, 'TestClearPageDirty(page)) {', 0, 3));
  assert.match(plain(hover!.contents.value), /\*\*TestClearPageDirty\*\*/);
  const old = await lsp.execute<RunResult>('racelens.runRace', lens.command!.arguments!);
  assert.equal(old.verdict, 'violated', 'the old side lifts the old text');
  assert.equal(old.invariant, 'sync-durability');

  const untitled = 'untitled:Untitled-1';
  await lsp.open(untitled, 'c', CPDFIO_2620);
  const u = lensFor(await lsp.codeLens(untitled), 'mmap-dirty-lost');
  const fresh = await lsp.execute<RunResult>('racelens.runRace', u.command!.arguments!);
  assert.equal(fresh.verdict, 'holds');
});
