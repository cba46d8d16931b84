/**
 * O_DIRECT through iomap from the tree (issue 16, items 5 and 9). On the whole 6.1 and
 * 6.12 trees (skipped without them) dio-mmap-uptodate's O_DIRECT write goes through the
 * file's ->write_iter: ext4_file_write_iter() → ext4_dio_write_iter() (the inode lock,
 * the write checks) → iomap_dio_rw() → __iomap_dio_rw(), whose write-and-wait and
 * invalidation of the page cache (6.12: kiocb_invalidate_pages(); 6.1 in line) run from
 * the tree, as does the fallback to buffered I/O when the invalidation fails. Below it
 * the extent walk (iomap_iter) and the bios (iomap_dio_bio_iter) are stated boundaries.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResult } from 'racelens-server/out/scenario/index.js';
import { findStep, runBuiltin } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { runOnTree as runTree } from './run-on-tree.js';
import { edited } from './tree-copy.js';

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-dio-'));

function runOnTree(tree: string, extra: string[] = []): RunResult {
  return runTree('dio-mmap-uptodate', tree, CACHE, extra);
}

/** The chain from ext4's ->write_iter to the direct write, run from the tree on both releases. */
const FROM_SOURCE = ['ext4_file_write_iter', 'ext4_dio_write_iter', 'ext4_dio_write_checks', 'iomap_dio_rw', '__iomap_dio_rw',
  'iomap_dio_iter', 'iomap_dio_complete', 'filemap_write_and_wait_range', 'invalidate_inode_pages2_range', 'invalidate_complete_folio2'];

/** 6.12 moved the write-and-wait and the invalidation into mm/filemap.c helpers (6.6). */
const FROM_SOURCE_612 = ['kiocb_invalidate_pages', 'filemap_invalidate_pages', 'kiocb_invalidate_post_direct_write', 'ext4_dio_write_end_io'];

/** Where the model stops: each said as builtin-over-source with the tree's place. */
const BOUNDARY = ['iomap_iter', 'iomap_dio_bio_iter', 'ext4_should_use_dio', 'ext4_overwrite_io', 'ext4_buffered_write_iter'];

/** The line of `text` in the tree's file (1-based). */
function lineOf(tree: string, file: string, text: string): number {
  const src = fs.readFileSync(path.join(tree, file), 'utf8');
  const at = src.indexOf(text);
  assert.ok(at >= 0, `${file} has ${text}`);
  return src.slice(0, at).split('\n').length;
}

describe('the built-in eras keep their O_DIRECT verdicts', () => {
  it('dio-mmap-uptodate: 2.6.9 violated, 2.6.11 holds (->direct_IO, no file_operations in the built-ins)', () => {
    const old = runBuiltin('dio-mmap-uptodate', '2.6.9');
    assert.equal(old.verdict, 'violated', old.message);
    assert.equal(runBuiltin('dio-mmap-uptodate', '2.6.11').verdict, 'holds');
    const ran = (fn: string): number => old.coverage?.find((c) => c.function === fn)?.executed.length ?? 0;
    assert.ok(ran('generic_file_direct_IO') > 0 && ran('dio_write_iter') === 0, 'the built-in eras write through generic_file_direct_IO');
  });
});

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const why = skipWithoutTree(tree, `O_DIRECT through iomap from the real ${release} tree`, release);
  describe(`O_DIRECT through iomap from the real ${release} tree`, { skip: why }, () => {
    afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

    it('dio-mmap-uptodate holds with ext4_dio_write_iter → __iomap_dio_rw from the tree, the boundaries said', () => {
      const r = runOnTree(tree!);
      assert.equal(r.verdict, 'holds', r.message);
      for (const fn of [...FROM_SOURCE, ...(release === '6.12' ? FROM_SOURCE_612 : [])]) {
        assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from source`);
      }
      for (const fn of BOUNDARY) {
        assert.equal(r.models.find((m) => m.function === fn)?.from, 'builtin', `${fn} is a stated boundary`);
        const said = r.assumptions.find((a) => a.kind === 'builtin-over-source' && a.message.startsWith(`${fn}:`));
        assert.ok(said, `${fn} said in the assumptions`);
        assert.match(said.message, /runs instead of the source at .*fs\/(ext4|iomap)\/[\w-]+\.[ch]:\d+/, said.message);
      }
      // the stand-in of the ->direct_IO era is gone: ext4 writes through iomap, as the tree does
      const ran = (fn: string): number => r.coverage?.find((c) => c.function === fn)?.executed.length ?? 0;
      assert.equal(ran('generic_file_direct_IO') + ran('blockdev_direct_write'), 0);
      assert.ok(ran('dio_write_iter') > 0 && ran('__iomap_dio_rw') > 0);
      assert.ok(!r.assumptions.some((a) => /blockdev_direct_write|noop_direct_IO/.test(a.message)));
      assert.ok(!r.assumptions.some((a) => a.kind === 'unknown-call' && /IS_NOSEC|IS_DAX|IS_SYNC|ext4_|iomap/.test(a.message)),
        JSON.stringify(r.assumptions.filter((a) => a.kind === 'unknown-call').map((a) => a.message)));
    });

    it('a failed invalidation falls back to buffered I/O, from the tree (-ENOTBLK)', () => {
      // munmap's zap moves the user's dirty PTE into the folio after the write-and-wait:
      // invalidate_inode_pages2_range() cannot drop it, __iomap_dio_rw() returns -ENOTBLK
      // and ext4_dio_write_iter() writes the block through the page cache instead
      const r = runOnTree(tree!);
      const dio = r.coverage?.find((c) => c.function === '__iomap_dio_rw');
      const notblk = lineOf(tree!, 'fs/iomap/direct-io.c', '\t\t\tret = -ENOTBLK;');
      assert.ok(dio?.executed.includes(notblk), `__iomap_dio_rw's -ENOTBLK (line ${notblk}) ran: ${JSON.stringify(dio)}`);
      const fallback = r.coverage?.find((c) => c.function === 'ext4_buffered_write_iter');
      assert.ok((fallback?.executed.length ?? 0) > 0, 'the fallback ran');
      const after = lineOf(tree!, 'fs/ext4/file.c', '\t\terr = filemap_write_and_wait_range(iocb->ki_filp->f_mapping,');
      assert.ok(r.coverage?.find((c) => c.function === 'ext4_dio_write_iter')?.executed.includes(after), 'the fallback\'s range written back from the tree');
    });

    it('a sentinel BUG() in __iomap_dio_rw and in ext4_dio_write_iter fires', () => {
      for (const [file, fn] of [['fs/iomap/direct-io.c', '__iomap_dio_rw'], ['fs/ext4/file.c', 'ext4_dio_write_iter']] as const) {
        const copy = edited(tree!, file, new RegExp(`(\\n(?:static ssize_t )?${fn}\\([^{;]*\\)\\n\\{\\n)`), '$1\tBUG();\n');
        const r = runOnTree(tree!, [copy]);
        assert.equal(r.verdict, 'violated', `${fn}: ${r.message}`);
        assert.equal(r.invariant, 'bug-on', fn);
        assert.match(r.message ?? '', new RegExp(`BUG\\(\\) fired in ${fn}`));
      }
    });

    it('without the invalidation before the write, the old data the munmap dirtied is written over the O_DIRECT data (stale-overwrite)', () => {
      const copy = release === '6.12'
        ? edited(tree!, 'fs/iomap/direct-io.c', '\t\tret = kiocb_invalidate_pages(iocb, iomi.len);', '\t\tret = kiocb_write_and_wait(iocb, iomi.len);')
        : edited(tree!, 'fs/iomap/direct-io.c', /\t\tif \(invalidate_inode_pages2_range\(mapping,\n\t\t\t\tiomi\.pos >> PAGE_SHIFT, end >> PAGE_SHIFT\)\) \{/, '\t\tif (0) {');
      const r = runOnTree(tree!, [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'stale-overwrite');
      const trace = r.trace ?? [];
      // the unmap dirties the folio with the user's v1; the O_DIRECT write puts v2 on disk;
      // the post-write invalidation cannot drop the dirty folio; the final sync writes v1 over it
      const dirty = findStep(trace, { cpu: 'P1', op: /set_buffer_dirty\(P\.0\)/ });
      const direct = findStep(trace, { cpu: 'P0', op: /^direct_io_write_block\(F, 0, 0\)/ });
      const over = findStep(trace, { op: /^bh_write_to_disk\(P\.0\)/ }, direct + 1);
      assert.ok(dirty >= 0 && direct >= 0 && over > direct, JSON.stringify(trace.map((t) => `${t.cpu} ${t.function} ${t.op}`)));
    });
  });
}
