/**
 * Helpers the kernel computes from their arguments alone (include/linux/log2.h,
 * minmax.h, x86-64 arch hooks): local computation, never a step.
 */
import type { Primitive } from '../primitive.js';
import { int } from '../values.js';
import { refId, refKind, type Value } from '../program.js';
import { STATIC_KEYS } from '../static-keys.js';

/** ERR_PTR(-ENOENT) → "err:-2": an error pointer, non-NULL, that IS_ERR() tells from an object. */
function errOf(v: Value): number | undefined {
  return refKind(v) === 'err' ? Number(refId(v)) : undefined;
}

export const purePrimitives: Primitive[] = [
  // include/linux/err.h: a pointer that carries an errno (the top 4095 addresses)
  {
    names: ['ERR_PTR', 'ERR_CAST'],
    doc: 'an error pointer carrying a negative errno (ERR_CAST passes a pointer on)',
    pure: true,
    run: (_c, [e]) => (typeof e === 'number' ? (e === 0 ? null : `err:${e}`) : e),
  },
  {
    names: ['IS_ERR', 'IS_ERR_VALUE'],
    doc: 'whether a pointer is an error pointer (NULL is not)',
    pure: true,
    run: (_c, [p]) => (errOf(p) !== undefined ? 1 : 0),
  },
  {
    names: ['IS_ERR_OR_NULL'],
    doc: 'whether a pointer is NULL or an error pointer',
    pure: true,
    run: (_c, [p]) => (p === null || p === 0 || errOf(p) !== undefined ? 1 : 0),
  },
  {
    names: ['PTR_ERR', 'PTR_ERR_OR_ZERO'],
    doc: 'the errno an error pointer carries (0 for any other pointer)',
    pure: true,
    run: (_c, [p]) => errOf(p) ?? 0,
  },
  {
    names: ['ilog2', '__ilog2_u32', '__ilog2_u64', 'const_ilog2'],
    doc: 'the base-2 logarithm of n, rounded down',
    pure: true,
    run: (_c, [n]) => { const v = int(n); return v > 0 ? Math.floor(Math.log2(v)) : -1; },
  },
  {
    names: ['min', 'min3'],
    doc: 'the smallest argument', pure: true,
    run: (_c, args) => Math.min(...args.map(int)),
  },
  {
    names: ['max', 'max3'],
    doc: 'the largest argument', pure: true,
    run: (_c, args) => Math.max(...args.map(int)),
  },
  // include/linux/jump_label.h: whether a static key's branch is patched in (sim/static-keys.ts)
  {
    names: ['static_branch_unlikely', 'static_branch_likely', 'static_key_false', 'static_key_true', 'static_key_enabled'],
    doc: 'whether a static key is on: a fact of the system, from sim/static-keys.ts, said as an assumption',
    pure: true,
    constant: (args) => {
      const a = args[0];
      const key = a?.k === 'sym' && Object.hasOwn(STATIC_KEYS, a.name) ? STATIC_KEYS[a.name]! : undefined;
      return key === undefined ? undefined : key.on ? 1 : 0;
    },
    run: (c, [k]) => {
      const name = refKind(k) === 'key' ? refId(k)! : undefined;
      const key = name !== undefined && Object.hasOwn(STATIC_KEYS, name) ? STATIC_KEYS[name]! : undefined;
      if (!key) {
        c.assume?.('static-key', `a static key the simulator does not know (${String(k)}) is taken as off`);
        return 0;
      }
      c.assume?.('static-key', `static key ${name} is ${key.on ? 'on' : 'off'}: ${key.why}`);
      return key.on ? 1 : 0;
    },
  },
  {
    names: ['arch_make_folio_accessible', 'arch_make_page_accessible'],
    doc: 'x86-64: memory is always accessible to I/O (only s390 protects it): 0, success',
    pure: true,
    run: () => 0,
  },
  {
    names: ['mapping_set_error'],
    doc: 'records a writeback error for fsync to report; the simulated disk never fails, so an error here is an assumption',
    pure: true,
    run: (c, [, error]) => {
      if (int(error) !== 0) c.assume?.('unmodeled-error', `mapping_set_error() with error ${int(error)}: I/O errors are not modeled (fsync would report it)`);
      return 0;
    },
  },
  {
    names: ['wbc_to_write_flags'],
    doc: 'the request flags of a writeback (REQ_SYNC for WB_SYNC_ALL): an I/O scheduling hint the disk model ignores',
    pure: true,
    run: () => 0,
  },
];
