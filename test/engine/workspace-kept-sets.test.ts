/**
 * A workspace that serves several runs (a review's side: one race after another over the
 * same tree) lists the tree once; the later runs' model sets are kept and read back like
 * the first's (catalog/source-files.ts keeps the listing's digests with the workspace's
 * memory of it), and an edit the workspace hears of is never answered by a set kept
 * before it.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import type { ModelSet } from 'racelens-server/out/catalog/models.js';
import { Workspace } from 'racelens-server/out/workspace/workspace.js';

import { sleep, tmp } from './temp-dirs.js';

/** The set's functions, each with where it came from and its program. */
function setData(s: ModelSet): unknown {
  return [...s.functions].map(([name, m]) => [name, m.from, m.file, m.line, JSON.stringify(m.program)]);
}

const keptSets = (cache: string): string[] =>
  fs.readdirSync(cache).map((b) => path.join(cache, b, 'sets')).filter((d) => fs.existsSync(d)).flatMap((d) => fs.readdirSync(d));

it('the second race over a workspace gets a kept set too, and an edit the workspace hears of builds it again', async () => {
  const src = tmp('wsets-src');
  const cache = tmp('wsets-cache');
  fs.writeFileSync(path.join(src, 'first.c'), 'int wsets_first(void)\n{\n\treturn wsets_helper();\n}\n');
  fs.writeFileSync(path.join(src, 'second.c'), 'int wsets_second(void)\n{\n\treturn wsets_helper() + wsets_missing();\n}\n');
  const helper = path.join(src, 'helper.h');
  fs.writeFileSync(helper, 'static inline int wsets_helper(void)\n{\n\treturn 1;\n}\n');
  // a listing with a file changed in the last 10 s is not kept: let the files age
  await sleep(10_500);
  const build = (roots: string[], workspace: Workspace | undefined, c: string | false = cache): ModelSet =>
    sourceModelSet('6.1', [src], { roots, cache: c, ...(workspace ? { workspace } : {}) });

  const one = new Workspace([src]);
  build(['wsets_first'], one);
  const second = build(['wsets_second'], one);
  assert.equal(keptSets(cache).length, 2, 'both races\' sets are kept, the second listed from the workspace\'s memory');
  assert.equal(second.functions.get('wsets_missing'), undefined);

  // another process: both read back, each the set a build without any cache gives
  const two = new Workspace([src]);
  assert.deepEqual(setData(build(['wsets_first'], two)), setData(build(['wsets_first'], undefined, false)));
  assert.deepEqual(setData(build(['wsets_second'], two)), setData(build(['wsets_second'], undefined, false)));
  assert.equal(keptSets(cache).length, 2, 'nothing new was kept: both were read back');

  // the helper gains the missing function; the workspace is told, as an editor's watcher tells it
  fs.writeFileSync(helper, 'static inline int wsets_helper(void)\n{\n\treturn 1;\n}\n\nstatic inline int wsets_missing(void)\n{\n\treturn 2;\n}\n');
  two.invalidate(helper);
  const edited = build(['wsets_second'], two);
  assert.match(edited.functions.get('wsets_missing')?.file ?? '', /helper\.h$/);
  // once the edit is old enough for sets to be kept again, the second race's set is
  // keyed by the new listing: built again, kept, and read back as the edit left it
  await sleep(10_500);
  two.invalidate(helper);
  build(['wsets_first'], two);
  const again = build(['wsets_second'], two);
  assert.match(again.functions.get('wsets_missing')?.file ?? '', /helper\.h$/);
  assert.deepEqual(setData(again), setData(build(['wsets_second'], undefined, false)));
  const three = new Workspace([src]);
  build(['wsets_first'], three);
  assert.deepEqual(setData(build(['wsets_second'], three)), setData(again));
});
