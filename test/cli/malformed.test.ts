/**
 * `racelens run FILE.race` on malformed input: exit 2, a diagnostic
 * FILE:LINE:COLUMN naming the problem on stderr, nothing on stdout, no stack trace,
 * and no hang (even on 3 MB of junk). Each file is one mistake spliced into a small
 * valid scenario shaped like the built-in writeback-stale-wake.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertNoStack, cli, exitCode, positionOf, show, type CliRun } from './helpers.js';

const BASE = `# a stale wake-up, cut down from writeback-stale-wake
race wsw-small "A stale writeback wake-up"
era 5.10

setup {
  fs nobh
  file F { page P index 0 uptodate writeback }
}

P0 io        { end_page_writeback(P) }
P1 writeback { lock_page(P); wait_on_page_writeback(P); unlock_page(P) }
P2 user      { set_page_dirty(P) }

check bug-on deadlock
expect 5.10 holds
expect 5.10+hugh holds
`;

/** BASE with `from` replaced by `to` (which must occur exactly once). */
function splice(from: string, to: string): string {
  const at = BASE.indexOf(from);
  assert.ok(at >= 0 && BASE.indexOf(from, at + 1) < 0, `'${from}' occurs once in BASE`);
  return BASE.slice(0, at) + to + BASE.slice(at + from.length);
}

/** BASE cut right after `marker`. */
function cutAfter(marker: string): string {
  const at = BASE.indexOf(marker);
  assert.ok(at >= 0);
  return BASE.slice(0, at + marker.length);
}

/** Deterministic junk: printable ASCII, braces, quotes and newlines. */
function junk(bytes: number, seed: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 {}();,"#+.=[]@\n\t';
  let s = seed >>> 0;
  const out: string[] = new Array(bytes);
  for (let i = 0; i < bytes; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = alphabet[Math.floor((s / 2 ** 32) * alphabet.length)]!;
  }
  return out.join('');
}

const THREE_MB = 3 * 1024 * 1024;

interface Case {
  name: string;
  text: string | Buffer;
  line: number;
  column: number;
  /** what the diagnostic at line:column says */
  message: RegExp;
}

function at(text: string, needle: string, message: RegExp, name: string): Case {
  return { name, text, ...positionOf(text, needle), message };
}

function cases(): Case[] {
  const list: Case[] = [];
  const add = (name: string, text: string, needle: string, message: RegExp) => list.push(at(text, needle, message, name));

  add('unknown operation', splice('unlock_page(P) }', 'unlock_page(P); frobnicate_page(P) }'),
    'frobnicate_page', /unknown operation 'frobnicate_page'/);
  add('unknown invariant in check', splice('check bug-on deadlock', 'check bug-on dedlock'),
    'dedlock', /unknown invariant 'dedlock'.*known:.*deadlock/);
  add('missing CPU block (P0, P2)', splice('P1 writeback { lock_page(P); wait_on_page_writeback(P); unlock_page(P) }\n', ''),
    'P2 user', /missing CPU block P1/);
  add('bad era', splice('era 5.10', 'era 4.99'), '4.99', /unknown era '4\.99'.*known:.*5\.10/);
  add('unknown overlay', splice('expect 5.10+hugh', 'expect 5.10+nosuch'), 'nosuch', /unknown overlay 'nosuch'.*known:.*hugh/);
  add('truncated in the middle of the setup block', cutAfter('file F { page P index 0 '),
    '{ page P', /'\{' of file 'F' is never closed/);
  add('truncated in the middle of a CPU block', cutAfter('P1 writeback { lock_page(P); wait_on'),
    '{ lock_page', /'\{' of the P1 block is never closed/);
  add('NUL byte', splice('P0 io        {', 'P0 io \0\u0001 {'), '\0', /binary data: control character 0x00/);
  add('unterminated string', splice('"A stale writeback wake-up"', '"A stale writeback wake-up'),
    '"A stale', /unterminated string/);
  add('undefined object in a call argument', splice('end_page_writeback(P)', 'end_page_writeback(Q)'),
    'Q)', /unknown object 'Q' in 'end_page_writeback\(\.\.\.\)'/);
  add('bad number: buffers 99', splice('index 0 uptodate', 'index 0 buffers 99 uptodate'),
    '99', /buffers must be between 1 and 8, got '99'/);
  add('bad number: negative page index', splice('index 0', 'index -1'), '-1', /page index must be an integer >= 0, got '-1'/);
  // a missing line has no position of its own: it is reported at the race's name
  add('missing check', splice('check bug-on deadlock\n', ''), 'wsw-small', /missing 'check' line/);
  // ... and a missing race header at the top of the file
  add('missing race header', splice('race wsw-small "A stale writeback wake-up"\n', ''), '#', /missing 'race NAME "TITLE"' line/);
  add('unknown filesystem', splice('fs nobh', 'fs zfs'), 'zfs', /unknown filesystem 'zfs'.*known:.*nobh/);
  add('duplicate CPU block', splice('P1 writeback', 'P0 writeback'), 'P0 writeback', /duplicate CPU block P0 \(first at 10:1\)/);
  add('unclosed call', splice('end_page_writeback(P) }', 'end_page_writeback(P }'),
    '}\nP1', /missing '\)' to close 'end_page_writeback\('/);
  add('unknown verdict in expect', splice('expect 5.10 holds', 'expect 5.10 maybe'), 'maybe', /unknown verdict 'maybe'/);
  add('invalid race name', splice('race wsw-small', 'race wsw small'), 'small', /unexpected 'small'; expected end of line after the race header/);
  list.push({ name: 'empty file', text: '', line: 1, column: 1, message: /missing 'race NAME "TITLE"' line/ });

  // bytes that are not UTF-8 (0xff 0xfe) where the CPU block's '{' belongs
  const ioAt = BASE.indexOf('P0 io') + 'P0 io '.length;
  list.push({
    name: 'invalid UTF-8 bytes',
    text: Buffer.concat([Buffer.from(BASE.slice(0, ioAt)), Buffer.from([0xff, 0xfe]), Buffer.from(BASE.slice(ioAt))]),
    ...positionOf(BASE, 'P0 io') , column: 'P0 io '.length + 1,
    message: /unexpected .*expected '\{' after 'P0 io'/,
  });

  add('3 MB of junk', '@@' + junk(THREE_MB, 7), '@@', /unexpected '@@/);
  add('3 MB of opening braces', '{'.repeat(THREE_MB), '{', /unexpected '\{'/);
  add('a valid scenario followed by a 3 MB line of junk', BASE + '@'.repeat(THREE_MB) + '\n',
    '@@@', /unexpected '@{8,}(\.\.\.|…)'/);
  return list;
}

describe('malformed .race files', () => {
  let dir: string;
  const runs = new Map<string, { run: CliRun; file: string; c: Case }>();
  const all = cases();

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-cli-malformed-'));
    all.forEach((c, i) => {
      const file = path.join(dir, `case${String(i).padStart(2, '0')}-${c.name.replace(/[^a-z0-9]+/gi, '-')}.race`);
      fs.writeFileSync(file, c.text);
      runs.set(c.name, { run: cli(['run', file]), file, c });
    });
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the valid base scenario runs and holds (exit 0), so each failure below is its one mistake', () => {
    const file = path.join(dir, 'base.race');
    fs.writeFileSync(file, BASE);
    const r = cli(['run', file, '--era', '5.10']);
    exitCode(r, 0);
    assert.match(r.stdout, /wsw-small, era 5\.10: holds/);
    assert.equal(r.stderr, '');
  });

  it('covers at least 12 kinds of mistake', () => {
    assert.ok(all.length >= 12, `${all.length} cases`);
  });

  for (const c of all) {
    it(`${c.name}: exit 2, FILE:${c.line}:${c.column} and the problem on stderr`, () => {
      const { run, file } = runs.get(c.name)!;
      exitCode(run, 2);
      assert.equal(run.stdout, '', `nothing on stdout\n${show(run)}`);
      assertNoStack(run.stderr, c.name);
      const lines = run.stderr.split('\n').filter((l) => l.length > 0);
      assert.ok(lines.length > 0, show(run));
      // every line is a diagnostic of this file
      for (const l of lines) assert.ok(l.startsWith(`${file}:`), `not a diagnostic of ${file}: ${l.slice(0, 300)}`);
      const prefix = `${file}:${c.line}:${c.column}: error: `;
      const hit = lines.find((l) => l.startsWith(prefix) && c.message.test(l));
      assert.ok(hit, `expected a line '${prefix}' matching ${c.message}\n${show(run)}`);
      // diagnostics are bounded, whatever the size of the input
      assert.ok(run.stderr.length < 64 * 1024, `stderr is ${run.stderr.length} characters`);
      assert.ok(lines.length <= 101, `${lines.length} diagnostics`);
    });
  }

  it('the first diagnostic of a single-mistake file is that mistake', () => {
    for (const name of ['unknown operation', 'unknown invariant in check', 'bad era', 'NUL byte', 'undefined object in a call argument', 'unknown filesystem']) {
      const { run, file } = runs.get(name)!;
      const { c } = runs.get(name)!;
      assert.ok(run.stderr.startsWith(`${file}:${c.line}:${c.column}: error: `), `${name}: first line\n${show(run)}`);
      assert.equal(run.stderr.trim().split('\n').length, 1, `${name}: one diagnostic\n${show(run)}`);
    }
  });
});

/**
 * Calls whose arguments parse but do not fit the operation are only caught when the
 * model runs: the message then points into the model, not at the .race call. These
 * record the contract ("a clear message naming the file and line") as todo.
 */
describe('calls that parse but do not fit their operation', () => {
  let dir: string;
  let wrongType: CliRun;
  let extraArgs: CliRun;
  let wrongTypeFile: string;
  let extraArgsFile: string;
  const wrongTypeText = splice('end_page_writeback(P)', 'end_page_writeback(F)');
  const extraArgsText = splice('end_page_writeback(P)', 'end_page_writeback(P, P, 7)');

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-cli-args-'));
    wrongTypeFile = path.join(dir, 'wrong-type.race');
    extraArgsFile = path.join(dir, 'extra-args.race');
    fs.writeFileSync(wrongTypeFile, wrongTypeText);
    fs.writeFileSync(extraArgsFile, extraArgsText);
    wrongType = cli(['run', wrongTypeFile, '--era', '5.10']);
    extraArgs = cli(['run', extraArgsFile, '--era', '5.10']);
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a file where a page is expected: exit 2 and a message, no stack trace', () => {
    exitCode(wrongType, 2);
    assertNoStack(wrongType.stdout + wrongType.stderr, 'wrong type');
    assert.match(wrongType.stdout + wrongType.stderr, /expected a page or folio, got mapping:F/);
  });

  it('a file where a page is expected: the diagnostic names FILE:LINE:COLUMN of the call', () => {
    const { line, column } = positionOf(wrongTypeText, 'end_page_writeback(F)');
    assert.match(wrongType.stderr, new RegExp(`^${reEscape(wrongTypeFile)}:${line}:${column}: error: `, 'm'));
  });

  it('extra arguments to an operation: exit 2 naming the call', () => {
    exitCode(extraArgs, 2);
    const { line, column } = positionOf(extraArgsText, 'end_page_writeback(P, P, 7)');
    assert.match(extraArgs.stderr, new RegExp(`^${reEscape(extraArgsFile)}:${line}:${column}: error: `, 'm'));
  });
});

function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
