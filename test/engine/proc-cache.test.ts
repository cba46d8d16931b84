/**
 * A cache folder under /proc (mkdir answers ENOENT for it and EEXIST for /proc): every
 * code path that makes a cache folder tries each level once and gives up, where Node's
 * recursive mkdir spins between the two answers at 100% CPU. Counted in this process
 * (calls to fs.mkdirSync), and end to end with `--src` naming a file, the way it spun.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { makeDirectories, writeAtomically } from 'racelens-server/out/catalog/atomic-write.js';
import { LiftCache } from 'racelens-server/out/catalog/lift-cache.js';
// the module object itself (not the import's read-only view), whose mkdirSync the server code calls
import nodeFs = require('node:fs');

const CLI = path.resolve(__dirname, '..', '..', '..', 'server', 'bin', 'racelens.js');
const FIXTURE = path.resolve(__dirname, '..', '..', 'fixtures', 'kernel', 'cpdfio-fixed', 'page-writeback.c');
const noProc = !fs.existsSync('/proc/self') && 'no /proc on this system';

/** Calls to fs.mkdirSync while `f` runs. */
function mkdirCalls(f: () => void): number {
  const real = nodeFs.mkdirSync;
  let n = 0;
  nodeFs.mkdirSync = ((...args: Parameters<typeof fs.mkdirSync>) => {
    n++;
    if (n > 10_000) throw new Error('mkdir loop');
    return real(...args);
  }) as typeof fs.mkdirSync;
  try {
    f();
  } finally {
    nodeFs.mkdirSync = real;
  }
  return n;
}

test('makeDirectories, writeAtomically and the lift cache give a /proc folder up after one try per level', { skip: noProc }, () => {
  const dir = '/proc/racelens-no-such-folder/a/b';
  assert.ok(mkdirCalls(() => assert.throws(() => makeDirectories(dir), { code: 'ENOENT' })) <= 8);
  assert.ok(mkdirCalls(() => assert.equal(writeAtomically(path.join(dir, 'configs', 'x.config'), 'text'), false)) <= 8);
  const cache = new LiftCache('/proc/racelens-no-such-folder', 'build');
  const stderr = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const n = mkdirCalls(() => cache.put({ path: '/x.c', build: 'build', written: 0, state: { size: 1, mtimeNs: '0', ctimeNs: '0', ino: '1', dev: '1' }, functions: {} } as never, 'x'));
    assert.ok(n <= 8, `${n} calls`);
  } finally {
    process.stderr.write = stderr;
  }
  assert.equal(cache.unusable, 'ENOENT');
  // and an ordinary folder is still made, parents first
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-mkdir-'));
  makeDirectories(path.join(tmp, 'a', 'b', 'c'));
  assert.ok(fs.statSync(path.join(tmp, 'a', 'b', 'c')).isDirectory());
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('racelens run with the lift cache under /proc and --src naming a file ends, with one line about the cache', { skip: noProc }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-proc-src-'));
  const file = path.join(dir, 'page-writeback.c');
  fs.copyFileSync(FIXTURE, file);
  try {
    const child = spawnSync(process.execPath, [CLI, 'run', 'mmap-dirty-lost', '--era', '6.1', '--src', file, '--no-trace'], {
      env: { ...process.env, RACELENS_LIFT_CACHE: '/proc/racelens-no-such-folder' }, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(child.signal, null, 'no hang');
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /mmap-dirty-lost, era 6\.1: holds/);
    const lines = child.stderr.split('\n').filter((l) => /lift cache/.test(l));
    assert.equal(lines.length, 1, child.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
