/**
 * .race documents over LSP: diagnostics with exact ranges, hovers, completion, lenses
 * on the scenario and on each expect line (and what a run writes on them), document
 * symbols, go-to-definition into the workspace and into the built-in models, and the
 * custom requests racelens/listRaces and racelens/builtinDocument.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { builtinScenarioText, CPDFIO_2620, TRUNCATE_TWO_PAGES_RACE, tempWorkspace, type TempWorkspace } from './fixtures.js';
import { LspSession, positionOf, type Diagnostic } from './session.js';

let ws: TempWorkspace;
let cache: TempWorkspace;
let lsp: LspSession;

function plain(md: string): string {
  return md.replace(/\\(.)/g, '$1');
}

/** A scenario that calls the workspace's clear_page_dirty_for_io. */
const CALLS_CPDFIO = TRUNCATE_TWO_PAGES_RACE.replace('P1 truncate  { truncate(F) }', 'P1 truncate  { truncate(F) }\nP2 cleaner   { lock_page(P); clear_page_dirty_for_io(P); unlock_page(P) }');

before(async () => {
  ws = tempWorkspace();
  cache = tempWorkspace('racelens-lsp-cache-');
  ws.write('mm/page-writeback.c', CPDFIO_2620);
  lsp = new LspSession({}, { RACELENS_LIFT_CACHE: cache.dir });
  await lsp.initialize(ws.uri);
});

after(async () => {
  assert.equal(await lsp.shutdown(), 0);
  ws.remove();
  cache.remove();
});

test('diagnostics from the parser and the validator carry exact ranges', async () => {
  const uri = ws.fileUri('broken.race');
  const text = TRUNCATE_TWO_PAGES_RACE.replace('truncate(F)', 'truncat(F)').replace('expect 6.1 holds', 'expect 6.1 violated lost-writes');
  await lsp.open(uri, 'race', text);
  const diags = await lsp.diagnosticsOf(uri, (d) => d.length >= 2);
  const unknownOp = diags.find((d) => d.code === 'unknown-operation') as Diagnostic;
  assert.ok(unknownOp, JSON.stringify(diags));
  const at = positionOf(text, 'truncat(F)');
  assert.deepEqual(unknownOp.range, { start: at, end: { line: at.line, character: at.character + 'truncat'.length } });
  assert.equal(unknownOp.severity, 1);
  assert.match(unknownOp.message, /truncat/);
  const unknownInv = diags.find((d) => d.code === 'unknown-invariant') as Diagnostic;
  const inv = positionOf(text, 'lost-writes');
  assert.deepEqual(unknownInv.range, { start: inv, end: { line: inv.line, character: inv.character + 'lost-writes'.length } });

  // fixing the call with an incremental edit clears that diagnostic
  await lsp.change(uri, 2, [{ range: { start: at, end: { line: at.line, character: at.character + 7 } }, text: 'truncate' }]);
  const after = await lsp.diagnosticsOf(uri, (d) => !d.some((x) => x.code === 'unknown-operation'));
  assert.ok(after.some((d) => d.code === 'unknown-invariant'));
});

test('hover on an operation, a kernel function, an invariant, an era and a filesystem', async () => {
  const uri = ws.fileUri('calls.race');
  await lsp.open(uri, 'race', CALLS_CPDFIO);
  const fn = await lsp.hover(uri, positionOf(CALLS_CPDFIO, 'clear_page_dirty_for_io(P)', 0, 4));
  assert.match(plain(fn!.contents.value), /^\*\*clear_page_dirty_for_io\*\* · `mm\/page-writeback\.c` · modeled step by step/);
  assert.match(plain(fn!.contents.value), /mmap-dirty-lost \(2006\)/);
  const op = await lsp.hover(uri, positionOf(CALLS_CPDFIO, 'writeback(F)', 0, 2));
  assert.match(plain(op!.contents.value), /writeback: built-in model, era 6\.1/);
  const inv = await lsp.hover(uri, positionOf(CALLS_CPDFIO, 'freed-under-writeback', 0, 3));
  assert.match(plain(inv!.contents.value), /\*\*freed-under-writeback\*\* — invariant/);
  const era = await lsp.hover(uri, positionOf(CALLS_CPDFIO, 'era 6.1', 0, 5));
  assert.match(plain(era!.contents.value), /\*\*era 6\.1\*\* \(released 2022-12\): folio names/);
  const fsHover = await lsp.hover(uri, positionOf(CALLS_CPDFIO, 'fs nobh', 0, 4));
  assert.match(plain(fsHover!.contents.value), /^\*\*filesystem nobh\*\*: address_space_operations `\w+_aops`/);
});

test('completion offers eras, invariants, filesystems and operations where each belongs', async () => {
  const uri = ws.fileUri('typing.race');
  const text = 'race t "typing"\nera 2.6.\nsetup {\n  fs ex\n}\nP0 a { folio_cl }\ncheck lost\nexpect 6.1 violated bu\n';
  await lsp.open(uri, 'race', text);
  const labels = async (needle: string): Promise<string[]> => {
    const p = positionOf(text, needle, 0, needle.length);
    const r = await lsp.request<{ label: string }[] | { items: { label: string }[] }>('textDocument/completion', { textDocument: { uri }, position: p });
    return (Array.isArray(r) ? r : r.items).map((i) => i.label);
  };
  const eras = await labels('era 2.6.');
  assert.ok(eras.includes('2.6.19') && eras.includes('5.10+hugh'), eras.join(' '));
  assert.ok((await labels('fs ex')).includes('ext3'));
  const ops = await labels('folio_cl');
  assert.ok(ops.includes('folio_clear_dirty_for_io') && ops.includes('lock_page') && ops.includes('write_locked_page'));
  assert.ok((await labels('check lost')).includes('lost-write'));
  assert.ok((await labels('violated bu')).includes('bug-on'));
});

test('lenses on the scenario and each expect line; a run writes its verdict on the expect line', async () => {
  const uri = ws.fileUri('two-pages.race');
  await lsp.open(uri, 'race', TRUNCATE_TWO_PAGES_RACE);
  const lenses = await lsp.codeLens(uri);
  assert.deepEqual(lenses.map((l) => l.command!.title), ['▶ Run truncate-two-pages', '▶ Run 6.1']);
  assert.equal(lenses[0].command!.command, 'racelens.runFile');
  assert.deepEqual(lenses[1].range.start, positionOf(TRUNCATE_TWO_PAGES_RACE, 'expect 6.1 holds'));
  const r = await lsp.execute<{ verdict: string; asExpected: boolean; executions: number }>('racelens.runRace', lenses[1].command!.arguments!);
  assert.equal(r.verdict, 'holds');
  assert.equal(r.asExpected, true);
  const after = await lsp.codeLens(uri);
  assert.equal(after[1].command!.title, `✓ holds · ${r.executions.toLocaleString('en-US')} executions`);
  const all = await lsp.execute<{ verdict: string }[]>('racelens.runFile', lenses[0].command!.arguments!);
  assert.deepEqual(all.map((x) => x.verdict), ['holds']);
});

test('document symbols: the race, its setup and CPU blocks', async () => {
  const uri = ws.fileUri('two-pages.race');
  const symbols = await lsp.request<{ name: string; children?: { name: string; range: { start: { line: number } } }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.equal(symbols.length, 1);
  assert.equal(symbols[0].name, 'truncate-two-pages');
  assert.deepEqual(symbols[0].children!.map((c) => c.name), ['setup', 'P0 writeback', 'P1 truncate']);
  assert.equal(symbols[0].children![1].range.start.line, positionOf(TRUNCATE_TWO_PAGES_RACE, 'P0 writeback').line);
});

test('go to definition: into the workspace, else into the built-in model, whose text the server serves', async () => {
  const uri = ws.fileUri('calls.race');
  // the index has the workspace's definition once its first pass is done
  for (let i = 0; i < 100 && !lsp.notifications.some((n) => n.method === 'racelens/indexProgress' && (n.params as { done: boolean }).done); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const inWs = await lsp.request<{ uri: string; range: { start: { line: number; character: number } } }[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(CALLS_CPDFIO, 'clear_page_dirty_for_io(P)', 0, 3) });
  assert.deepEqual(inWs, [{ uri: ws.fileUri('mm/page-writeback.c'), range: { start: { line: 4, character: 4 }, end: { line: 4, character: 27 } } }]);
  const builtin = await lsp.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(CALLS_CPDFIO, 'writeback(F)', 0, 2) });
  assert.equal(builtin.length, 1);
  assert.match(builtin[0].uri, /^racelens-builtin:\/models\/[\w.]+\/[\w-]+\.c$/);
  const doc = await lsp.request<{ text: string; languageId: string }>('racelens/builtinDocument', { uri: builtin[0].uri });
  assert.equal(doc.languageId, 'c');
  assert.match(doc.text.split('\n')[builtin[0].range.start.line], /\bwriteback\s*\(/);
  const scenario = await lsp.request<{ text: string; languageId: string }>('racelens/builtinDocument', { uri: 'racelens-builtin:/scenarios/mmap-dirty-lost.race' });
  assert.equal(scenario.languageId, 'race');
  assert.match(scenario.text, /^race mmap-dirty-lost /m);
  await assert.rejects(lsp.request('racelens/builtinDocument', { uri: 'racelens-builtin:/../package.json' }));
});

test('racelens/listRaces: the built-ins with their expect lines, and open .race documents', async () => {
  const r = await lsp.request<{ races: { name: string; uri: string; runs: { era: string; expect: string }[] }[] }>('racelens/listRaces', {});
  const mdl = r.races.find((x) => x.name === 'mmap-dirty-lost')!;
  assert.equal(mdl.uri, 'racelens-builtin:/scenarios/mmap-dirty-lost.race');
  const expects = [...builtinScenarioText('mmap-dirty-lost').matchAll(/^expect (\S+) (.*?)\s*$/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.ok(expects.length >= 3);
  assert.deepEqual(mdl.runs.map((x) => `${x.era} ${x.expect}`), expects);
  assert.ok(r.races.some((x) => x.name === 'truncate-two-pages' && x.uri === ws.fileUri('two-pages.race')));
});
