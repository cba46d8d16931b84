/** Shared helpers for the lifter tests. */
import assert from 'node:assert/strict';
import { compileSource, formatProgram, type LiftedFunction } from 'racelens-server/out/lift/index.js';
import type { FunctionProgram } from 'racelens-server/out/sim/program.js';

export function lift(src: string, name: string): LiftedFunction {
  const unit = compileSource(src, 'fixture.c');
  const f = unit.functions.get(name);
  assert.ok(f, `${name} not compiled; have: ${[...unit.functions.keys()].join(', ')}`);
  validate(f.program);
  return f;
}

/** The listing without the header line and notes, with the margin removed. */
export function code(p: FunctionProgram): string {
  return formatProgram(p)
    .split('\n')
    .slice(1)
    .filter((l) => !l.trimStart().startsWith('note '))
    .map((l) => l.replace(/^ {2}/, '').trimEnd())
    .join('\n');
}

/** Text of each instruction only (no index, mark or line), for order-only assertions. */
export function ops(p: FunctionProgram): string[] {
  return code(p).split('\n').map((l) => l.replace(/^\s*\d+ [* ]\s*\d*\s+/, ''));
}

/** Structural invariants every lifted program must satisfy. */
export function validate(p: FunctionProgram): void {
  assert.ok(p.code.length > 0, `${p.name}: empty code`);
  assert.equal(p.code[p.code.length - 1].op, 'ret', `${p.name}: last instruction is not ret`);
  p.code.forEach((i, idx) => {
    const targets = i.op === 'jmp' ? [i.to] : i.op === 'br' ? [i.t, i.f] : [];
    for (const t of targets) {
      assert.ok(Number.isInteger(t) && t >= 0 && t < p.code.length, `${p.name}@${idx}: target ${t} out of range`);
    }
    if ('at' in i && i.at) {
      assert.ok(i.at.line >= 1, `${p.name}@${idx}: line ${i.at.line}`);
      assert.ok((i.at.column ?? 1) >= 1, `${p.name}@${idx}: column`);
      assert.ok((i.at.text ?? '').length <= 80, `${p.name}@${idx}: text too long`);
    }
  });
  for (const n of p.notes) assert.ok(n.line >= 1 && n.what.length > 0, `${p.name}: bad note`);
}

export function noteTexts(p: FunctionProgram): string[] {
  return p.notes.map((n) => n.what);
}
