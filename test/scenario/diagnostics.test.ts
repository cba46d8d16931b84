import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic, parseRace, type Diagnostic } from 'racelens-server/out/scenario/index.js';
import { FULL_EXAMPLE, MINIMAL, OPTS } from './fixtures.js';

/*
 * MINIMAL, for reading the expected positions:
 *   1 race tiny "t"
 *   2 era 2.6.19
 *   3 setup {
 *   4   file F { page P index 0 }
 *   5 }
 *   6 P0 a { sync(F) }
 *   7 check lost-write
 */

interface Want {
  code: string;
  line: number;
  column: number;
  message: string | RegExp;
  severity?: 'error' | 'warning';
}

function check(text: string): Diagnostic[] {
  const result = parseRace(text, OPTS);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(result.race === undefined, errors.length > 0, 'race is returned exactly when there are no errors');
  return result.diagnostics;
}

/** Asserts that a diagnostic with this code sits exactly there and says so. */
function expectDiag(text: string, want: Want): Diagnostic[] {
  const all = check(text);
  const list = all.map(formatDiagnostic).join('\n');
  const hit = all.find((d) => d.code === want.code && d.range.start.line === want.line && d.range.start.column === want.column);
  assert.ok(hit, `no ${want.code} at ${want.line}:${want.column}; got:\n${list}`);
  if (typeof want.message === 'string') assert.ok(hit.message.includes(want.message), `message: ${hit.message}`);
  else assert.match(hit.message, want.message);
  assert.equal(hit.severity, want.severity ?? 'error');
  assert.equal(hit.file, 'test.race');
  return all;
}

/** The only diagnostic must be this one: no knock-on noise. */
function expectOnly(text: string, want: Want): void {
  const all = expectDiag(text, want);
  assert.equal(all.length, 1, all.map(formatDiagnostic).join('\n'));
}

const WITH_MMAP = MINIMAL.replace('  file F { page P index 0 }\n',
  '  file F { page P index 0 }\n  file G { page R index 0 }\n  mmap U = F shared { P }\n');
// WITH_MMAP lines: 4 file F, 5 file G, 6 mmap U, 7 }, 8 P0 a { sync(F) }, 9 check

describe('diagnostics: names the problem at its line and column', () => {
  it('unknown operation', () => {
    expectOnly(MINIMAL.replace('sync(F)', 'sync(F); frob(F)'),
      { code: 'unknown-operation', line: 6, column: 17, message: "unknown operation 'frob'" });
  });

  it('unknown invariant in check and in expect', () => {
    expectOnly(MINIMAL.replace('check lost-write', 'check lost-write lost-read'),
      { code: 'unknown-invariant', line: 7, column: 18, message: /unknown invariant 'lost-read' \(known: lost-write, bug-on/ });
    expectOnly(MINIMAL + 'expect 2.6.19 violated lost-write oops\n',
      { code: 'unknown-invariant', line: 8, column: 35, message: "unknown invariant 'oops'" });
  });

  it('unknown era in the header and in expect', () => {
    expectOnly(MINIMAL.replace('era 2.6.19', 'era 2.6.99'),
      { code: 'unknown-era', line: 2, column: 5, message: "unknown era '2.6.99' (known: 2.6.19, 2.6.20, 5.10, 6.1)" });
    expectOnly(MINIMAL + 'expect 3.0+hugh holds\n',
      { code: 'unknown-era', line: 8, column: 8, message: "unknown era '3.0'" });
  });

  it('unknown overlay, pointing at the overlay inside the era spec', () => {
    expectOnly(MINIMAL + 'expect 5.10+hugh+akpm holds\n',
      { code: 'unknown-overlay', line: 8, column: 18, message: "unknown overlay 'akpm' (known: hugh)" });
  });

  it('unknown filesystem', () => {
    expectOnly(MINIMAL.replace('setup {\n', 'setup {\n  fs zfs\n'),
      { code: 'unknown-filesystem', line: 4, column: 6, message: "unknown filesystem 'zfs'" });
    expectOnly(MINIMAL + 'expect 6.1 fs xfs holds\n',
      { code: 'unknown-filesystem', line: 8, column: 15, message: "unknown filesystem 'xfs'" });
  });

  it('missing CPU block (a gap)', () => {
    expectOnly(MINIMAL.replace('P0 a { sync(F) }', 'P0 a { sync(F) }\nP2 b { sync(F) }'),
      { code: 'missing-cpu-block', line: 7, column: 1, message: 'missing CPU block P1' });
    expectOnly(MINIMAL.replace('P0 a', 'P3 a'),
      { code: 'missing-cpu-block', line: 6, column: 1, message: 'missing CPU blocks P0 to P2' });
  });

  it('no CPU blocks', () => {
    expectOnly(MINIMAL.replace('P0 a { sync(F) }\n', ''),
      { code: 'no-cpu-blocks', line: 1, column: 6, message: 'no CPU blocks' });
  });

  it('duplicate CPU block', () => {
    expectOnly(MINIMAL.replace('P0 a { sync(F) }', 'P0 a { sync(F) }\nP0 b { sync(F) }'),
      { code: 'duplicate-cpu-block', line: 7, column: 1, message: 'duplicate CPU block P0 (first at 6:1)' });
  });

  it('bad CPU block names', () => {
    expectOnly(MINIMAL.replace('P0 a', 'P0 a { sync(F) }\nP01 b'),
      { code: 'bad-cpu-block', line: 7, column: 1, message: "bad CPU block name 'P01'" });
    expectOnly(MINIMAL.replace('P0 a {', 'P0 {'),
      { code: 'missing-label', line: 6, column: 1, message: "missing label after 'P0'" });
  });

  it('undefined object in an argument', () => {
    expectOnly(WITH_MMAP.replace('sync(F)', 'store(U, Q, 0)'),
      { code: 'undefined-object', line: 8, column: 17, message: "unknown object 'Q'" });
  });

  it('wrong kind of object in a PTE argument', () => {
    expectOnly(WITH_MMAP.replace('sync(F)', 'msync(F[P])'),
      { code: 'wrong-object-kind', line: 8, column: 14, message: "'F' is a file, not a mapping" });
    expectOnly(WITH_MMAP.replace('sync(F)', 'msync(U[F])'),
      { code: 'wrong-object-kind', line: 8, column: 16, message: "'F' is a file, not a page" });
    expectOnly(WITH_MMAP.replace('sync(F)', 'msync(U[R])'),
      { code: 'page-not-in-file', line: 8, column: 16, message: "page 'R' is in file 'G', but mapping 'U' maps file 'F'" });
  });

  it('wrong or undefined objects in mmap declarations', () => {
    expectOnly(WITH_MMAP.replace('mmap U = F', 'mmap U = P'),
      { code: 'wrong-object-kind', line: 6, column: 12, message: "'P' is a page, not a file" });
    expectOnly(WITH_MMAP.replace('shared { P }', 'shared { X }'),
      { code: 'undefined-object', line: 6, column: 23, message: "unknown page 'X'" });
  });

  it('missing race header', () => {
    expectOnly(MINIMAL.replace('race tiny "t"\n', ''),
      { code: 'missing-race', line: 1, column: 1, message: "missing 'race NAME \"TITLE\"' line" });
  });

  it('missing check, era and setup', () => {
    expectOnly(MINIMAL.replace('check lost-write\n', ''),
      { code: 'missing-check', line: 1, column: 6, message: "missing 'check' line" });
    expectOnly(MINIMAL.replace('era 2.6.19\n', ''),
      { code: 'missing-era', line: 1, column: 6, message: "missing 'era ERA' line" });
    const all = check(MINIMAL.replace('setup {\n  file F { page P index 0 }\n}\n', ''));
    assert.ok(all.some((d) => d.code === 'missing-setup' && d.range.start.line === 1 && d.range.start.column === 6));
    expectOnly(MINIMAL.replace('  file F { page P index 0 }\n', '').replace('sync(F)', 'sync()'),
      { code: 'no-files', line: 3, column: 1, message: 'setup declares no files' });
  });

  it('unterminated string', () => {
    expectOnly(MINIMAL.replace('"t"', '"t'),
      { code: 'unterminated-string', line: 1, column: 11, message: 'unterminated string' });
  });

  it('unclosed { in a truncated file: at the end of file and where the block opened', () => {
    const text = MINIMAL.slice(0, MINIMAL.indexOf('sync(F)') + 'sync(F)'.length);
    const all = check(text);
    // Sorted by position: the opening brace first, then the end of file; the cut-off
    // 'check' line is not reported as missing on top.
    assert.deepEqual(all.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.column}`),
      ['unclosed-block 6:6', 'unclosed-block 6:15']);
    assert.match(all[0]!.message, /'\{' of the P0 block is never closed/);
    assert.match(all[1]!.message, /unexpected end of file: '\{' of the P0 block opened at 6:6 is not closed/);
  });

  it('unclosed { noticed at the next outer statement, which is still parsed', () => {
    const all = expectDiag(MINIMAL.replace('P0 a { sync(F) }', 'P0 a { sync(F)\nP1 b { frob(F) }'),
      { code: 'unclosed-block', line: 7, column: 1, message: "missing '}' to close the P0 block opened at 6:6" });
    assert.ok(all.some((d) => d.code === 'unknown-operation' && d.range.start.line === 7));
  });

  it('unexpected token', () => {
    expectOnly(MINIMAL.replace('era 2.6.19', 'era 2.6.19\nbanana split'),
      { code: 'unexpected-token', line: 3, column: 1, message: "unexpected 'banana'; expected a statement" });
    expectOnly(MINIMAL.replace('sync(F)', 'sync(F))'),
      { code: 'unexpected-token', line: 6, column: 15, message: "unexpected ')'" });
    expectOnly(MINIMAL.replace('sync(F)', 'sync(F'),
      { code: 'unexpected-token', line: 6, column: 15, message: "missing ')' to close 'sync(' before '}'" });
    expectOnly(MINIMAL.replace('{ sync(F) }', '{\n  sync(F\n}'),
      { code: 'unexpected-token', line: 7, column: 9, message: "missing ')' to close 'sync(' before end of line" });
    expectOnly(MINIMAL.replace('sync(F)', 'sync(F) sync(F)'),
      { code: 'unexpected-token', line: 6, column: 16, message: "expected ';' or a new line after 'sync(...)'" });
  });

  it('binary data: one error at the control byte, then stop', () => {
    const text = MINIMAL.replace('file F', 'fi\u0000le F') + 'frob frob frob\n';
    expectOnly(text, { code: 'binary-data', line: 4, column: 5, message: 'binary data' });
    expectOnly('race x "\u0001"\n', { code: 'binary-data', line: 1, column: 9, message: 'control character 0x01' });
  });

  it('bad numbers: index -1, buffers 99, bad integer args', () => {
    expectOnly(MINIMAL.replace('index 0', 'index -1'),
      { code: 'bad-number', line: 4, column: 25, message: "page index must be an integer >= 0, got '-1'" });
    expectOnly(MINIMAL.replace('index 0', 'index 0 buffers 99'),
      { code: 'bad-number', line: 4, column: 35, message: "buffers must be between 1 and 8, got '99'" });
    expectOnly(MINIMAL.replace('index 0', 'index'),
      { code: 'bad-number', line: 4, column: 19, message: "expected a number after 'index'" });
    expectOnly(MINIMAL.replace('sync(F)', 'sync(F, 12abc)'),
      { code: 'bad-number', line: 6, column: 16, message: "invalid number '12abc'" });
  });

  it('missing page index', () => {
    expectOnly(MINIMAL.replace('index 0', 'uptodate'),
      { code: 'missing-index', line: 4, column: 17, message: "page 'P' needs 'index N'" });
  });

  it('duplicate object names', () => {
    expectOnly(MINIMAL.replace('page P index 0', 'page F index 0'),
      { code: 'duplicate-name', line: 4, column: 17, message: "duplicate name 'F': already declared as a file at 4:8" });
    expectOnly(WITH_MMAP.replace('shared { P }', 'shared { P; P dirty writable }'),
      { code: 'duplicate-name', line: 6, column: 26, message: "page 'P' listed twice in mapping 'U'" });
  });

  it('reserved words as object names', () => {
    expectOnly(MINIMAL.replace('page P', 'page P1').replace('sync(F)', 'sync(P1)'),
      { code: 'bad-name', line: 4, column: 17, message: "'P1' is reserved" });
  });

  it('expect violated with no invariant', () => {
    expectOnly(MINIMAL + 'expect 2.6.19 violated\n',
      { code: 'missing-invariant', line: 8, column: 15, message: "'violated' needs the invariants that break" });
    expectOnly(MINIMAL + 'expect 2.6.19\n',
      { code: 'missing-verdict', line: 8, column: 1, message: 'needs a verdict' });
    expectOnly(MINIMAL + 'expect 2.6.19 fails\n',
      { code: 'missing-verdict', line: 8, column: 15, message: "unknown verdict 'fails'" });
    expectOnly(MINIMAL + 'expect 2.6.19 holds lost-write\n',
      { code: 'unexpected-token', line: 8, column: 21, message: "unexpected 'lost-write'; expected end of line after 'holds'" });
  });

  it('invariant in expect that is not in check (warning)', () => {
    expectOnly(MINIMAL + 'expect 2.6.19 violated deadlock\n',
      { code: 'expect-not-checked', line: 8, column: 24, message: "invariant 'deadlock' is expected to be violated but is not in 'check'", severity: 'warning' });
  });

  it('duplicate expect and duplicate header lines', () => {
    expectOnly(MINIMAL + 'expect 2.6.19 holds\nexpect 2.6.19 incomplete\n',
      { code: 'duplicate-expect', line: 9, column: 1, message: "duplicate expect for '2.6.19' (first at 8:1)" });
    expectOnly(MINIMAL.replace('era 2.6.19', 'era 2.6.19\nera 2.6.20'),
      { code: 'duplicate-header', line: 3, column: 1, message: "duplicate 'era' (first at 2:5)" });
  });

  it('page and PTE word mistakes', () => {
    expectOnly(MINIMAL.replace('index 0', 'index 0 dirtyy'),
      { code: 'unknown-word', line: 4, column: 27, message: "unknown page word 'dirtyy'" });
    expectOnly(MINIMAL.replace('index 0', 'index 0 delalloc'),
      { code: 'conflicting-words', line: 4, column: 27, message: "'delalloc' applies to the page's buffers" });
    expectOnly(WITH_MMAP.replace('shared { P }', 'shared { P present absent }'),
      { code: 'conflicting-words', line: 6, column: 33, message: "'present' and 'absent' contradict each other" });
    expectOnly(WITH_MMAP.replace('shared { P }', 'shared { P absent dirty }'),
      { code: 'conflicting-words', line: 6, column: 25, message: 'an absent PTE cannot be writable or dirty' });
  });

  it('bad fixed-by commit and bad mount option', () => {
    expectOnly(MINIMAL.replace('era 2.6.19', 'era 2.6.19\nfixed-by xyz123 in 2.6.20'),
      { code: 'bad-commit', line: 3, column: 10, message: "invalid commit id 'xyz123'" });
    expectOnly(MINIMAL.replace('setup {\n', 'setup {\n  fs ext3 data=ordered data=journal\n'),
      { code: 'duplicate-option', line: 4, column: 24, message: "mount option 'data' given twice" });
  });
});

describe('diagnostics: recovery and limits', () => {
  it('reports several independent errors in one pass, sorted by position', () => {
    const text = FULL_EXAMPLE
      .replace('store(U, P, 2)', 'stor(U, P, 2)')
      .replace('index 0', 'index -1')
      .replace('check lost-write', 'check lost-writes')
      .replace('P1 journal', 'P1 journal { bogus( }\nP1 journal');
    const all = check(text);
    assert.deepEqual(all.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}`), [
      '9:25 bad-number',
      '13:32 unknown-operation',
      '14:21 unexpected-token',
      '15:1 duplicate-cpu-block',
      '19:7 unknown-invariant',
      '20:24 expect-not-checked',
    ]);
  });

  it('caps diagnostics at 50, the last one saying so', () => {
    const all = check(MINIMAL + 'wat\n'.repeat(200));
    assert.equal(all.length, 50);
    assert.ok(all.slice(0, 49).every((d) => d.code === 'unexpected-token'));
    assert.equal(all[49]!.code, 'too-many-diagnostics');
    assert.equal(all[0]!.range.start.line, 8);
  });

  it('a diagnostic range covers the offending text', () => {
    const [d] = check(MINIMAL.replace('sync(F)', 'frobnicate(F)'));
    assert.deepEqual(d!.range, { start: { line: 6, column: 8 }, end: { line: 6, column: 18 } });
  });
});
