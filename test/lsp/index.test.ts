/**
 * The workspace index: `racelens index DIR --json` on a small kernel-shaped tree
 * (counts checked against the fixture), the default roots, and per-file invalidation
 * through workspace/didChangeWatchedFiles in the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { CLI, CPDFIO_2620, tempWorkspace } from './fixtures.js';
import { LspSession, positionOf } from './session.js';
import { scanText } from 'racelens-server/out/index/scan.js';
import { WorkspaceIndex } from 'racelens-server/out/index/workspace-index.js';
import { IndexThread } from 'racelens-server/out/index/index-thread.js';
import { indexRoots } from 'racelens-server/out/index/roots.js';

/** A buffer.c in kernel style: one catalog definition, catalog calls in code and in comments. */
const BUFFER_C = `// SPDX-License-Identifier: GPL-2.0
/* racelens test fixture: lock_page(page) in a comment is no call */
#include <linux/buffer_head.h>

static int
__block_write_full_page(struct inode *inode, struct page *page)
{
	set_page_writeback(page);	// set_page_writeback(page) again in a comment
	unlock_page(page);
	end_page_writeback(page);
	return 0;
}

int block_write_full_page(struct page *page);

#define lock_page_twice(p) lock_page(p)
`;

function indexJson(dir: string, extra: string[] = []): { files: number; parsedFiles: number; functions: number; mappedCallSites: number; ms: number } {
  const r = spawnSync(process.execPath, [CLI, 'index', dir, '--json', ...extra], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('the text pass: definitions at column 0 in kernel style, calls with positions, comments, prototypes and macros skipped', () => {
  const s = scanText(BUFFER_C);
  assert.deepEqual(s.definitions.map((d) => [d.name, d.line, d.column]), [['__block_write_full_page', 5, 0]]);
  assert.deepEqual(s.calls.map((c) => [c.name, c.line, c.column]), [['set_page_writeback', 7, 1], ['unlock_page', 8, 1], ['end_page_writeback', 9, 1]]);
});

test('racelens index --json: mm, fs and include/linux of a tree, with the catalog call sites they hold', () => {
  const ws = tempWorkspace();
  try {
    ws.write('mm/page-writeback.c', CPDFIO_2620);
    ws.write('fs/buffer.c', BUFFER_C);
    ws.write('include/linux/pagemap.h', 'static inline void folio_wait_writeback(struct folio *folio)\n{\n\tfolio_wait_bit(folio, PG_writeback);\n}\n');
    ws.write('drivers/gpu/x.c', 'void f(void)\n{\n\tlock_page(p);\n}\n');
    const r = indexJson(ws.dir);
    assert.deepEqual({ ...r, ms: 0 }, { files: 3, parsedFiles: 3, functions: 3, mappedCallSites: 4 + 3 + 1, ms: 0 });
    // --root picks other folders
    assert.equal(indexJson(ws.dir, ['--root', 'drivers']).mappedCallSites, 1);
    // a folder that is no kernel tree is indexed whole
    assert.equal(indexJson(ws.file('drivers')).files, 1);
    const bad = spawnSync(process.execPath, [CLI, 'index', ws.file('nowhere'), '--json'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /nowhere: no such file or directory/);
  } finally {
    ws.remove();
  }
});

test('didChangeWatchedFiles re-indexes the changed files only: a definition that moved is found where it went', async () => {
  const ws = tempWorkspace();
  const cache = tempWorkspace('racelens-lsp-cache-');
  const lsp = new LspSession({}, { RACELENS_LIFT_CACHE: cache.dir });
  try {
    ws.write('mm/page-writeback.c', CPDFIO_2620);
    await lsp.initialize(ws.uri);
    const race = 'race t "calls"\nera 2.6.20\nsetup {\n  file F { page P index 0 uptodate dirty }\n}\nP0 w { lock_page(P); clear_page_dirty_for_io(P); unlock_page(P) }\ncheck bug-on\n';
    const uri = ws.fileUri('t.race');
    await lsp.open(uri, 'race', race);
    const at = positionOf(race, 'clear_page_dirty_for_io', 0, 2);
    const defined = async (): Promise<string[]> => {
      const r = await lsp.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/definition', { textDocument: { uri }, position: at });
      return r.map((x) => `${x.uri.startsWith(ws.uri) ? x.uri.slice(ws.uri.length + 1) : x.uri}:${x.range.start.line}`);
    };
    for (let i = 0; i < 100 && !lsp.notifications.some((n) => n.method === 'racelens/indexProgress' && (n.params as { done: boolean }).done); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const progress = lsp.notifications.filter((n) => n.method === 'racelens/indexProgress').map((n) => n.params as { files: number; indexedFiles: number; done: boolean });
    assert.deepEqual(progress[progress.length - 1], { ...progress[progress.length - 1], files: 1, indexedFiles: 1, done: true });
    assert.deepEqual(await defined(), ['mm/page-writeback.c:4']);

    // the function moves to a new file
    fs.writeFileSync(ws.file('mm/page-writeback.c'), '/* moved */\n');
    ws.write('mm/dirty.c', `\n\n${CPDFIO_2620}`);
    await lsp.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: ws.fileUri('mm/page-writeback.c'), type: 2 }, { uri: ws.fileUri('mm/dirty.c'), type: 1 }],
    });
    assert.deepEqual(await defined(), ['mm/dirty.c:6']);
    fs.rmSync(ws.file('mm/dirty.c'));
    await lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ws.fileUri('mm/dirty.c'), type: 3 }] });
    const builtin = await defined();
    assert.equal(builtin.length, 1);
    assert.match(builtin[0], /^racelens-builtin:\/models\//, 'with no definition left in the workspace, the built-in model');
  } finally {
    await lsp.shutdown();
    ws.remove();
    cache.remove();
  }
});

test('the server\'s index in a worker thread: the same definitions, call sites and counts as the CLI\'s pass on one thread; an open document\'s text wins over the worker\'s read of the disk', async () => {
  const ws = tempWorkspace();
  const thread = new IndexThread();
  try {
    ws.write('mm/page-writeback.c', CPDFIO_2620);
    ws.write('fs/buffer.c', BUFFER_C);
    ws.write('include/linux/pagemap.h', 'static inline void folio_wait_writeback(struct folio *folio)\n{\n\tfolio_wait_bit(folio, PG_writeback);\n}\n');
    const roots = indexRoots(ws.dir, []);
    const here = new WorkspaceIndex(roots);
    here.buildSync();
    here.confirmDefinitionsSync();
    // the open buffer.c defines block_write_full_page where the disk's has a prototype
    const buffer = ws.file('fs/buffer.c');
    const opened = BUFFER_C.replace('int block_write_full_page(struct page *page);', 'int block_write_full_page(struct page *page)\n{\n\tlock_page(page);\n\treturn 0;\n}');
    const there = new WorkspaceIndex(roots, (p) => (p === buffer ? opened : fs.readFileSync(p, 'utf8')));
    const progress: { indexedFiles: number; done: boolean }[] = [];
    const built = there.build((p) => progress.push(p), thread);
    // opened while the worker scans: this thread's scan of the open text is kept
    there.invalidate(buffer);
    await built;
    await there.confirmDefinitions(undefined, undefined, thread);
    assert.deepEqual({ ...there.stats(), ms: 0 }, { ...here.stats(), functions: here.stats().functions + 1, mappedCallSites: here.stats().mappedCallSites + 1, ms: 0 });
    for (const name of ['clear_page_dirty_for_io', 'folio_wait_writeback', 'set_page_writeback', 'end_page_writeback']) {
      assert.deepEqual(there.definitionsOf(name), here.definitionsOf(name), name);
      assert.deepEqual(there.callSitesOf(name), here.callSitesOf(name), name);
    }
    // the open text's definition (line 14, 1-based), besides the disk's one of __block_write_full_page
    const sites = (ix: WorkspaceIndex): string[] => ix.definitionsOf('block_write_full_page').map((d) => `${d.site.name}:${d.site.line}`).sort();
    assert.deepEqual(sites(there), [...sites(here), 'block_write_full_page:13'].sort());
    assert.equal(progress.at(-1)?.done, true);
    assert.equal(progress.at(-1)?.indexedFiles, 3);
  } finally {
    thread.dispose();
    ws.remove();
  }
});
