/**
 * The names snapshot of a --src folder (catalog/tree-index.ts) answers only for the
 * listing it was made from: an edit to a header no run has read, which adds a
 * definition an edited caller now needs, is seen by the next run.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import type { SourceStats } from 'racelens-server/out/catalog/source-files.js';
import { Workspace } from 'racelens-server/out/workspace/workspace.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

it('a definition added to an unread header after the snapshot was made is found', async () => {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-snapshot-src-'));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-snapshot-cache-'));
  try {
    fs.writeFileSync(path.join(src, 'caller.c'), 'int snapshot_caller(void)\n{\n\treturn snapshot_helper();\n}\n');
    fs.writeFileSync(path.join(src, 'other.h'), 'static inline int unrelated(void)\n{\n\treturn 2;\n}\n');
    // a listing with a file changed in the last 10 s gets no snapshot: let the files age
    await sleep(10_500);
    const run = (): { stats: SourceStats; helper: string | undefined } => {
      const stats = {} as SourceStats;
      const set = sourceModelSet('6.1', [src], { roots: ['snapshot_caller'], cache, stats });
      assert.equal(set.functions.get('snapshot_caller')?.from, 'source');
      return { stats, helper: set.functions.get('snapshot_helper')?.from };
    };
    assert.equal(run().helper, undefined);
    const trees = fs.readdirSync(fs.readdirSync(cache).map((b) => path.join(cache, b, 'trees')).find((d) => fs.existsSync(d))!);
    assert.ok(trees.some((f) => f.endsWith('.names')), `a names snapshot is written: ${trees.join(', ')}`);
    const warm = run();
    assert.equal(warm.helper, undefined);
    assert.equal(warm.stats.filesRead, 0, 'a warm run reads no source file');
    // the header gains the helper; its folder's mtime does not move
    fs.appendFileSync(path.join(src, 'other.h'), '\nstatic inline int snapshot_helper(void)\n{\n\treturn 1;\n}\n');
    assert.equal(run().helper, 'source');
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

it('an open document over a file of the listing patches the snapshot: its own names count, the disk\'s do not', async () => {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-snapshot-src-'));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-snapshot-cache-'));
  try {
    fs.writeFileSync(path.join(src, 'caller.c'), 'int snapshot_caller(void)\n{\n\treturn snapshot_helper() + unrelated();\n}\n');
    fs.writeFileSync(path.join(src, 'other.h'), 'static inline int unrelated(void)\n{\n\treturn 2;\n}\n');
    await sleep(10_500);
    const workspace = new Workspace([src]);
    const run = (): { stats: SourceStats; helper: string | undefined; unrelated: string | undefined } => {
      const stats = {} as SourceStats;
      const set = sourceModelSet('6.1', [src], { roots: ['snapshot_caller'], cache, stats, workspace });
      return { stats, helper: set.functions.get('snapshot_helper')?.file, unrelated: set.functions.get('unrelated')?.file };
    };
    const first = run();
    assert.equal(first.helper, undefined);
    assert.match(first.unrelated ?? '', /other\.h$/);
    // the editor opens other.h: the helper appears and `unrelated` goes, on screen only
    const header = path.join(src, 'other.h');
    workspace.setOverlay(header, 'static inline int snapshot_helper(void)\n{\n\treturn 1;\n}\n', 1);
    const edited = run();
    assert.match(edited.helper ?? '', /other\.h$/);
    assert.equal(edited.unrelated, undefined);
    // the listing on disk is unchanged: the snapshot answered for every other file
    assert.equal(edited.stats.filesFromSnapshot, 1, 'caller.c from the snapshot, other.h from the editor');
    assert.equal(edited.stats.filesRead, 0, 'no file of the listing was read from disk');
    // closed again: the disk's names are back
    workspace.removeOverlay(header);
    const closed = run();
    assert.equal(closed.helper, undefined);
    assert.match(closed.unrelated ?? '', /other\.h$/);
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});
