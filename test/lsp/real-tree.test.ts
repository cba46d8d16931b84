/**
 * The language server on the real Debian 6.1 tree (~/.cache/racelens/linux-6.1, from
 * `npm run kernel`), the whole tree as the workspace. Skipped, saying why, when the tree
 * is not there. The extract has no top Makefile, so the era comes from the settings.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { realTree, tempWorkspace, type TempWorkspace } from './fixtures.js';
import { LspSession, positionOf, type CodeLens } from './session.js';

const tree = realTree();
const skip = tree ? undefined : 'the Debian 6.1 tree is not extracted (npm run kernel puts it in ~/.cache/racelens/linux-6.1)';

let lsp: LspSession;
let cache: TempWorkspace;
let text = '';
let uri = '';
let lens: CodeLens | undefined;

function plain(md: string): string {
  return md.replace(/\\(.)/g, '$1');
}

before(async () => {
  if (!tree) return;
  cache = tempWorkspace('racelens-lsp-cache-');
  lsp = new LspSession({ defaultEra: '6.1' }, { RACELENS_LIFT_CACHE: cache.dir });
  await lsp.initialize(pathToFileURL(tree).href);
  const file = path.join(tree, 'mm', 'page-writeback.c');
  text = fs.readFileSync(file, 'utf8');
  uri = pathToFileURL(file).href;
  await lsp.open(uri, 'c', text);
});

after(async () => {
  if (!tree) return;
  assert.equal(await lsp.shutdown(), 0);
  cache.remove();
});

test('real tree: hover on folio_mkclean inside folio_clear_dirty_for_io names mmap-dirty-lost', { skip }, async () => {
  const body = text.indexOf('bool folio_clear_dirty_for_io(struct folio *folio)');
  assert.ok(body > 0);
  const h = await lsp.hover(uri, positionOf(text, 'folio_mkclean(folio)', body, 3));
  const md = plain(h!.contents.value);
  assert.match(md, /^\*\*folio_mkclean\*\* · `mm\/rmap\.c` · simulator primitive/);
  assert.match(md, /- mmap-dirty-lost \(2006\)/);
});

/** The run of `race` a lens offers: the lens's own when it has one race, else its choice. */
function offered(l: CodeLens, race: string): { scenario: string; function: string; era?: string; uri: string } | undefined {
  const arg = l.command?.arguments?.[0] as { scenario?: string; choices?: { params: { scenario: string; function: string; uri: string } }[] } | undefined;
  if (l.command?.command === 'racelens.runRace') return arg?.scenario === race ? arg as { scenario: string; function: string; uri: string } : undefined;
  return arg?.choices?.find((c) => c.params.scenario === race)?.params;
}

test('real tree: the one lens above folio_clear_dirty_for_io offers mmap-dirty-lost first, in era 6.1', { skip }, async () => {
  const lenses = await lsp.codeLens(uri);
  lens = lenses.find((l) => (l.command!.arguments?.[0] as { function?: string } | undefined)?.function === 'folio_clear_dirty_for_io');
  assert.ok(lens, JSON.stringify(lenses.map((l) => [l.command!.title, l.range.start.line])));
  assert.equal(lenses.filter((l) => (l.command!.arguments?.[0] as { function?: string } | undefined)?.function === 'folio_clear_dirty_for_io').length, 1, 'one lens per function');
  assert.match(lens.command!.title, /^▶ \d+ races$/);
  const choices = (lens.command!.arguments![0] as { choices: { label: string; params: { scenario: string; era: string } }[] }).choices;
  assert.equal(choices[0].label, '▶ Run mmap-dirty-lost (2006)');
  assert.equal(lens.range.start.line, positionOf(text, 'folio_clear_dirty_for_io(struct folio *folio)\n{').line);
  assert.equal(choices[0].params.era, '6.1');
});

test('real tree: the lens above folio_clear_dirty_for_io runs mmap-dirty-lost on the whole tree and says holds', { skip }, async () => {
  assert.ok(lens, 'the lens test ran first');
  const r = await lsp.execute<{ verdict: string; invariant?: string; args: { sources: string[] }; models: { function: string; from: string; at?: { uri: string } }[] }>('racelens.runRace', [offered(lens, 'mmap-dirty-lost')]);
  assert.equal(r.verdict, 'holds', JSON.stringify(r).slice(0, 800));
  assert.deepEqual(r.args.sources, [tree], 'the tree is given whole');
  const own = r.models.find((m) => m.function === 'folio_clear_dirty_for_io');
  assert.equal(own?.from, 'source');
  assert.equal(own?.at?.uri, uri);
  const after = (await lsp.codeLens(uri)).find((l) => (l.command!.arguments?.[0] as { function?: string } | undefined)?.function === 'folio_clear_dirty_for_io');
  assert.match(after!.command!.title, /^▶ \d+ races · ✓ 1$/);
  const choice = (after!.command!.arguments![0] as { choices: { label: string }[] }).choices[0];
  assert.match(choice.label, /^✓ holds · [\d,]+ executions · mmap-dirty-lost \(era 6\.1\)$/);
});

test('real tree: above a function a built-in model stands for, the lens and the hover say so before any run', { skip }, async () => {
  // mm/filemap.c's folio_wait_bit: its wait-queue internals are below the model, a built-in runs instead
  const file = path.join(tree!, 'mm', 'filemap.c');
  const filemap = fs.readFileSync(file, 'utf8');
  const fileUri = pathToFileURL(file).href;
  await lsp.open(fileUri, 'c', filemap);
  const above = (lenses: CodeLens[], fn: string): CodeLens | undefined => lenses.find((l) => (l.command!.arguments?.[0] as { function?: string } | undefined)?.function === fn);
  const first = above(await lsp.codeLens(fileUri), 'folio_wait_bit');
  assert.ok(first && offered(first, 'truncate-vs-writeback'), 'a lens above folio_wait_bit that offers truncate-vs-writeback');
  assert.match(first.command!.title, /^the built-in model runs instead of this body · ▶ /);
  const h = await lsp.hover(fileUri, positionOf(filemap, 'void folio_wait_bit(struct folio *folio, int bit_nr)', 0, 6));
  assert.match(plain(h!.contents.value), /\*\*Body\*\* the built-in model runs instead of this body/);
  const r = await lsp.execute<{ verdict: string }>('racelens.runRace', [offered(first, 'truncate-vs-writeback')]);
  assert.equal(r.verdict, 'holds');
  const after = above(await lsp.codeLens(fileUri), 'folio_wait_bit');
  assert.match(after!.command!.title, /^the built-in model runs instead of this body · ▶ \d+ races · ✓ \d+$/);
  // a function the source runs says nothing of the sort; one no race reaches says that
  const waitWb = above(await lsp.codeLens(fileUri), 'folio_wait_writeback');
  if (waitWb) assert.doesNotMatch(waitWb.command!.title, /instead of this body/);
});

test('real tree: an expect line of another release (the Testing view) runs on that era\'s built-in models and says so', { skip }, async () => {
  const r = await lsp.execute<{ verdict: string; asExpected?: boolean; invariant?: string; sourceNote?: string; args: { sources: string[] }; message?: string }>(
    'racelens.runRace', [{ scenario: 'truncate-vs-writeback', era: '5.9' }]);
  assert.notEqual(r.verdict, 'error', r.message);
  assert.deepEqual([r.verdict, r.invariant, r.asExpected], ['violated', 'freed-under-writeback', true]);
  assert.deepEqual(r.args.sources, [], 'no 6.1 source mixed into a 5.9 run');
  assert.equal(r.sourceNote, 'ran on the built-in models of era 5.9: the workspace is the Linux 6.1 tree, not 5.9');
  // the tree's own release, and its overlays, run on the tree
  const own = await lsp.execute<{ verdict: string; sourceNote?: string; args: { sources: string[] } }>('racelens.runRace', [{ scenario: 'truncate-vs-writeback', era: '6.1+early-unlock' }]);
  assert.deepEqual(own.args.sources, [tree]);
  assert.equal(own.sourceNote, undefined);
});
