/**
 * Lifting never throws: every function of the real mm/ and fs/ (Debian's
 * linux-source-6.1, extracted by `npm run kernel` into a cache outside the
 * repository) goes through the lifter, and the outcomes are counted. Skipped, with a
 * message, when the tree is not there.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileSource } from 'racelens-server/out/lift/index.js';
import { findKernelTree, skipWithoutTree } from './tree.js';

/**
 * A parse tree's native memory is released by a finalizer that runs from the event
 * loop: 2 000 files parsed in one synchronous loop held 3.5 GB. Yielding every few
 * dozen files lets the finalizers run (about 300 MB then).
 */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const FOUND = findKernelTree();
const TREE = FOUND ?? '';

function cFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) cFiles(p, out);
    else if (/\.[ch]$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('the real 6.1 mm/ and fs/', { skip: skipWithoutTree(FOUND) }, async () => {
  it('every function goes through the lifter without an exception, within a time bound per file', async () => {
    const files = [...cFiles(path.join(TREE, 'mm')), ...cFiles(path.join(TREE, 'fs'))];
    const counts = { clean: 0, notes: 0, failed: 0 };
    let slowest = { ms: 0, file: '' };
    const started = Date.now();
    for (const [i, file] of files.entries()) {
      if (i % 50 === 49) await yieldToEventLoop();
      const t = Date.now();
      const unit = compileSource(fs.readFileSync(file, 'utf8'), file);
      const ms = Date.now() - t;
      if (ms > slowest.ms) slowest = { ms, file };
      for (const fn of unit.functions.values()) counts[fn.status]++;
    }
    const total = counts.clean + counts.notes + counts.failed;
    console.log(`lifted ${total} functions of ${files.length} files in ${Date.now() - started} ms: ` +
      `${counts.clean} clean, ${counts.notes} with notes, ${counts.failed} fell back; slowest file ${slowest.ms} ms (${path.relative(TREE, slowest.file)})`);
    assert.ok(files.length > 1500);
    assert.ok(total > 30000);
    assert.ok(counts.clean > total / 3, 'at least a third of the functions lift clean');
    assert.ok(slowest.ms < 10_000, 'no file takes more than 10 s');
  });

  it('the writeback functions of the seed races lift without falling back', () => {
    const want: Record<string, string> = {
      folio_clear_dirty_for_io: 'mm/page-writeback.c', folio_mark_dirty: 'mm/page-writeback.c',
      write_cache_pages: 'mm/page-writeback.c', folio_end_writeback: 'mm/filemap.c',
      folio_wait_writeback: 'mm/page-writeback.c', block_dirty_folio: 'fs/buffer.c',
      truncate_inode_pages_range: 'mm/truncate.c',
    };
    for (const [fn, file] of Object.entries(want)) {
      const unit = compileSource(fs.readFileSync(path.join(TREE, file), 'utf8'), file, { only: new Set([fn]) });
      const lifted = unit.functions.get(fn);
      assert.ok(lifted, `${fn} is found in ${file}`);
      assert.notEqual(lifted!.status, 'failed', `${fn}: ${lifted!.program.notes.map((n) => n.what).join('; ')}`);
    }
  });
});
