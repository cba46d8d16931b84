/** C's view of the simulator's values: truth, integers, equality, unsigned operations. */
import type { Value } from './program.js';
import { bitOfValue } from './flag-bits.js';

export function truthy(v: Value): boolean {
  return v !== 0 && v !== null;
}

/**
 * Pointers to kernel objects, as an integer: non-zero and aligned (a struct page, an
 * address_space, a buffer_head is at least 8-byte aligned), so the low bits the kernel
 * tags pointers with read clear: `(unsigned long)entry & 1` (xa_is_value) and
 * `(unsigned long)mapping & PAGE_MAPPING_FLAGS` (folio_mapping) are 0 for them.
 */
const ALIGNED_POINTER = 0x1000;
const OBJECT_KINDS: ReadonlySet<string> = new Set(['page', 'mapping', 'inode', 'file', 'bh', 'vma', 'mm', 'sb', 'bdi', 'wb', 'iocb', 'vmf', 'ptep', 'pmd', 'stk', 'pgd', 'p4d', 'pud']);

/** A flag bit's constant counts as its number (`1 << PG_writeback`); a pointer to an object as an aligned non-zero address; another symbol as non-zero. */
export function int(v: Value): number {
  if (typeof v === 'number') return v;
  if (v === null) return 0;
  const bit = bitOfValue(v);
  if (bit) return bit.nr;
  const colon = v.indexOf(':');
  return colon > 0 && OBJECT_KINDS.has(v.slice(0, colon)) ? ALIGNED_POINTER : 1;
}

export function same(a: Value, b: Value): boolean {
  if (a === null || b === null) return (a === null || a === 0) && (b === null || b === 0);
  return a === b;
}

/**
 * The operations whose result depends on signedness, for operands of an unsigned type
 * held in two's-complement form (a negative number stands for 2^64 + v); undefined
 * for the others, which come out the same either way.
 */
export function unsignedOp(op: string, a: number, b: number): number | undefined {
  if (a >= 0 && b >= 0) return undefined;
  const ua = a < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(a))) : BigInt(Math.trunc(a));
  const ub = b < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(b))) : BigInt(Math.trunc(b));
  switch (op) {
    case '<': return ua < ub ? 1 : 0;
    case '<=': return ua <= ub ? 1 : 0;
    case '>': return ua > ub ? 1 : 0;
    case '>=': return ua >= ub ? 1 : 0;
    case '/': return ub === 0n ? 0 : Number(BigInt.asIntN(64, ua / ub));
    case '%': return ub === 0n ? 0 : Number(BigInt.asIntN(64, ua % ub));
    case '>>': return ub >= 64n ? 0 : Number(BigInt.asIntN(64, ua >> ub));
    default: return undefined;
  }
}


/**
 * C's shifts on 64-bit values: JavaScript's << and >> work on 32 bits, which turns
 * LLONG_MAX >> PAGE_SHIFT into -1 and 1UL << 40 into 256.
 */
export function shiftLeft(a: number, b: number): number {
  if (b < 0 || b >= 64) return 0;
  return Number(BigInt.asIntN(64, BigInt(Math.trunc(a)) << BigInt(b)));
}

export function shiftRight(a: number, b: number): number {
  if (b < 0 || b >= 64) return a < 0 ? -1 : 0;
  return Number(BigInt.asIntN(64, BigInt(Math.trunc(a)) >> BigInt(b)));
}
