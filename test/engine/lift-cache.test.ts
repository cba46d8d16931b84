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
import { runScenario, scenarioRoots } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet, definitionIndex } from 'racelens-server/out/catalog/source-models.js';
import { LiftCache, decodeEntry, encodeEntry } from 'racelens-server/out/catalog/lift-cache.js';
import { validProgram } from 'racelens-server/out/catalog/lift-cache-schema.js';
import { builtinModelSet, eraNames } from 'racelens-server/out/catalog/models.js';
import { execFileSync, spawnSync } from 'node:child_process';
import type { SourceStats } from 'racelens-server/out/catalog/source-files.js';
import { builtinRace } from './fixtures.js';

const FIXTURE = path.resolve(__dirname, '..', '..', 'fixtures', 'kernel', 'cache-wait', 'filemap.c');

const CLI = path.resolve(__dirname, '..', '..', '..', 'server', 'bin', 'racelens.js');
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

/** A workspace whose source has the 5.10 bug (`if` for `while`): a run from it is violated. */
function w0(): { src: string } {
  const w = workspace();
  const text = fs.readFileSync(w.file, 'utf8');
  fs.writeFileSync(w.file, text.replace('while (page_still_under_writeback(page)) {', 'if (page_still_under_writeback(page)) {'));
  return w;
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

  it('corrupt, truncated, foreign or wrong entries are misses, replaced by a new lift', () => {
    const w = workspace();
    const good = run(w.src, w.cache);
    const [build] = fs.readdirSync(w.cache);
    const entries = fs.readdirSync(path.join(w.cache, build)).map((n) => path.join(w.cache, build, n));
    assert.equal(entries.length, 1);
    const original = fs.readFileSync(entries[0], 'utf8');
    const parsed = decodeEntry(original);
    const fn = parsed.functions.wait_on_page_writeback!;
    assert.ok(fn, 'the entry holds the lift of wait_on_page_writeback');
    const withCode = (code: unknown[]) => ({ ...parsed, functions: { ...parsed.functions, wait_on_page_writeback: { ...fn, program: { ...fn.program, code } } } });
    const jumpAt = fn.program.code.findIndex((i) => i.op === 'br' || i.op === 'jmp');
    assert.ok(jumpAt >= 0, 'the lifted loop has a jump');
    const wrongJump = fn.program.code.map((i, k) => (k === jumpAt ? (i.op === 'br' ? { ...i, t: i.f } : i.op === 'jmp' ? { ...i, to: 0 } : i) : i));
    // a one-byte change of a jump target in the stored text: the checksum no longer matches
    const oneByte = original.replace(/"op":"br","c":(.*?),"t":(\d)/, (_m, c: string, t: string) => `"op":"br","c":${c},"t":${(Number(t) + 1) % 10}`);
    assert.notEqual(oneByte, original);
    const damaged: [what: string, text: string][] = [
      ['not json', 'not json at all'],
      ['half an entry', original.slice(0, original.length / 2)],
      ['empty', ''],
      ['json without a checksum', JSON.stringify(parsed)],
      ['a one-byte change of a jump target', oneByte],
      // written with a valid checksum, but not a program the simulator can run
      ['a null instruction', encodeEntry(withCode([null, ...fn.program.code]) as never)],
      ['a jump out of the function', encodeEntry(withCode(fn.program.code.map((i) => (i.op === 'jmp' ? { ...i, to: 9999 } : i.op === 'br' ? { ...i, t: 9999 } : i))) as never)],
      ['an instruction of no known kind', encodeEntry(withCode([{ op: 'explode' }, ...fn.program.code]) as never)],
      ['a number where a table should be', encodeEntry({ ...parsed, tables: [['ext4_aops', 2]] } as never)],
      ['a program with no code', encodeEntry(withCode([]) as never)],
      ['defs not a list', encodeEntry({ ...parsed, defs: 'wait_on_page_writeback' } as never)],
      ['another file', encodeEntry({ ...parsed, path: '/elsewhere/filemap.c' })],
      ['another build', encodeEntry({ ...parsed, build: 'another-build' })],
      ['another size', encodeEntry({ ...parsed, state: { ...parsed.state, size: parsed.state.size + 1 } })],
    ];
    // a checksummed entry with a wrong but well-formed jump would be trusted: that is what the checksum is for
    assert.notDeepEqual(wrongJump, fn.program.code);
    for (const [what, bad] of damaged) {
      fs.writeFileSync(entries[0], bad);
      const r = modelSet(w.src, w.cache);
      assert.equal(r.model.from, 'source', what);
      assert.equal(r.stats.filesParsed, 1, `the entry with ${what} is not used`);
      assert.deepEqual(r.model.program.code, good.model.program.code, what);
    }
    // the last run wrote a good entry again
    const last = run(w.src, w.cache);
    assert.equal(last.stats.filesParsed, 0);
    assert.equal(last.r.verdict, 'holds', last.r.message);
  });

  it('an entry replaced by a FIFO, a device or a symlink loop is a miss at once', { skip: process.platform === 'win32' }, () => {
    const w = workspace();
    run(w.src, w.cache);
    const [build] = fs.readdirSync(w.cache);
    const [entry] = fs.readdirSync(path.join(w.cache, build)).map((n) => path.join(w.cache, build, n));
    const replace = (make: () => void) => { fs.rmSync(entry!, { force: true }); make(); };
    const cases: [string, () => void][] = [
      ['a FIFO', () => execFileSync('mkfifo', [entry!])],
      ['a symlink to /dev/zero', () => fs.symlinkSync('/dev/zero', entry!)],
      ['a symlink to /dev/urandom', () => fs.symlinkSync('/dev/urandom', entry!)],
      ['a symlink to itself', () => fs.symlinkSync(entry!, entry!)],
      ['a folder', () => fs.mkdirSync(entry!)],
    ];
    for (const [what, make] of cases) {
      replace(make);
      const t0 = Date.now();
      const r = run(w.src, w.cache);
      assert.ok(Date.now() - t0 < 10_000, `${what}: no hang`);
      assert.equal(r.stats.filesParsed, 1, `${what}: a miss`);
      assert.equal(r.r.verdict, 'holds', `${what}: ${r.r.message}`);
      fs.rmSync(entry!, { recursive: true, force: true });
    }
  });

  it('every built-in model passes the entry schema (a new instruction kind must be added to it)', () => {
    for (const era of eraNames()) {
      for (const [name, m] of builtinModelSet(era).functions) {
        const roundTrip = JSON.parse(JSON.stringify(m.program)) as unknown;
        assert.ok(validProgram(roundTrip), `${era} ${name} (${m.file}:${m.line}) fails the lift cache schema`);
      }
    }
  });

  it('a cache folder under /proc is given up once, with one line on stderr, and the run goes on', { skip: !fs.existsSync('/proc/self') }, () => {
    const child = spawnSync(process.execPath, [CLI, 'run', 'writeback-stale-wake', '--era', '5.10', '--src', w0().src, '--no-trace'], {
      env: { ...process.env, RACELENS_LIFT_CACHE: '/proc/racelens-no-such-folder' }, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(child.signal, null, 'no hang');
    assert.equal(child.status, 1, child.stderr);
    assert.match(child.stdout, /VIOLATED bug-on/);
    const lines = child.stderr.split('\n').filter((l) => /lift cache/.test(l));
    assert.equal(lines.length, 1, child.stderr);
    assert.match(lines[0]!, /\/proc\/racelens-no-such-folder.*cannot be written.*running without it/);
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
