/**
 * Patch documents in the language server: a lens above each hunk that touches a race
 * function; clicking it reviews the document (in a child process) and the lens then
 * says before → after. On seed 001 (a .patch document) over the 2.6.19 models, and on an
 * untitled document holding a diff. Skipped, with a message, when the seeds are absent.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspSession } from '../lsp/session.js';
import { ROOT } from '../cli/helpers.js';

const SEEDS = process.env.RACELENS_SEEDS ?? [path.resolve(ROOT, '..', 'shared', 'seeds'), path.resolve(ROOT, '..', '..', 'shared', 'seeds')].find((d) => fs.existsSync(d));
const SEED1 = SEEDS && fs.readdirSync(SEEDS).find((n) => n.startsWith('001_'));

describe('patch documents in the language server', () => {
  const lsp = new LspSession({ defaultEra: '2.6.19' });
  const ready = lsp.initialize(null);
  after(async () => {
    assert.equal(await lsp.shutdown(), 0, lsp.stderr.join(''));
  });

  it('an untitled document holding a diff: a lens above the hunk that touches a race function, none above the other', async () => {
    await ready;
    const uri = 'untitled:Untitled-7';
    const text = [
      '--- a/mm/page-writeback.c', '+++ b/mm/page-writeback.c',
      '@@ -10,3 +10,3 @@ int clear_page_dirty_for_io(struct page *page)', ' \tx = 1;', '-\ty = 2;', '+\ty = 3;', ' \tz = 4;',
      '@@ -90,3 +90,3 @@ static int nobody_calls_this(void)', ' \tx = 1;', '-\ty = 2;', '+\ty = 3;', ' \tz = 4;', '',
    ].join('\n');
    await lsp.open(uri, 'plaintext', text);
    const lenses = await lsp.codeLens(uri);
    assert.equal(lenses.length, 1, JSON.stringify(lenses));
    assert.equal(lenses[0].range.start.line, 2);
    assert.match(lenses[0].command!.title, /^▶ Review: \d+ races reach this hunk$/);
    assert.equal(lenses[0].command!.command, 'racelens.reviewPatch');
  });

  it('seed 001 as a .patch: the lens reviews it and then says lost-write ✗ → ✓ and sync-durability still ✗', { skip: SEED1 ? false : 'skipped: the seed threads are absent' }, async () => {
    await ready;
    const uri = 'file:///nonexistent/racelens-review/001.patch';
    await lsp.open(uri, 'diff', fs.readFileSync(path.join(SEEDS!, SEED1!), 'utf8'));
    const [lens] = await lsp.codeLens(uri);
    assert.ok(lens, 'a lens above the hunk');
    assert.equal(lens.range.start.line, 49);
    await lsp.execute(lens.command!.command, lens.command!.arguments ?? []);
    const titles = (await lsp.codeLens(uri)).map((l) => l.command!.title);
    const md = titles.find((t) => t.startsWith('mmap-dirty-lost 2.6.19:'));
    assert.ok(md, titles.join('\n'));
    assert.match(md!, /✗ lost-write → ✓ holds/);
    assert.match(md!, /✗ sync-durability → ✗ violated/);
    assert.match(md!, /\(fixes\)$/);
    // the races written for later releases are named once, not judged in 2.6.19
    assert.ok(titles.some((t) => /^\d+ not run in 2\.6\.19, older than their scenarios: .*truncate-vs-writeback/.test(t)), titles.join('\n'));
    assert.ok(!titles.some((t) => t.startsWith('truncate-vs-writeback 2.6.19')), titles.join('\n'));
  });

  it('hover on a changed function\'s name in the patch gives the C hover', { skip: SEED1 ? false : 'skipped: the seed threads are absent' }, async () => {
    await ready;
    const uri = 'file:///nonexistent/racelens-review/001-hover.patch';
    const text = fs.readFileSync(path.join(SEEDS!, SEED1!), 'utf8');
    await lsp.open(uri, 'diff', text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.startsWith('EXPORT_SYMBOL(clear_page_dirty_for_io)'));
    const h = await lsp.hover(uri, { line, character: 'EXPORT_SYMBOL('.length + 3 });
    assert.ok(h, 'a hover');
    assert.match(h!.contents.value, /clear\\_page\\_dirty\\_for\\_io/);
    assert.match(h!.contents.value, /mmap-dirty-lost/);
  });
});
