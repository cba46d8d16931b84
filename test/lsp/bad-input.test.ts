/**
 * Bad input never kills the server: truncated and binary C files, a 10 MB generated C
 * file, a .race file of random bytes, edits that leave a file unparsable and a
 * thousand edits in a burst each get a diagnostic or an empty answer, the next request
 * is answered, and the server's memory comes back after the burst.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { CPDFIO_2620, functionSpan, tempWorkspace, type TempWorkspace } from './fixtures.js';
import { LspSession, positionOf } from './session.js';

let ws: TempWorkspace;
let cache: TempWorkspace;
let lsp: LspSession;

/** A C file of `bytes` bytes: many small functions, one of them calling a catalog function. */
function generatedC(bytes: number): string {
  const parts: string[] = ['/* generated for the racelens robustness test */\n'];
  let size = parts[0].length;
  for (let i = 0; size < bytes; i++) {
    const f = `static int generated_${i}(struct page *page)\n{\n\tint x = ${i};\n\tif (x & 1)\n\t\tlock_page(page);\n\treturn x * 2;\n}\n\n`;
    parts.push(f);
    size += f.length;
  }
  return parts.join('');
}

/** Asks something simple and checks the server answered it right. */
async function stillAnswers(): Promise<void> {
  const uri = ws.fileUri('mm/page-writeback.c');
  const h = await lsp.hover(uri, positionOf(CPDFIO_2620, 'page_mkclean(page)', 0, 2));
  assert.match(h!.contents.value, /page\\?_mkclean/);
  assert.ok(lsp.alive, 'the server process is alive');
}

before(async () => {
  ws = tempWorkspace();
  cache = tempWorkspace('racelens-lsp-cache-');
  ws.write('mm/page-writeback.c', CPDFIO_2620);
  // bad files on disk too: the index walks them
  ws.write('mm/binary.c', crypto.randomBytes(64 * 1024));
  ws.write('mm/truncated.c', CPDFIO_2620.slice(0, CPDFIO_2620.indexOf('page_mkclean') + 5));
  lsp = new LspSession({}, { RACELENS_LIFT_CACHE: cache.dir });
  await lsp.initialize(ws.uri);
  await lsp.open(ws.fileUri('mm/page-writeback.c'), 'c', CPDFIO_2620);
});

after(async () => {
  assert.equal(await lsp.shutdown(), 0, lsp.stderr.join(''));
  ws.remove();
  cache.remove();
});

test('a truncated C file: hover and lenses answer from what is there', async () => {
  const text = CPDFIO_2620.slice(0, CPDFIO_2620.indexOf('page_mkclean') + 5);
  const uri = ws.fileUri('mm/truncated.c');
  await lsp.open(uri, 'c', text);
  const lenses = await lsp.codeLens(uri);
  // cut off in its body, the function is no definition to tree-sitter: no lens to run
  assert.deepEqual(lenses, []);
  const h = await lsp.hover(uri, positionOf(text, 'clear_page_dirty_for_io(struct', 0, 2));
  assert.match(h!.contents.value, /clear\\?_page\\?_dirty\\?_for\\?_io/);
  await stillAnswers();
});

test('a binary file opened as C: empty answers', async () => {
  const uri = ws.fileUri('mm/binary.c');
  const bytes = crypto.randomBytes(64 * 1024).toString('latin1');
  await lsp.open(uri, 'c', bytes);
  assert.deepEqual(await lsp.codeLens(uri), []);
  assert.equal(await lsp.hover(uri, { line: 0, character: 3 }), null);
  await stillAnswers();
});

test('a 10 MB generated C file: lenses and hovers answer', async () => {
  const text = generatedC(10 * 1024 * 1024);
  const uri = ws.fileUri('mm/generated.c');
  await lsp.open(uri, 'c', text);
  assert.deepEqual(await lsp.codeLens(uri), [], 'no catalog function is defined there');
  const at = positionOf(text, 'lock_page(page)', 0, 2);
  const h = await lsp.hover(uri, at);
  assert.match(h!.contents.value, /lock\\?_page/);
  await lsp.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await stillAnswers();
});

test('a .race file of random bytes gets one diagnostic, and no lenses', async () => {
  const uri = ws.fileUri('random.race');
  await lsp.open(uri, 'race', crypto.randomBytes(4096).toString('latin1'));
  const d = await lsp.diagnosticsOf(uri, (x) => x.length > 0);
  assert.equal(d.length, 1);
  assert.equal(d[0].code, 'binary-data');
  assert.deepEqual(await lsp.codeLens(uri), []);
  const symbols = await lsp.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.ok(Array.isArray(symbols));
  await stillAnswers();
});

test('edits that leave the file unparsable: answers, and a run says what went wrong', async () => {
  const uri = ws.fileUri('mm/edited.c');
  let text = CPDFIO_2620;
  await lsp.open(uri, 'c', text);
  const span = functionSpan(text, 'clear_page_dirty_for_io');
  const bodyStart = text.indexOf('{', span.start);
  const at = positionOf(text, '{', span.start);
  await lsp.change(uri, 2, [{ range: { start: at, end: at }, text: '}}}{{{((( #if' }]);
  text = text.slice(0, bodyStart) + '}}}{{{((( #if' + text.slice(bodyStart);
  const lenses = await lsp.codeLens(uri);
  assert.ok(Array.isArray(lenses));
  const h = await lsp.hover(uri, positionOf(text, 'page_mkclean(page)', 0, 2));
  assert.ok(h === null || /page\\?_mkclean/.test(h.contents.value));
  const r = await lsp.execute<{ verdict: string }>('racelens.runRace', [{ scenario: 'mmap-dirty-lost', uri, function: 'clear_page_dirty_for_io' }]);
  assert.ok(['holds', 'violated', 'error', 'incomplete'].includes(r.verdict));
  await stillAnswers();
});

test('a thousand edits in a burst: the text stays right, the next request is answered, memory comes back', async () => {
  const uri = ws.fileUri('mm/burst.c');
  let text = CPDFIO_2620;
  await lsp.open(uri, 'c', text);
  // warm up: one tree, one description, one lens list
  await lsp.codeLens(uri);
  await lsp.hover(uri, positionOf(text, 'page_mkclean(page)', 0, 2));
  await new Promise((r) => setTimeout(r, 300));
  const before = lsp.rssKb();
  const insertAt = positionOf(text, 'struct address_space *mapping');
  const offset = text.indexOf('struct address_space *mapping');
  let version = 2;
  const sent: Promise<void>[] = [];
  for (let i = 0; i < 1000; i++) {
    // type a comment character by character, then delete half of it again
    const ch = i < 700 ? String.fromCharCode(97 + (i % 26)) : '';
    if (i === 0) {
      sent.push(lsp.change(uri, version++, [{ range: { start: insertAt, end: insertAt }, text: '/* ' }]));
    }
    if (ch) {
      const col = insertAt.character + 3 + i;
      sent.push(lsp.change(uri, version++, [{ range: { start: { line: insertAt.line, character: col }, end: { line: insertAt.line, character: col } }, text: ch }]));
    } else {
      const col = insertAt.character + 3 + 700 - (i - 700) - 1;
      sent.push(lsp.change(uri, version++, [{ range: { start: { line: insertAt.line, character: col }, end: { line: insertAt.line, character: col + 1 } }, text: '' }]));
    }
  }
  await Promise.all(sent);
  let typed = '';
  for (let i = 0; i < 700; i++) typed += String.fromCharCode(97 + (i % 26));
  typed = typed.slice(0, 400);
  text = text.slice(0, offset) + '/* ' + typed + text.slice(offset);
  // the comment is still open: the next request is answered all the same
  await lsp.hover(uri, positionOf(text, 'page_mkclean(page)', 0, 2));
  const close = positionOf(text, typed, 0, typed.length);
  await lsp.change(uri, version++, [{ range: { start: close, end: close }, text: ' */' }]);
  text = text.slice(0, offset + 3 + typed.length) + ' */' + text.slice(offset + 3 + typed.length);
  const h = await lsp.hover(uri, positionOf(text, 'page_mkclean(page)', 0, 2));
  assert.match(h!.contents.value, /page\\?_mkclean/);
  const lenses = await lsp.codeLens(uri);
  assert.ok(lenses.some((l) => /^▶ \d+ races/.test(l.command!.title)), JSON.stringify(lenses.map((l) => l.command!.title)));
  assert.deepEqual(lenses[0].range.start, positionOf(text, 'clear_page_dirty_for_io(struct'));
  await new Promise((r) => setTimeout(r, 500));
  const after = lsp.rssKb();
  assert.ok(after <= before * 1.1, `RSS ${before} kB before the burst, ${after} kB after`);
});
