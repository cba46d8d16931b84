/** Inputs that must never crash the lifter, and constructs it reports instead of lowering. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSource } from 'racelens-server/out/lift/index.js';
import { BROKEN, UNSUPPORTED } from './fixtures.js';
import { lift, noteTexts, ops, validate } from './helpers.js';

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

/** compileSource catches everything; what it caught must not be an internal error. */
function assertNoInternalError(u: ReturnType<typeof compileSource>): void {
  const internal = u.errors.filter((e) => /internal error|TypeError|RangeError|is not|undefined|Cannot read/.test(e.what));
  assert.deepEqual(internal, [], 'compileSource reported an internal error');
}

test('binary garbage: no throw, reported as not C', () => {
  const u = compileSource(bytes(1 << 20, 7).toString('latin1'), 'garbage.bin');
  assert.equal(u.functions.size, 0);
  assert.match(u.errors[0].what, /binary/);
});

test('printable garbage and token soup: no throw, every lifted program well formed', () => {
  const printable = Array.from(bytes(300_000, 3), (x) => String.fromCharCode(32 + (x % 95))).join('');
  const p = compileSource(printable, 'p.c');
  assertNoInternalError(p);
  for (const f of p.functions.values()) validate(f.program);
  // printable noise has no function definitions worth the name: whatever is found is reported
  assert.ok(p.functions.size > 0 || p.errors.length > 0, 'printable garbage gives functions or errors, not nothing');
  const toks = ['if', '(', ')', '{', '}', 'x', ';', '*', '->', 'while', 'int', 'return', '1', 'goto', 'l:', 'else',
    'switch', 'case', ':', '=', '&&', 'f', ',', 'do', 'break', '\n', 'struct', '#ifdef X\n', '#endif\n'];
  const soup = Array.from(bytes(200_000, 11), (x) => toks[x % toks.length]).join(' ');
  const u = compileSource(soup, 's.c');
  assertNoInternalError(u);
  for (const f of u.functions.values()) validate(f.program);
});

test('a 2 MB file parses and compiles without throwing', () => {
  const one = (i: number) => `static int f${i}(struct page *page)
{
	if (PageDirty(page) && page->mapping)
		lock_page(page);
	return PageWriteback(page) ? 1 : 0;
}
`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 2 * 1024 * 1024; i++) {
    parts.push(one(i));
    size += parts[parts.length - 1].length;
  }
  const text = parts.join('');
  const u = compileSource(text, 'big.c', { only: new Set(['f0', `f${parts.length - 1}`]) });
  assert.equal(u.functions.size, 2);
  const last = u.functions.get(`f${parts.length - 1}`);
  assert.ok(last);
  assert.equal(last.status, 'clean');
  assert.ok((last.program.line ?? 0) > 80_000);
  validate(last.program);
});

test('deep nesting is cut off with a note, not a stack overflow', () => {
  const deep = `int f(void) { return ${'('.repeat(50_000)}1${')'.repeat(50_000)}; }
int g(void) { ${'if (x) {'.repeat(3000)} y(); ${'}'.repeat(3000)} return 0; }
int h(void) { return ${'a + '.repeat(20_000)}1; }`;
  const u = compileSource(deep, 'deep.c');
  assertNoInternalError(u);
  for (const name of ['f', 'g', 'h']) {
    const f = u.functions.get(name);
    assert.ok(f, name);
    validate(f.program);
    assert.equal(f.status, 'failed', name);
    assert.ok(noteTexts(f.program).some((t) => /nesting deeper/.test(t)), name);
  }
});

test('odd inputs: empty, only comments, unicode, CRLF, unterminated', () => {
  for (const src of ['', '/* nothing */', '// x\n', 'int é(void) { return 1; }', 'int f(void)\r\n{\r\n\treturn 2;\r\n}\r\n',
    'int f(void) { if (x', '"unterminated', '#if 1\nint g(void) {', '}}}}', '\uFEFFint f(void) { return 3; }']) {
    const u = compileSource(src, 'odd.c');
    assertNoInternalError(u);
    for (const f of u.functions.values()) validate(f.program);
  }
  const crlf = compileSource('int f(void)\r\n{\r\n\treturn 2;\r\n}\r\n', 'crlf.c').functions.get('f');
  assert.equal(crlf?.status, 'clean');
  assert.equal(crlf?.program.code[0].op === 'ret' && crlf.program.code[0].at?.line, 3);
});

test('unsupported constructs are noted and skipped; the body is still usable', () => {
  const f = lift(UNSUPPORTED, 'odd');
  assert.equal(f.status, 'notes');
  const notes = noteTexts(f.program);
  for (const re of [/statement expression/, /initializer list for 'w'/, /inline asm/, /array subscript/,
    /write through pointer/, /__builtin_popcount/, /sizeof/, /compound literal/]) {
    assert.ok(notes.some((t) => re.test(t)), `no note matching ${re}: ${notes.join(' | ')}`);
  }
  assert.equal(ops(f.program).at(-1), 'return v');
});

test('broken control flow makes the lift fail; noise in a statement only adds notes', () => {
  assert.equal(lift(BROKEN, 'bad_goto').status, 'failed');
  assert.match(noteTexts(lift(BROKEN, 'bad_goto').program)[0], /unknown label 'nowhere'/);
  assert.equal(lift(BROKEN, 'bad_break').status, 'failed');
  assert.equal(lift(BROKEN, 'error_in_flow').status, 'failed');
  const noise = lift(BROKEN, 'error_noise');
  assert.equal(noise.status, 'notes');
  assert.deepEqual(ops(noise.program), ['if (x) goto 1 else 3', 'foo()', 'goto 4', 'bar()', 'return x']);
  assert.equal(lift(BROKEN, 'error_in_expr').status, 'notes');
});

test('iterator macros and preprocessor conditionals inside bodies', () => {
  const src = `
int walk(struct address_space *mapping)
{
	struct buffer_head *bh;

	list_for_each_entry(bh, &mapping->private_list, b_assoc_buffers) {
		sync_dirty_buffer(bh);
	}
#ifdef CONFIG_DEBUG_VM
	check_mapping(mapping);
#else
	skip_check(mapping);
#endif
#if 0
	dead_code(mapping);
#endif
	return 0;
}
`;
  const f = lift(src, 'walk');
  assert.equal(f.status, 'notes');
  assert.deepEqual(ops(f.program), ['bh = 0', 'sync_dirty_buffer(bh)', 'check_mapping(mapping)', 'return 0']);
  assert.ok(noteTexts(f.program).some((t) => /iterator macro list_for_each_entry/.test(t)));
});

test('statement-level odds: labels at the end, empty statements, nested blocks, attributes', () => {
  const src = `
int odds(int x)
{
	;
	{ { x = 1; } }
	switch (x) {
	case 1:
		x = 2;
		__attribute__((fallthrough));
	default:
		;
	}
	if (x)
		goto out;
	x = 3;
out:
	;
}
`;
  const f = lift(src, 'odds');
  assert.equal(f.status, 'clean', JSON.stringify(f.program.notes));
  assert.deepEqual(ops(f.program), [
    'x = 1',
    'if (x == 1) goto 3 else 2',
    'goto 4',
    'x = 2',
    'if (x) goto 5 else 6',
    'goto 7',
    'x = 3',
    'return',
  ]);
});
