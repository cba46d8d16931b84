/**
 * Placing what a run meets at its C source: an error inside a model at the function,
 * file and line it came from (and the scenario call it ran for), an assumption at its
 * statement; and which fields of the backing device's structures are only accounting.
 */
import { refId, refKind, type Instr, type Origin, type Value } from './program.js';
import { ModelError } from './errors.js';
import { assumptionAt, type Assumption } from './assumptions.js';
import { BACKING_KINDS, backingField } from './backing-dev.js';
import type { Thread } from './machine-types.js';

/** Errors inside a model become ModelErrors naming the function and line. */
export function locatedError(thread: Thread, instr: Instr, err: unknown): ModelError {
  // already placed by a deeper frame
  if (err instanceof ModelError && err.call) return err;
  const frame = thread.frames[thread.frames.length - 1];
  const fn = frame ? frame.c.fn : undefined;
  // a jump has no origin of its own: the statement before it (a loop's body) stands for it
  let at: Origin | undefined = 'at' in instr ? instr.at : undefined;
  for (let pc = frame ? frame.pc : -1; !at && fn && pc >= 0; pc--) {
    const i = fn.code[pc];
    if (i && 'at' in i) at = i.at;
  }
  // a loop with no statement before it: the first placed one after, or the function's line
  for (let pc = frame ? frame.pc : 0; !at && fn && pc < fn.code.length; pc++) {
    const i = fn.code[pc];
    if (i && 'at' in i) at = i.at;
  }
  if (!at && fn?.line !== undefined) at = { line: fn.line };
  const msg = err instanceof Error ? err.message : String(err);
  // name the scenario call this came from: the bottom frame is the CPU block
  const root = thread.frames[0];
  const rootFn = root ? root.c.fn : undefined;
  const rootAt = rootFn && root ? (rootFn.code[root.pc] as { at?: Origin } | undefined)?.at : undefined;
  // the C file, line and column of the instruction, when it has them
  const place = at ? `${fn?.file ?? '?'}:${at.line}${at.column ? `:${at.column}` : ''}` : fn?.file;
  const where = root !== frame ? `${frame?.fn ?? '?'}${place ? ` (${place})` : ''}: ` : '';
  const error = new ModelError(`${where}${msg}`, frame?.fn, fn?.file, at?.line);
  if (rootAt) error.call = { line: rootAt.line, column: rootAt.column ?? 1 };
  return error;
}

export function withAt(file: string | undefined, at: Origin | undefined): { at?: Assumption['at'] } {
  const a = assumptionAt(file, at);
  return a ? { at: a } : {};
}


/** A field of the backing device's structures that backing-dev.ts does not know: accounting, read as 0. */
export function isAccountingField(obj: Value, field: string): boolean {
  const kind = refKind(obj);
  return kind !== undefined && BACKING_KINDS.has(kind) && backingField(kind, refId(obj) ?? '', field) === undefined;
}

export function accountingWhat(obj: Value): string {
  switch (refKind(obj)) {
    case 'sb': return 'the superblock';
    case 'bdi': return 'the backing device (backing_dev_info)';
    case 'wb': return 'the writeback domain (bdi_writeback)';
    default: return `a structure the simulator does not model (${refId(obj)})`;
  }
}
