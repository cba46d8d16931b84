/** formatProgram / formatExpr and instruction origins. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatExpr, formatProgram } from 'racelens-server/out/lift/index.js';
import type { Expr } from 'racelens-server/out/sim/program.js';
import { CLEAR_PAGE_DIRTY_2620, UNSUPPORTED } from './fixtures.js';
import { lift } from './helpers.js';

test('header, step marks and notes', () => {
  const f = lift(CLEAR_PAGE_DIRTY_2620, 'clear_page_dirty_for_io');
  const text = formatProgram(f.program);
  const lines = text.split('\n');
  assert.equal(lines[0], 'clear_page_dirty_for_io(page)  fixture.c:2');
  assert.equal(lines.length, 1 + f.program.code.length);
  // With a primitive oracle only primitives are marked.
  const precise = formatProgram(f.program, { isPrimitive: (n) => n === 'TestClearPageDirty' }).split('\n');
  assert.equal(precise.filter((l) => / \* /.test(l)).length, 2);
  assert.match(precise[1], /^ {3}0 {3} 4 {2}\$t0 = page_mapping\(page\)$/);

  const odd = lift(UNSUPPORTED, 'odd');
  const notes = formatProgram(odd.program).split('\n').filter((l) => l.startsWith('  note '));
  assert.equal(notes.length, odd.program.notes.length);
  assert.match(notes[0], /^ {2}note 5:10: statement expression/);
});

test('formatExpr parenthesizes by C precedence', () => {
  const l = (name: string): Expr => ({ k: 'local', name });
  const e: Expr = {
    k: 'bin', op: '*',
    a: { k: 'bin', op: '+', a: l('a'), b: l('b') },
    b: { k: 'un', op: '!', a: { k: 'field', obj: l('p'), field: 'f' } },
  };
  assert.equal(formatExpr(e), '(a + b) * !p->f');
  assert.equal(formatExpr({ k: 'bin', op: '-', a: l('a'), b: { k: 'bin', op: '-', a: l('b'), b: l('c') } }), 'a - (b - c)');
  assert.equal(formatExpr({ k: 'addr', obj: l('mapping'), field: 'private_lock' }), '&mapping->private_lock');
  assert.equal(formatExpr({ k: 'cond', c: l('c'), a: { k: 'num', v: -1 }, b: { k: 'null' } }), 'c ? -1 : NULL');
});

test('origins: 1-based line/column, statement or call text, at most 80 characters', () => {
  const src = `
int long_one(struct page *page)
{
	return some_very_long_function_name_for_testing(page, another_long_argument_name, yet_another_long_argument_name_here);
}
`;
  const f = lift(src, 'long_one');
  const call = f.program.code[0];
  assert.equal(call.op, 'call');
  assert.equal(call.at?.line, 4);
  assert.equal(call.at?.column, 9);
  assert.equal(call.at?.text?.length, 80);
  assert.ok(call.at?.text?.startsWith('some_very_long_function_name_for_testing(page,'));
  assert.ok(call.at?.text?.endsWith('…'));
  const ret = f.program.code[1];
  assert.equal(ret.op === 'ret' && ret.at?.text?.startsWith('return some_very'), true);
});
