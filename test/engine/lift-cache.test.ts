/**
 * The persistent lift cache: a second run takes its lifts from the cache and parses
 * nothing; a file changed since (even to the same size and modification time) is
 * lifted again; corrupt, foreign or unwritable cache entries are ignored. Every run
 * here uses a temporary copy of a fixture and a temporary cache folder.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots } from 'racelens-server/out/scenario/run.js';
import { sourceModelSet, definitionIndex } from 'racelens-server/out/catalog/source-models.js';
import { LiftCache } from 'racelens-server/out/catalog/lift-cache.js';
import type { SourceStats } from 'racelens-server/out/catalog/source-files.js';
import { builtinRace } from './fixtures.js';

const FIXTURE = path.resolve(__dirname, '..', '..', 'fixtures', 'kernel', 'cache-wait', 'filemap.c');

const temporary: string[] = [];
after(() => { for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true }); });

function workspace(): { src: string; file: string; cache: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-cache-test-'));
  temporary.push(dir);
  const src = path.join(dir, 'src');
  fs.mkdirSync(src);
  const file = path.join(src, 'filemap.c');
  fs.copyFileSync(FIXTURE, file);
  return { src, file, cache: path.join(dir, 'cache') };
}

function modelSet(src: string, cache: string | false) {
  const { race } = builtinRace('writeback-stale-wake');
  const stats = {} as SourceStats;
  const models = sourceModelSet('5.10', [src], { roots: scenarioRoots(race), cache, stats });
  return { models, stats, model: models.functions.get('wait_on_page_writeback')! };
}

function run(src: string, cache: string | false) {
  const { race, file } = builtinRace('writeback-stale-wake');
  const set = modelSet(src, cache);
  return { ...set, r: runScenario({ race, file, eraSpec: '5.10', models: set.models }) };
}

describe('lift cache', () => {
  it('a second run takes every lift from the cache and parses nothing', () => {
    const w = workspace();
    const cold = run(w.src, w.cache);
    assert.equal(cold.r.verdict, 'holds', cold.r.message);
    assert.equal(cold.model.from, 'source');
    assert.equal(cold.stats.filesParsed, 1);
    assert.ok(cold.stats.functionsLifted >= 2, 'wait_on_page_writeback and its static helper');
    assert.equal(cold.stats.functionsFromCache, 0);
    assert.equal(fs.readdirSync(path.join(w.cache)).length, 1, 'one folder per racelens build');

    const warm = run(w.src, w.cache);
    assert.equal(warm.r.verdict, 'holds', warm.r.message);
    assert.equal(warm.stats.filesParsed, 0);
    assert.equal(warm.stats.functionsLifted, 0);
    assert.ok(warm.stats.functionsFromCache >= 2);
    assert.deepEqual(warm.model.program.code, cold.model.program.code);
    assert.equal(warm.model.line, cold.model.line);
    assert.equal(warm.r.states, cold.r.states);
    assert.equal(warm.r.executions, cold.r.executions);
    const helper = warm.r.models.find((m) => m.function === 'page_still_under_writeback');
    assert.equal(helper?.from, 'source');
  });

  it('a file changed since is lifted again, even at the same size and modification time', () => {
    const w = workspace();
    assert.equal(run(w.src, w.cache).r.verdict, 'holds');
    const before = fs.statSync(w.file);
    const text = fs.readFileSync(w.file, 'utf8');
    // `while` becomes `if` padded to the same length: the 5.10 bug, same size
    const flipped = text.replace('while (page_still_under_writeback(page)) {', 'if (page_still_under_writeback(page))    {');
    assert.notEqual(flipped, text);
    assert.equal(flipped.length, text.length);
    fs.writeFileSync(w.file, flipped);
    fs.utimesSync(w.file, before.atimeMs / 1000, before.mtimeMs / 1000);
    assert.ok(Math.abs(fs.statSync(w.file).mtimeMs - before.mtimeMs) < 1, "the modification time is put back");
    const again = run(w.src, w.cache);
    assert.equal(again.stats.filesParsed, 1, 'the changed file is parsed again');
    assert.equal(again.r.verdict, 'violated');
    assert.equal(again.r.invariant, 'bug-on');
    // and the entry now describes the changed file
    const third = run(w.src, w.cache);
    assert.equal(third.stats.filesParsed, 0);
    assert.equal(third.r.verdict, 'violated');
  });

  it('corrupt, truncated or foreign entries are ignored and replaced', () => {
    const w = workspace();
    const good = run(w.src, w.cache);
    const [build] = fs.readdirSync(w.cache);
    const entries = fs.readdirSync(path.join(w.cache, build)).map((n) => path.join(w.cache, build, n));
    assert.equal(entries.length, 1);
    const original = fs.readFileSync(entries[0], 'utf8');
    const parsed = JSON.parse(original);
    const damaged = [
      'not json at all',
      original.slice(0, original.length / 2),
      '',
      'null',
      '[]',
      JSON.stringify({ ...parsed, functions: { wait_on_page_writeback: { program: { name: 'x' } } } }),
      JSON.stringify({ ...parsed, defs: 'wait_on_page_writeback' }),
      JSON.stringify({ ...parsed, path: '/elsewhere/filemap.c' }),
      JSON.stringify({ ...parsed, build: 'another-build' }),
      JSON.stringify({ ...parsed, state: { ...parsed.state, size: parsed.state.size + 1 } }),
    ];
    for (const bad of damaged) {
      fs.writeFileSync(entries[0], bad);
      const r = modelSet(w.src, w.cache);
      assert.equal(r.model.from, 'source');
      assert.equal(r.stats.filesParsed, 1, `entry ${bad.slice(0, 40)} is not used`);
      assert.deepEqual(r.model.program.code, good.model.program.code);
    }
    // the last run wrote a good entry again
    const last = run(w.src, w.cache);
    assert.equal(last.stats.filesParsed, 0);
    assert.equal(last.r.verdict, 'holds', last.r.message);
  });

  it('an entry of another build is not read, and an unwritable cache folder is no error', () => {
    const w = workspace();
    const a = new LiftCache(w.cache, 'build-a');
    const b = new LiftCache(w.cache, 'build-b');
    // a file changed just now: its timestamps may not move on the next change, so the content decides
    const now = String(BigInt(Date.now()) * 1_000_000n);
    const racy = { size: 1, ino: '1', mtimeNs: now, ctimeNs: now };
    a.put({ build: '', path: w.file, state: racy, written: 0, defs: ['f'], aops: [], functions: {} }, 'x');
    assert.deepEqual(a.get(w.file, racy, () => 'x')?.defs, ['f']);
    assert.equal(b.get(w.file, racy, () => 'x'), undefined);
    assert.equal(a.get(w.file, racy, () => 'y'), undefined, 'racy entries are checked against the content');
    // a file last changed long before its entry was written: the timestamps decide, the file is not read
    const old = { size: 1, ino: '1', mtimeNs: '1000000000', ctimeNs: '1000000000' };
    a.put({ build: '', path: w.file, state: old, written: 0, defs: ['g'], aops: [], functions: {} }, undefined);
    assert.deepEqual(a.get(w.file, old, () => { throw new Error('read'); })?.defs, ['g']);
    assert.equal(a.get(w.file, { ...old, ctimeNs: '2000000000' }, () => 'x'), undefined);

    const blocked = path.join(path.dirname(w.cache), 'a-file');
    fs.writeFileSync(blocked, 'not a folder');
    const r = run(w.src, blocked);
    assert.equal(r.r.verdict, 'holds');
    assert.equal(r.stats.filesParsed, 1);
    assert.equal(run(w.src, false).stats.filesParsed, 1, 'no cache: parsed every time');
  });

  it('the definition index finds definitions and leaves out prototypes and calls after labels', () => {
    const text = [
      'static bool helper(struct page *page);',
      'static bool',
      'helper(struct page *page /* (sic */)',
      '{',
      '\treturn 1;',
      '}',
      'int other(int a,',
      '          int b) __releases(x)',
      '{',
      'out_unlock:',
      '\tfolio_unlock(folio);',
      '}',
      'extern void proto(void (*fn)(int));',
    ].join('\n');
    assert.deepEqual([...definitionIndex(text)].sort(), ['helper', 'other']);
  });
});
