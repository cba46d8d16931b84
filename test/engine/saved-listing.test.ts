/**
 * A kernel tree's listing kept between runs (catalog/saved-listing.ts): a later run over
 * an unchanged tree reads no folder and evaluates no Makefile, and every change that
 * makes a different listing is seen: a file added to a folder, a Makefile that now
 * builds a file, a Makefile that appears beside a Kbuild file.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import type { SourceStats } from 'racelens-server/out/catalog/source-files.js';
import { Workspace } from 'racelens-server/out/workspace/workspace.js';
import { tmpTree } from '../kernel/tree.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));


it('a saved listing answers while the tree is unchanged, and not once a folder or a Makefile changed', async () => {
  const root = tmpTree({
    'Makefile': 'VERSION = 6\nPATCHLEVEL = 1\n',
    'include/linux/types.h': 'struct page;\n',
    'mm/Makefile': 'obj-y += caller.o\nobj-$(CONFIG_LISTING_B) += b.o\n',
    'mm/caller.c': 'int listing_caller(void)\n{\n\treturn listing_helper() + listing_other();\n}\n',
    // not built under this configuration: its listing_helper is no candidate
    'mm/b.c': 'int listing_helper(void)\n{\n\treturn 1;\n}\n',
    'drivers/Makefile': 'obj-y += bar/\n',
    'drivers/bar/Kbuild': 'obj-y += bar.o\n',
    'drivers/bar/bar.c': 'int bar_thing(void)\n{\n\treturn 3;\n}\n',
    'test.config': 'CONFIG_64BIT=y\nCONFIG_SMP=y\n# CONFIG_LISTING_B is not set\n',
  });
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-listing-cache-'));
  const configFile = path.join(root, 'test.config');
  const run = (workspace?: Workspace): { stats: SourceStats & { notBuilt: number }; from: (name: string) => string | undefined } => {
    const stats = {} as SourceStats & { notBuilt: number };
    const set = sourceModelSet('6.1', [root], { roots: ['listing_caller', 'bar_thing'], cache, stats, configFile, filesystems: ['nobh'], ...(workspace ? { workspace } : {}) });
    assert.equal(set.functions.get('listing_caller')?.from, 'source');
    return { stats, from: (name) => set.functions.get(name)?.file };
  };
  try {
    // a listing with a folder or Makefile changed in the last 10 s is not kept: let the tree age
    await sleep(10_500);
    const first = run();
    assert.equal(first.stats.listingsFromCache, 0);
    assert.equal(first.stats.notBuilt, 1);
    assert.equal(first.from('listing_helper'), undefined);
    assert.match(first.from('bar_thing') ?? '', /bar\.c$/);
    const saved = fs.readdirSync(fs.readdirSync(cache).map((b) => path.join(cache, b, 'trees')).find((d) => fs.existsSync(d))!);
    assert.ok(saved.some((f) => f.endsWith('.listing.json')), `a listing is saved: ${saved.join(', ')}`);

    const warm = run();
    assert.equal(warm.stats.listingsFromCache, 1, 'the unchanged tree is not walked again');
    assert.equal(warm.stats.notBuilt, 1);
    assert.equal(warm.stats.files, first.stats.files);
    assert.match(warm.from('bar_thing') ?? '', /bar\.c$/);

    // a damaged listing is no listing: the tree is walked again, and the listing written anew
    const listingFile = (): string => {
      const trees = fs.readdirSync(cache).map((b) => path.join(cache, b, 'trees')).find((d) => fs.existsSync(d))!;
      return path.join(trees, fs.readdirSync(trees).find((f) => f.endsWith('.listing.json'))!);
    };
    const good = fs.readFileSync(listingFile(), 'utf8');
    for (const damaged of ['{"magic": "racelens-listing-v1"', good.replace(/"dirs":\[\[/, '"dirs":[[7,null],[')]) {
      fs.writeFileSync(listingFile(), damaged);
      const again = run();
      assert.equal(again.stats.listingsFromCache, 0);
      assert.equal(again.stats.files, first.stats.files);
      assert.equal(run().stats.listingsFromCache, 1, 'written anew');
    }

    // an editor with a file of the listing open: the saved listing still serves
    const editor = new Workspace([root]);
    editor.setOverlay(path.join(root, 'mm', 'caller.c'), 'int listing_caller(void)\n{\n\treturn listing_helper() + listing_other();\n}\n', 1);
    assert.equal(run(editor).stats.listingsFromCache, 1);
    // a new file, not saved yet: the walk lists it, and that listing is not kept for the disk
    editor.setOverlay(path.join(root, 'mm', 'unsaved.h'), 'static inline int listing_other(void)\n{\n\treturn 2;\n}\n', 1);
    const unsaved = run(editor);
    assert.equal(unsaved.stats.listingsFromCache, 0);
    assert.match(unsaved.from('listing_other') ?? '', /unsaved\.h$/);
    const disk = run();
    assert.equal(disk.stats.listingsFromCache, 1, 'the listing saved from the disk still serves');
    assert.equal(disk.from('listing_other'), undefined);

    // the Makefile now builds b.c: no folder changed (an edit in place), only the Makefile did
    fs.writeFileSync(path.join(root, 'mm', 'Makefile'), 'obj-y += caller.o b.o\n');
    const built = run();
    assert.equal(built.stats.listingsFromCache, 0);
    assert.equal(built.stats.notBuilt, 0);
    assert.match(built.from('listing_helper') ?? '', /b\.c$/);

    // a Makefile appears beside drivers/bar/Kbuild and builds nothing: make reads it first
    fs.writeFileSync(path.join(root, 'drivers', 'bar', 'Makefile'), 'obj-$(CONFIG_LISTING_B) += bar.o\n');
    const shadowed = run();
    assert.equal(shadowed.stats.listingsFromCache, 0);
    assert.equal(shadowed.from('bar_thing'), undefined);
    // a file added to a folder the walk read: the folder's timestamps moved
    fs.writeFileSync(path.join(root, 'mm', 'other.h'), 'static inline int listing_other(void)\n{\n\treturn 2;\n}\n');
    const added = run();
    assert.equal(added.stats.listingsFromCache, 0);
    assert.match(added.from('listing_other') ?? '', /other\.h$/);

  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});
