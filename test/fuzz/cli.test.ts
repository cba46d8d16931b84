/**
 * The fuzz corpus through the CLI, a sample: odd paths as the scenario and as --src,
 * prototype names as options, and mutated scenarios. Each call must exit 0-3 at once,
 * with no JavaScript error text, and a bad path must be named with what is wrong.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { cli, show, type CliRun } from '../cli/helpers.js';
import { JS_ERROR_TEXT, PROTO_NAMES, Rng, mutatedRace } from './corpus.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-fuzz-cli-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Exit 0-3 within `ms`, and nothing a JavaScript failure would print. */
function sane(r: CliRun, ms = 20_000): void {
  assert.equal(r.signal, null, show(r));
  assert.ok(r.status !== null && r.status >= 0 && r.status <= 3, show(r));
  assert.ok(r.ms < ms, `took ${r.ms} ms\n${show(r)}`);
  assert.doesNotMatch(r.stdout + r.stderr, JS_ERROR_TEXT, show(r));
}

function oddPaths(): [what: string, file: string, why: RegExp][] {
  const fifo = path.join(dir, 'fifo.race');
  execFileSync('mkfifo', [fifo]);
  const loop = path.join(dir, 'loop.race');
  fs.symlinkSync(loop, loop);
  const huge = path.join(dir, 'huge.race');
  fs.closeSync(fs.openSync(huge, 'w'));
  fs.truncateSync(huge, 200 * 1024 * 1024); // sparse: no disk used
  const unreadable = path.join(dir, 'unreadable.race');
  fs.writeFileSync(unreadable, 'race x "y"\n');
  fs.chmodSync(unreadable, 0);
  const cases: [string, string, RegExp][] = [
    ['/dev/zero', '/dev/zero', /character device, not a regular file/],
    ['/dev/urandom', '/dev/urandom', /character device, not a regular file/],
    ['a FIFO', fifo, /FIFO, not a regular file/],
    ['a symlink loop', loop, /too many levels of symbolic links/],
    ['a 200 MB file', huge, /larger than the limit/],
    ['a directory', dir, /directory/],
    ['a missing file', path.join(dir, 'missing.race'), /no such file/],
  ];
  // root reads anything: the unreadable case only means something for other users
  if (process.getuid?.() !== 0) cases.push(['an unreadable file', unreadable, /permission denied/]);
  return cases;
}

describe(`fuzz through the CLI (seed ${SEED})`, { skip: process.platform === 'win32' }, () => {
  const odd = oddPaths();

  it('odd paths as the scenario: exit 2 at once, naming the file and what it is', () => {
    for (const [what, file, why] of odd) {
      const r = cli(['run', file], { timeoutMs: 15_000 });
      sane(r, 10_000);
      assert.equal(r.status, 2, `${what}\n${show(r)}`);
      assert.match(r.stderr, why, `${what}\n${show(r)}`);
      assert.ok(r.stderr.includes(file), `${what}: the message names ${file}\n${show(r)}`);
    }
  });

  it('odd paths as --src: exit 2 at once with the path, or a run that ignores nothing silently', () => {
    const cfifo = path.join(dir, 'fifo.c');
    execFileSync('mkfifo', [cfifo]);
    const zero = path.join(dir, 'zero.c');
    fs.symlinkSync('/dev/zero', zero);
    for (const src of [cfifo, zero, '/dev/zero', path.join(dir, 'loop.race')]) {
      const r = cli(['run', 'writeback-stale-wake', '--era', '5.10', '--src', src, '--no-trace'], { timeoutMs: 15_000 });
      sane(r, 10_000);
      // an error (exit 2), or a run that reports the input it left out: never silence
      const out = r.stdout + r.stderr;
      assert.ok(out.includes(src), `the output names ${src}\n${show(r)}`);
      if (r.status !== 2) assert.match(out, /not a regular file|FIFO|character device|unreadable|skipped|left out|symbolic link|not a C file/, show(r));
    }
  });

  it('prototype names as --era, overlays and --fs, in run and explain', () => {
    for (const name of PROTO_NAMES.slice(0, 2)) {
      for (const args of [['run', 'mmap-dirty-lost', '--era', name], ['run', 'mmap-dirty-lost', '--era', `6.1+${name}`],
        ['run', 'mmap-dirty-lost', '--fs', name], ['explain', 'folio_mark_dirty', '--era', name], ['explain', name],
        ['run', name]]) {
        const r = cli(args, { timeoutMs: 15_000 });
        sane(r, 10_000);
        assert.equal(r.status, 2, show(r));
        assert.match(r.stderr, /unknown (era|overlay|filesystem)|no model, primitive or catalog entry|no built-in scenario or file/, show(r));
      }
    }
  });

  it('mutated scenarios: exit 0-3 and positioned errors', () => {
    const rng = new Rng(SEED ^ 0x5eed);
    for (let i = 0; i < 8; i++) {
      const file = path.join(dir, `mutant-${i}.race`);
      const text = mutatedRace(rng);
      fs.writeFileSync(file, text);
      const r = cli(['run', file, '--max-states', '3000', '--time-limit-ms', '3000', '--no-trace'], { timeoutMs: 30_000 });
      sane(r);
      if (r.status === 2) {
        const lines = text.split(/\r\n|\n/).length;
        const places = [...r.stderr.matchAll(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+): `, 'g'))];
        assert.ok(places.length > 0, `mutant ${i}: an error with a place\n${show(r)}`);
        for (const p of places) assert.ok(Number(p[1]) >= 1 && Number(p[1]) <= lines, `mutant ${i}: line ${p[1]}`);
      }
    }
  });
});
