/**
 * Kernel macros that look like calls but are compiled specially. Everything not named
 * here is a call, resolved by the simulator (primitive, model function, no-op, or
 * unknown).
 */

/**
 * Compiled to their first argument. They only steer the compiler or the memory model
 * (a single load is already one atomic step here). ACCESS_ONCE is READ_ONCE's
 * pre-4.x name. PF_POISONED_CHECK(page) is its argument after a debug check.
 */
const PASS_THROUGH = new Set(['likely', 'unlikely', 'READ_ONCE', 'ACCESS_ONCE', 'data_race', '__builtin_expect',
  // include/linux/page-flags.h: `({ VM_BUG_ON_PGFLAGS(PagePoisoned(page), page); page; })`, a
  // CONFIG_DEBUG_VM_PGFLAGS check of an uninitialized struct page (never, for the modeled pages)
  'PF_POISONED_CHECK']);

export function isPassThrough(name: string): boolean {
  return PASS_THROUGH.has(name);
}

/** WRITE_ONCE(a, b) is the assignment a = b. */
export function isWriteOnce(name: string): boolean {
  return name === 'WRITE_ONCE';
}

/**
 * smp_store_release(p, v) is `*p = v`, smp_load_acquire(p) is `*p`: release and acquire
 * order what comes before and after, and the simulator's steps are sequentially
 * consistent already.
 */
export function orderedAccess(name: string): 'store' | 'load' | undefined {
  if (name === 'smp_store_release') return 'store';
  if (name === 'smp_load_acquire') return 'load';
  return undefined;
}

/**
 * BUG_ON(c), VM_BUG_ON(c), VM_BUG_ON_PAGE/FOLIO/VMA/MM(c, x): a violation when c.
 * BUG() is handled by the caller (no condition).
 */
const BUG_CHECK = /^(VM_)?BUG_ON(_[A-Z]+)?$/;

/**
 * WARN_ON(c), WARN_ON_ONCE(c), WARN(c, fmt, ...), WARN_ONCE(c, fmt, ...),
 * VM_WARN_ON*(c, ...): a note when c; their value is c.
 */
const WARN_CHECK = /^(VM_)?WARN(_ON)?(_ONCE)?(_[A-Z]+)?$/;

export function checkKind(name: string): 'bug' | 'warn' | undefined {
  if (name === 'BUG') return 'bug';
  if (BUG_CHECK.test(name)) return 'bug';
  if (WARN_CHECK.test(name)) return 'warn';
  return undefined;
}

/** Compiler builtins have no kernel semantics to model (except __builtin_expect above). */
export function isUnsupportedBuiltin(name: string): boolean {
  return name.startsWith('__builtin_') && !PASS_THROUGH.has(name);
}

/** list_for_each_entry(...) { ... } and friends: a loop the parser sees as a call. */
export function isIteratorMacro(name: string): boolean {
  return /for_?each/.test(name);
}

/**
 * Iterator macros whose expansion is a loop over calls the simulator serves: `first`
 * with the macro's arguments at `firstArgs` sets the cursor (argument 0), `next` with
 * those at `nextArgs` advances it, and the body runs while it is not NULL. Kernel facts:
 * include/linux/mm.h's `vma_interval_tree_foreach(vma, root, start, last)` is
 * `for (vma = vma_interval_tree_iter_first(root, start, last); vma;
 * vma = vma_interval_tree_iter_next(vma, start, last))` in 6.1 and 6.12.
 */
export interface IteratorExpansion {
  first: string;
  firstArgs: readonly number[];
  next: string;
  nextArgs: readonly number[];
}

const ITERATOR_EXPANSIONS: Readonly<Record<string, IteratorExpansion>> = Object.freeze(Object.assign(Object.create(null) as Record<string, IteratorExpansion>, {
  vma_interval_tree_foreach: { first: 'vma_interval_tree_iter_first', firstArgs: [1, 2, 3], next: 'vma_interval_tree_iter_next', nextArgs: [0, 2, 3] },
}));

export function iteratorExpansion(name: string): IteratorExpansion | undefined {
  return ITERATOR_EXPANSIONS[name];
}
