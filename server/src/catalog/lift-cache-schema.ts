/**
 * The shape a lift cache entry must have before any of it is used. The checksum of an
 * entry proves it is what some racelens build wrote; this proves that what was written
 * is a program the simulator can run: every instruction a known kind with its fields
 * typed, every jump inside the function, every expression a known kind. An entry that
 * fails is a miss (the file is lifted again), so a wrong entry can cost time but never
 * a verdict or a crash.
 *
 * When the simulator gains an instruction or expression kind, it is added here too;
 * `test/engine/lift-cache.test.ts` checks that every built-in model passes.
 */

type Check = (x: unknown) => boolean;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isPosInt = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
const opt = (x: unknown, check: Check): boolean => x === undefined || check(x);
const arrayOf = (x: unknown, check: Check): boolean => Array.isArray(x) && x.every(check);

const BINARY = new Set(['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '==', '!=', '<', '<=', '>', '>=', '&&', '||']);
const UNARY = new Set(['!', '-', '~']);

/** Expressions nest; a depth limit keeps a hostile entry from exhausting the stack. */
const MAX_DEPTH = 200;

export function validExpr(e: unknown, depth = 0): boolean {
  if (!isObj(e) || depth > MAX_DEPTH) return false;
  const sub = (x: unknown): boolean => validExpr(x, depth + 1);
  switch (e.k) {
    case 'num': return typeof e.v === 'number';
    case 'null': return true;
    case 'sym': case 'fn': case 'local': case 'ref': return isStr(e.name);
    case 'un': return UNARY.has(e.op as string) && sub(e.a);
    case 'bin': return BINARY.has(e.op as string) && sub(e.a) && sub(e.b) && opt(e.unsigned, (u) => u === true);
    case 'cond': return sub(e.c) && sub(e.a) && sub(e.b);
    case 'field': case 'addr': return sub(e.obj) && isStr(e.field);
    case 'arr': return arrayOf(e.items, sub);
    case 'elem': return sub(e.a) && sub(e.i);
    default: return false;
  }
}

function validOrigin(at: unknown): boolean {
  return isObj(at) && isPosInt(at.line) && opt(at.column, isPosInt) && opt(at.text, isStr);
}

function validInstr(i: unknown, codeLength: number): boolean {
  if (!isObj(i) || !opt(i.at, validOrigin)) return false;
  const target = (t: unknown): boolean => isPosInt(t) && (t as number) < codeLength;
  switch (i.op) {
    case 'set': return isStr(i.dst) && validExpr(i.e);
    case 'call': return (isStr(i.callee) || validExpr(i.callee)) && arrayOf(i.args, (a) => validExpr(a)) && opt(i.dst, isStr);
    case 'load': return isStr(i.dst) && validExpr(i.obj) && isStr(i.field);
    case 'store': return validExpr(i.obj) && isStr(i.field) && validExpr(i.e);
    case 'jmp': return target(i.to);
    case 'br': return validExpr(i.c) && target(i.t) && target(i.f);
    case 'ret': return opt(i.e, (e) => validExpr(e));
    case 'check': return (i.kind === 'bug' || i.kind === 'warn') && validExpr(i.c);
    default: return false;
  }
}

function validNote(n: unknown): boolean {
  return isObj(n) && isPosInt(n.line) && opt(n.column, isPosInt) && isStr(n.what);
}

export function validProgram(p: unknown): boolean {
  if (!isObj(p) || !isStr(p.name) || !arrayOf(p.params, isStr) || !arrayOf(p.notes, validNote)) return false;
  if (!opt(p.file, isStr) || !opt(p.line, isPosInt) || !opt(p.outParams, (o: unknown) => arrayOf(o, isStr))) return false;
  const code = p.code;
  // a program ends in `ret` (the lifter always emits one), so no path runs off its end
  return Array.isArray(code) && code.length > 0 && code.every((i) => validInstr(i, code.length))
    && (code[code.length - 1] as { op?: unknown }).op === 'ret';
}

function validRange(r: unknown): boolean {
  return isObj(r) && isPosInt(r.startLine) && isPosInt(r.startColumn) && isPosInt(r.endLine) && isPosInt(r.endColumn);
}

export function validLifted(f: unknown): boolean {
  return isObj(f) && (f.status === 'clean' || f.status === 'notes' || f.status === 'failed')
    && validRange(f.range) && validProgram(f.program);
}

function validState(s: unknown): boolean {
  return isObj(s) && isPosInt(s.size) && isStr(s.ino) && /^\d+$/.test(String(s.mtimeNs)) && /^\d+$/.test(String(s.ctimeNs));
}

/** [table, [field, function, condition?][], condition?][] */
function validTables(t: unknown): boolean {
  return arrayOf(t, (row) => Array.isArray(row) && (row.length === 2 || (row.length === 3 && isStr(row[2]))) && isStr(row[0])
    && arrayOf(row[1], (e) => Array.isArray(e) && (e.length === 2 || (e.length === 3 && isStr(e[2]))) && isStr(e[0]) && isStr(e[1])));
}

/** The whole entry, as lift-cache.ts's CacheEntry describes it. */
export function validEntry(e: unknown): boolean {
  if (!isObj(e)) return false;
  if (!isStr(e.build) || !isStr(e.path) || !isNum(e.written) || !validState(e.state)) return false;
  if (!opt(e.hash, isStr) || !arrayOf(e.defs, isStr) || !arrayOf(e.aops, isStr) || !opt(e.tables, validTables)) return false;
  if (!isObj(e.functions)) return false;
  return Object.values(e.functions).every((f) => f === null || validLifted(f));
}
