import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DIAGNOSTICS, parseRace, type ParseResult } from 'racelens-server/out/scenario/index.js';
import { FULL_EXAMPLE, MULTILINE, OPTS } from './fixtures.js';

/** Whatever the input: no throw, a bounded list, and `race` exactly when error-free. */
function sane(text: string): ParseResult {
  const r = parseRace(text, OPTS);
  assert.ok(Array.isArray(r.diagnostics));
  assert.ok(r.diagnostics.length <= MAX_DIAGNOSTICS);
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  assert.equal(r.race !== undefined, errors === 0, `race must be returned exactly when there are no errors: ${text.slice(0, 200)}`);
  for (const d of r.diagnostics) {
    assert.ok(d.range.start.line >= 1 && d.range.start.column >= 1, 'positions are 1-based');
    assert.ok(d.message.length > 0);
  }
  return r;
}

/** Deterministic, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function timed(text: string): { ms: number; r: ParseResult } {
  const t0 = performance.now();
  const r = sane(text);
  return { ms: performance.now() - t0, r };
}

const FIVE_MB = 5 * 1024 * 1024;

describe('robustness', () => {
  it('survives every truncation of the example, and reports errors for all but complete ones', () => {
    for (let n = 0; n <= FULL_EXAMPLE.length; n++) {
      const r = sane(FULL_EXAMPLE.slice(0, n));
      if (n < FULL_EXAMPLE.indexOf('check')) assert.equal(r.race, undefined);
    }
  });

  it('survives random edits of valid files', () => {
    const next = rng(42);
    const alphabet = ' \n\t{}()[];,#"=+-.P0123456789abcxyzUFPQ\\';
    for (const base of [FULL_EXAMPLE, MULTILINE]) {
      for (let round = 0; round < 400; round++) {
        const chars = base.split('');
        const edits = 1 + Math.floor(next() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(next() * chars.length);
          const op = next();
          if (op < 0.33) chars.splice(at, 1);
          else if (op < 0.66) chars.splice(at, 0, alphabet[Math.floor(next() * alphabet.length)]!);
          else chars[at] = alphabet[Math.floor(next() * alphabet.length)]!;
        }
        sane(chars.join(''));
      }
    }
  });

  it('survives shuffled lines', () => {
    const next = rng(7);
    const lines = FULL_EXAMPLE.split('\n');
    for (let round = 0; round < 200; round++) {
      const copy = lines.slice();
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      sane(copy.join('\n'));
    }
  });

  it('survives odd inputs', () => {
    for (const text of ['', '\n', '{', '}', '"', '#', '(', 'race', 'race "', 'P0', 'P0 a {', 'P0 a { f(', 'P0 a { f(U[',
      'setup { file', 'setup { mmap U = F shared {', 'expect', 'expect 2.6.19 fs', '\uFEFF', '\r\r\r', 'P99999999999999999999 x {}',
      'check ' + '-'.repeat(100), '\u00e9\u4e2d\ud83d\ude00', '\ud800']) {
      sane(text);
    }
  });

  it('does not throw when a caller callback throws', () => {
    const r = parseRace(FULL_EXAMPLE, { ...OPTS, isOperation: () => { throw new Error('boom'); } });
    assert.equal(r.race, undefined);
    assert.ok(r.diagnostics.some((d) => d.code === 'internal-error' && d.message.includes('boom')));
  });

  it('does not throw on a non-string input from plain JavaScript callers', () => {
    const r = parseRace(undefined as unknown as string, OPTS);
    assert.ok(r.diagnostics.some((d) => d.code === 'missing-race'));
  });

  it('parses 5 MB inputs of several shapes quickly', () => {
    const head = FULL_EXAMPLE.slice(0, FULL_EXAMPLE.indexOf('P0 user'));
    const shapes: Record<string, string> = {
      'one huge CPU block': head + 'P0 a {\n' + '  store(U, P, 0); store(U, P, 2)\n'.repeat(FIVE_MB / 32) + '}\n',
      'many CPU blocks': 'P0 a { sync(F) }\n'.repeat(FIVE_MB / 17),
      'one long line': 'check ' + 'lost-write '.repeat(FIVE_MB / 11),
      'a huge string': 'race x "' + 'a'.repeat(FIVE_MB) + '"\n',
      'comments': '# just a comment line\n'.repeat(FIVE_MB / 22),
      'open braces': '{'.repeat(FIVE_MB),
      'punctuation soup': '}{)(;,][x '.repeat(FIVE_MB / 10),
      'blank lines': '\n'.repeat(FIVE_MB),
      'quotes': '"\n'.repeat(FIVE_MB / 2),
      'unknown words': 'wat '.repeat(FIVE_MB / 4),
    };
    for (const [shape, text] of Object.entries(shapes)) {
      const { ms } = timed(text);
      // Typically well under 300 ms; the bound only catches super-linear behaviour.
      assert.ok(ms < 3000, `${shape}: ${ms.toFixed(0)} ms`);
    }
  });

  it('stops a runaway file with one too-large error', () => {
    const { r } = timed('P0 a { sync(F) }\n'.repeat(50000));
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['too-large']);
    assert.match(r.diagnostics[0]!.message, /scenario too large: more than 10000/);
  });

  it('scales linearly: 4x the calls take well under 16x the time', () => {
    const block = (n: number) => 'race r "t"\nera 2.6.19\nsetup { file F { page P index 0 } }\nP0 a {\n'
      + '  sync(F)\n'.repeat(n) + '}\ncheck lost-write\n';
    sane(block(1000)); // warm up the JIT
    const small = Math.max(timed(block(1000)).ms, timed(block(1000)).ms);
    const large = Math.min(timed(block(4000)).ms, timed(block(4000)).ms);
    assert.ok(large < Math.max(small * 16, 50), `1000 calls: ${small.toFixed(1)} ms, 4000 calls: ${large.toFixed(1)} ms`);
  });
});
