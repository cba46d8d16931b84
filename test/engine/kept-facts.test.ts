/**
 * The program facts' answers kept between runs (sim/kept-facts.ts, catalog/facts-cache.ts):
 * a run over a kept model set reads back what an earlier run over the same inputs
 * worked out and explores exactly what that run explored; an edit to the source gives
 * the set, hence the facts, another key, and the verdict the edit calls for; a damaged
 * file is a miss.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runScenario, scenarioMachine, scenarioRoots } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { Workspace } from 'racelens-server/out/workspace/workspace.js';
import { builtinRace, kernelFixture } from './fixtures.js';

import { sleep, tmp } from './temp-dirs.js';

const factsFiles = (cache: string): string[] =>
  fs.readdirSync(cache).map((b) => path.join(cache, b, 'facts')).filter((d) => fs.existsSync(d)).flatMap((d) => fs.readdirSync(d).map((f) => path.join(d, f)));

it('kept facts answer the next run exactly, an edit to the source is not answered by them, and a damaged file is a miss', async () => {
  const { race, file } = builtinRace('mmap-dirty-lost');
  const src = tmp('facts-src');
  const cache = tmp('facts-cache');
  const fn = path.join(src, 'page-writeback.c');
  fs.copyFileSync(path.join(kernelFixture('folio-cpdfio-fixed'), 'page-writeback.c'), fn);
  // a listing with a file changed in the last 10 s is not kept (nor, then, its facts): let it age
  await sleep(10_500);
  // each run as a new CLI process sees it: a fresh workspace, the set read back from the cache
  const models = (c: string | false = cache) => sourceModelSet('6.1', [src], { roots: scenarioRoots(race), cache: c, workspace: new Workspace([src]) });
  const run = (c: string | false = cache) => runScenario({ race, file, eraSpec: '6.1', models: models(c) });
  const counts = (r: ReturnType<typeof run>) => [r.verdict, r.invariant, r.executions, r.states, r.violations];

  const first = run();
  assert.equal(first.verdict, 'holds', first.message);
  assert.equal(factsFiles(cache).length, 1, 'the facts the run worked out are kept');
  // the next run: the answers are there before the search asks
  const kept = scenarioMachine({ race, file, eraSpec: '6.1', models: models() }).machine.facts.kept;
  assert.ok(kept && kept.branches.size > 0 && kept.mayRemove !== undefined, 'answers read back');
  const second = run();
  assert.deepEqual(counts(second), counts(first));
  assert.deepEqual(counts(run(false)), counts(first), 'the same as a run with no cache at all');

  // the source forgets folio_mkclean(): a new set, new facts, and the violation
  fs.copyFileSync(path.join(kernelFixture('folio-cpdfio-nomkclean'), 'page-writeback.c'), fn);
  await sleep(10_500);
  const edited = run();
  assert.equal(edited.verdict, 'violated', edited.message);
  assert.equal(edited.invariant, 'sync-durability');
  assert.deepEqual(counts(edited), counts(run(false)));
  assert.equal(factsFiles(cache).length, 2, 'the edited source\'s facts are kept under a key of their own');
  assert.deepEqual(counts(run()), counts(edited), 'and read back for it');

  // damaged: a changed body without its checksum is a miss, and the answers are worked out again
  for (const f of factsFiles(cache)) fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('"mayRemove":', '"mayRemove" :'));
  const damaged = scenarioMachine({ race, file, eraSpec: '6.1', models: models() }).machine.facts.kept;
  assert.ok(damaged && damaged.branches.size === 0 && damaged.mayRemove === undefined, 'nothing read from a damaged file');
  assert.deepEqual(counts(run()), counts(edited));
});
