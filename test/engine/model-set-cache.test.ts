/**
 * What a run keeps for the next one besides the lift cache's entries: the built-in model
 * files compiled (catalog/unit-cache.ts) and a whole source model set
 * (catalog/model-set-cache.ts). Each must give back exactly what building it afresh
 * gives, and never serve a file's old state: an edited file is compiled again, and an
 * edit anywhere in a set's inputs builds the set again.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import type { SourceStats } from 'racelens-server/out/catalog/source-files.js';
import { LiftCache } from 'racelens-server/out/catalog/lift-cache.js';
import { builtinModelFiles, eraNames, type ModelSet } from 'racelens-server/out/catalog/models.js';
import { cachedUnit } from 'racelens-server/out/catalog/unit-cache.js';
import { compileSource, type CompiledUnit } from 'racelens-server/out/lift/index.js';

import { sleep, tmp } from './temp-dirs.js';

/** A unit as plain data: its functions in order, as JSON, and its tables. */
function unitData(u: CompiledUnit): unknown {
  return { file: u.file, functions: JSON.parse(JSON.stringify([...u.functions])), tables: [...u.opsTables].map(([t, f]) => [t, [...f]]) };
}

/** A model set as plain data: every name with its model (the program as JSON), the tables, what it says. */
function setData(s: ModelSet): unknown {
  return {
    functions: [...s.functions].map(([name, m]) => [name, m.from, m.file, m.abs, m.line, m.status, m.fallback, JSON.stringify(m.program), JSON.stringify(m.notes)]),
    ops: [...s.ops].map(([t, f]) => [t, [...f]]),
    tableAt: [...(s.tableAt ?? [])],
    notRun: [...(s.notRun ?? [])],
    assumptions: JSON.parse(JSON.stringify(s.assumptions ?? [])),
    release: s.release,
  };
}

describe('compiled built-in model files', () => {
  it('every built-in model file read back from the lift cache is the unit the lifter compiles', () => {
    const cache = new LiftCache(tmp('unit-cache'));
    const files = [...new Set(eraNames().flatMap((e) => builtinModelFiles(e)))];
    let compiled = 0;
    const compile = (f: string) => (text: string): CompiledUnit => {
      compiled++;
      return compileSource(text, path.basename(f));
    };
    const fresh = files.map((f) => cachedUnit(f, path.basename(f), compile(f), cache));
    assert.equal(compiled, files.length);
    const again = files.map((f) => cachedUnit(f, path.basename(f), compile(f), cache));
    assert.equal(compiled, files.length, 'the second time, every unit comes from the cache');
    for (let i = 0; i < files.length; i++) assert.deepEqual(unitData(again[i]), unitData(fresh[i]), files[i]);
  });

  it('a model file edited after it was kept is compiled afresh', () => {
    const dir = tmp('unit-edit');
    const cache = new LiftCache(path.join(dir, 'cache'));
    const file = path.join(dir, 'model.c');
    fs.writeFileSync(file, 'int unit_cached_one(void)\n{\n\treturn 1;\n}\n');
    let compiled = 0;
    const compile = (text: string): CompiledUnit => {
      compiled++;
      return compileSource(text, 'model.c');
    };
    assert.deepEqual([...cachedUnit(file, 'model.c', compile, cache).functions.keys()], ['unit_cached_one']);
    assert.deepEqual([...cachedUnit(file, 'model.c', compile, cache).functions.keys()], ['unit_cached_one']);
    assert.equal(compiled, 1);
    // the same size, in the same second: only the content hash tells them apart
    fs.writeFileSync(file, 'int unit_cached_two(void)\n{\n\treturn 2;\n}\n');
    assert.deepEqual([...cachedUnit(file, 'model.c', compile, cache).functions.keys()], ['unit_cached_two']);
    assert.equal(compiled, 2);
  });
});

describe('kept source model sets', () => {
  const CALLER = 'int setcache_caller(void)\n{\n\treturn setcache_helper() + setcache_other() + setcache_missing();\n}\n';
  const HELPER = 'static inline int setcache_helper(void)\n{\n\treturn 1;\n}\n';
  const OTHER = 'static inline int setcache_other(void)\n{\n\treturn 2;\n}\n';

  it('a set kept by one run is the set the next run builds, and an edit to a file it did not lift from builds it again', async () => {
    const src = tmp('setcache-src');
    const cache = tmp('setcache-cache');
    fs.writeFileSync(path.join(src, 'caller.c'), CALLER);
    fs.writeFileSync(path.join(src, 'helper.h'), HELPER);
    fs.writeFileSync(path.join(src, 'other.h'), OTHER);
    fs.writeFileSync(path.join(src, 'unrelated.h'), 'static inline int setcache_unrelated(void)\n{\n\treturn 3;\n}\n');
    // a listing with a file changed in the last 10 s is not kept: let the files age
    await sleep(10_500);
    const build = (c: string | false) => {
      const stats = {} as SourceStats;
      const set = sourceModelSet('6.1', [src], { roots: ['setcache_caller'], cache: c, stats });
      return { set, stats };
    };
    const first = build(cache);
    assert.equal(first.set.functions.get('setcache_helper')?.from, 'source');
    const sets = fs.readdirSync(cache).map((b) => path.join(cache, b, 'sets')).filter((d) => fs.existsSync(d));
    assert.equal(sets.length, 1, 'the set is kept');
    const kept = build(cache);
    assert.equal(kept.stats.filesRead, 0);
    assert.equal(kept.stats.functionsLifted, 0);
    assert.deepEqual(setData(kept.set), setData(first.set));
    assert.deepEqual(setData(kept.set), setData(build(false).set), 'the same as a set built with no cache at all');
    assert.equal(kept.set.functions.get('setcache_missing'), undefined);
    // a header the set read nothing from gains a definition of a name it follows: once the
    // edit is old enough for a set to be kept again, the kept one is not what answers
    fs.writeFileSync(path.join(src, 'unrelated.h'), 'static inline int setcache_unrelated(void)\n{\n\treturn 3;\n}\n\nstatic inline int setcache_missing(void)\n{\n\treturn 4;\n}\n');
    await sleep(10_500);
    const edited = build(cache);
    assert.match(edited.set.functions.get('setcache_missing')?.file ?? '', /unrelated\.h$/);
    assert.deepEqual(setData(edited.set), setData(build(false).set));
    assert.deepEqual(setData(build(cache).set), setData(edited.set));
  });

  it('a damaged kept set is a miss, never a wrong set', async () => {
    const src = tmp('setcache-damaged-src');
    const cache = tmp('setcache-damaged-cache');
    fs.writeFileSync(path.join(src, 'caller.c'), CALLER);
    fs.writeFileSync(path.join(src, 'helper.h'), HELPER);
    await sleep(10_500);
    const build = () => sourceModelSet('6.1', [src], { roots: ['setcache_caller'], cache });
    const fresh = setData(build());
    const dir = fs.readdirSync(cache).map((b) => path.join(cache, b, 'sets')).find((d) => fs.existsSync(d))!;
    const file = path.join(dir, fs.readdirSync(dir)[0]);
    const text = fs.readFileSync(file, 'utf8');
    // a body changed without its checksum, then one re-signed with a program the schema refuses
    fs.writeFileSync(file, text.replace('setcache_helper', 'setcache_helpex'));
    assert.deepEqual(setData(build()), fresh);
    const body = text.slice(text.indexOf('\n') + 1).replace('"code":[', '"code":[{"op":"nonsense"},');
    const crypto = await import('node:crypto');
    fs.writeFileSync(file, `${text.slice(0, text.indexOf(' '))} ${crypto.createHash('sha256').update(body).digest('hex')}\n${body}`);
    assert.deepEqual(setData(build()), fresh);
  });
});
