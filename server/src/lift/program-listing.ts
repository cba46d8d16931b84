/** Human-readable listing of a FunctionProgram, for `racelens explain` and test expectations. */
import type { BinaryOp, Expr, FunctionProgram, Instr } from '../sim/program.js';

const PREC: Record<BinaryOp, number> = {
  '*': 10, '/': 10, '%': 10, '+': 9, '-': 9, '<<': 8, '>>': 8,
  '<': 7, '<=': 7, '>': 7, '>=': 7, '==': 6, '!=': 6,
  '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
};
const UNARY = 11;
const UNSIGNED_MARKED: ReadonlySet<BinaryOp> = new Set(['<', '<=', '>', '>=', '/', '%', '>>']);
const POSTFIX = 12;

/** C-like text of an Expr, parenthesized only where precedence needs it. */
export function formatExpr(e: Expr, outer = 0): string {
  const wrap = (prec: number, s: string): string => (prec < outer ? `(${s})` : s);
  switch (e.k) {
    case 'num': return e.v < 0 ? wrap(UNARY, String(e.v)) : String(e.v);
    case 'null': return 'NULL';
    case 'sym':
    case 'fn':
    case 'local': return e.name;
    case 'un': return wrap(UNARY, e.op + formatExpr(e.a, UNARY));
    case 'bin': {
      const p = PREC[e.op];
      // an unsigned comparison, division or shift is marked: `index <u end`
      const op = e.unsigned && UNSIGNED_MARKED.has(e.op) ? `${e.op}u` : e.op;
      return wrap(p, `${formatExpr(e.a, p)} ${op} ${formatExpr(e.b, p + 1)}`);
    }
    case 'cond': return wrap(0, `${formatExpr(e.c, 1)} ? ${formatExpr(e.a, 1)} : ${formatExpr(e.b, 0)}`);
    case 'field': return `${formatExpr(e.obj, POSTFIX)}->${e.field}`;
    case 'addr': return wrap(UNARY, `&${formatExpr(e.obj, POSTFIX)}->${e.field}`);
    case 'ref': return wrap(UNARY, `&${e.name}`);
    case 'arr': return `{${e.items.map((x) => formatExpr(x)).join(', ')}}`;
    case 'elem': return `${formatExpr(e.a, POSTFIX)}[${formatExpr(e.i)}]`;
  }
}

/** The instruction as one line of C-like text, without its index or origin. */
export function formatInstr(i: Instr): string {
  switch (i.op) {
    case 'set': return `${i.dst} = ${formatExpr(i.e)}`;
    case 'call': {
      const callee = typeof i.callee === 'string' ? i.callee : formatExpr(i.callee, POSTFIX);
      const call = `${callee}(${i.args.map((a) => formatExpr(a)).join(', ')})`;
      return i.dst ? `${i.dst} = ${call}` : call;
    }
    case 'load': return `${i.dst} = load ${formatExpr(i.obj, POSTFIX)}->${i.field}`;
    case 'store': return `store ${formatExpr(i.obj, POSTFIX)}->${i.field} = ${formatExpr(i.e)}`;
    case 'jmp': return `goto ${i.to}`;
    case 'br': return `if (${formatExpr(i.c)}) goto ${i.t} else ${i.f}`;
    case 'ret': return i.e ? `return ${formatExpr(i.e)}` : 'return';
    case 'check': return `${i.kind === 'bug' ? 'BUG_ON' : 'WARN_ON'}(${formatExpr(i.c)})`;
  }
}

export interface FormatOptions {
  /**
   * Which callees are simulator primitives (one atomic step each). Without it every
   * call is marked, since any call may be one.
   */
  isPrimitive?: (name: string) => boolean;
}

function isStep(i: Instr, opts: FormatOptions): boolean {
  if (i.op === 'load' || i.op === 'store') return true;
  if (i.op !== 'call') return false;
  if (!opts.isPrimitive) return true;
  return typeof i.callee === 'string' ? opts.isPrimitive(i.callee) : false;
}

/**
 * One line per instruction: index, `*` on atomic steps, source line, instruction.
 * A header names the function and its origin; notes follow the code.
 *
 *   clear_page_dirty_for_io(page)  mm/page-writeback.c:840
 *     0 *  841  $t0 = page_mapping(page)
 *     1    841  mapping = $t0
 */
export function formatProgram(p: FunctionProgram, opts: FormatOptions = {}): string {
  const where = p.file ? `  ${p.file}${p.line ? `:${p.line}` : ''}` : '';
  const lines = [`${p.name}(${p.params.join(', ')})${where}`];
  const iw = String(Math.max(0, p.code.length - 1)).length;
  const lw = Math.max(1, ...p.code.map((i) => ('at' in i && i.at ? String(i.at.line).length : 0)));
  p.code.forEach((instr, idx) => {
    const at = 'at' in instr && instr.at ? String(instr.at.line) : '';
    const mark = isStep(instr, opts) ? '*' : ' ';
    lines.push(`  ${String(idx).padStart(iw)} ${mark} ${at.padStart(lw)}  ${formatInstr(instr)}`);
  });
  for (const n of p.notes) {
    lines.push(`  note ${n.line}${n.column ? `:${n.column}` : ''}: ${n.what}`);
  }
  return lines.join('\n');
}
