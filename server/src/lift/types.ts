/**
 * The little of C's type system the lifter needs: which integer types are unsigned
 * (so that `index < end` with `pgoff_t end = -1` compares as the maximum index), and
 * which structs are batches the simulator holds as local arrays. Both are tables of
 * names; no function is special-cased.
 */
import { ownTable } from '../sim/own-table.js';

/** An integer type after LP64 rules: width, signedness and conversion rank. */
export interface IntType {
  bits: number;
  unsigned: boolean;
  /** C conversion rank: bool 0, char 1, short 2, int 3, long 4, long long 5 */
  rank: number;
}

const t = (bits: number, unsigned: boolean, rank: number): IntType => ({ bits, unsigned, rank });
const INT = t(32, false, 3);
const UINT = t(32, true, 3);
const LONG = t(64, false, 4);
const ULONG = t(64, true, 4);
const LLONG = t(64, false, 5);
const ULLONG = t(64, true, 5);

/** Standard spellings (after normalising whitespace and dropping `signed`/`int` noise). */
const STANDARD: Readonly<Record<string, IntType>> = ownTable({
  _Bool: t(8, true, 0), bool: t(8, true, 0),
  char: t(8, false, 1), 'unsigned char': t(8, true, 1),
  short: t(16, false, 2), 'unsigned short': t(16, true, 2),
  int: INT, unsigned: UINT,
  long: LONG, 'unsigned long': ULONG,
  'long long': LLONG, 'unsigned long long': ULLONG,
});

/** Kernel typedefs (include/linux/types.h, asm-generic/int-ll64.h) on a 64-bit machine. */
const TYPEDEFS: Readonly<Record<string, IntType>> = ownTable({
  u8: t(8, true, 1), __u8: t(8, true, 1), uint8_t: t(8, true, 1),
  s8: t(8, false, 1), __s8: t(8, false, 1), int8_t: t(8, false, 1),
  u16: t(16, true, 2), __u16: t(16, true, 2), uint16_t: t(16, true, 2), __le16: t(16, true, 2), __be16: t(16, true, 2),
  s16: t(16, false, 2), __s16: t(16, false, 2), int16_t: t(16, false, 2),
  u32: UINT, __u32: UINT, uint32_t: UINT, __le32: UINT, __be32: UINT, gfp_t: UINT, fgf_t: UINT, fmode_t: UINT,
  umode_t: t(16, true, 2), dev_t: UINT, uid_t: UINT, gid_t: UINT, blk_opf_t: UINT, vm_fault_t: UINT,
  s32: INT, __s32: INT, int32_t: INT, pid_t: INT, ssize32_t: INT,
  u64: ULLONG, __u64: ULLONG, uint64_t: ULLONG, __le64: ULLONG, __be64: ULLONG, sector_t: ULLONG, blkcnt_t: ULLONG,
  s64: LLONG, __s64: LLONG, int64_t: LLONG, loff_t: LLONG, time64_t: LLONG, ktime_t: LLONG,
  pgoff_t: ULONG, size_t: ULONG, uintptr_t: ULONG, phys_addr_t: ULLONG, dma_addr_t: ULLONG, pfn_t: ULLONG,
  ssize_t: LONG, ptrdiff_t: LONG, off_t: LONG, intptr_t: LONG, long_t: LONG, vm_flags_t: ULONG,
  isolate_mode_t: UINT, xa_mark_t: UINT,
});

/** The integer type a type specifier names ("pgoff_t", "unsigned long int", "const u64"), if any. */
export function intTypeNamed(spelling: string): IntType | undefined {
  const words = spelling.replace(/\b(const|volatile|static|extern|register|inline|__always_inline|signed|__signed__)\b/g, ' ')
    .trim().split(/\s+/).filter(Boolean);
  if (words.length === 1 && TYPEDEFS[words[0]]) return TYPEDEFS[words[0]];
  // `unsigned long int`, `long unsigned`, `short int`: order-free, `int` implied
  const unsigned = words.includes('unsigned');
  const longs = words.filter((w) => w === 'long').length;
  const rest = words.filter((w) => w !== 'unsigned' && w !== 'long' && w !== 'int');
  if (rest.length > 1) return undefined;
  let base: string;
  if (longs === 2) base = 'long long';
  else if (longs === 1) base = 'long';
  else if (rest.length === 1) base = rest[0];
  else if (words.length > 0) base = 'int';
  else return undefined;
  if (longs > 0 && rest.length > 0) return undefined;
  if (base === 'int') return unsigned ? UINT : INT;
  const named = STANDARD[unsigned ? `unsigned ${base}` : base];
  return named ?? (unsigned ? undefined : TYPEDEFS[base]);
}

/** C's integer promotion: anything narrower than int becomes int. */
export function promote(a: IntType): IntType {
  return a.rank < 3 ? INT : a;
}

/** The usual arithmetic conversions of C (LP64); an unknown operand counts as int. */
export function commonType(a: IntType | undefined, b: IntType | undefined): IntType {
  const x = promote(a ?? INT);
  const y = promote(b ?? INT);
  if (x.unsigned === y.unsigned) return x.rank >= y.rank ? x : y;
  const u = x.unsigned ? x : y;
  const s = x.unsigned ? y : x;
  if (u.rank >= s.rank) return u;
  if (s.bits > u.bits) return s;
  return t(s.bits, true, s.rank);
}

/** The type of an integer literal from its suffix (an unsuffixed literal is int, or long when larger). */
export function literalType(text: string, value: number): IntType {
  const suffix = (/[uUlLzZ]*$/.exec(text.trim())?.[0] ?? '').toLowerCase();
  const unsigned = suffix.includes('u');
  const longs = (suffix.match(/l/g) ?? []).length;
  if (longs >= 2) return unsigned ? ULLONG : LLONG;
  if (longs === 1 || suffix.includes('z') || Math.abs(value) > 0x7fffffff) return unsigned ? ULONG : LONG;
  return unsigned ? UINT : INT;
}

/**
 * Return types of kernel helpers whose results are compared or mixed with unsigned
 * values. Functions not named here are taken as returning int.
 */
const RETURN_TYPES: Readonly<Record<string, IntType>> = ownTable({
  folio_pos: LLONG, page_offset: LLONG, folio_size: ULONG, folio_index: ULONG, page_index: ULONG,
  folio_next_index: ULONG, folio_nr_pages: LONG, folio_batch_count: UINT, pagevec_count: UINT,
  find_lock_entries: UINT, find_get_entries: UINT, i_size_read: LLONG, thp_size: ULONG, page_size: ULONG,
  folio_batch_space: UINT, pagevec_space: UINT, pagevec_lookup_range_tag: UINT, filemap_get_folios_tag: UINT,
  filemap_get_folios: UINT,
});

export function returnType(fn: string): IntType | undefined {
  return RETURN_TYPES[fn];
}

/** Struct fields read as integers whose type matters for comparisons. */
const FIELD_TYPES: Readonly<Record<string, IntType>> = ownTable({
  index: ULONG, nr: t(8, true, 1), nr_to_write: LONG, range_start: LLONG, range_end: LLONG, writeback_index: ULONG,
  i_size: LLONG, nrpages: ULONG, b_size: ULONG, b_blocknr: ULLONG,
});

export function fieldType(field: string): IntType | undefined {
  return FIELD_TYPES[field];
}

/** Macros the kernel defines with a type that matters for unsigned arithmetic. */
const MACRO_TYPES: Readonly<Record<string, IntType>> = ownTable({
  PAGE_SIZE: ULONG, PAGE_MASK: ULONG, ULONG_MAX: ULONG, LLONG_MAX: LLONG, PAGEVEC_SIZE: INT,
});

export function macroType(name: string): IntType | undefined {
  return MACRO_TYPES[name];
}

/**
 * Structs the simulator keeps as a local array of their items: a local of one of
 * these types (or a pointer to one) holds the items; `items` is the array member and
 * `count` the member counting them, read through `countFn`.
 */
export interface BatchType {
  items: string;
  count: string;
  countFn: string;
}

const BATCH_TYPES: Readonly<Record<string, BatchType>> = ownTable({
  folio_batch: { items: 'folios', count: 'nr', countFn: 'folio_batch_count' },
  pagevec: { items: 'pages', count: 'nr', countFn: 'pagevec_count' },
});

/** The batch a `struct NAME` specifier names, if it is one. */
export function batchTypeNamed(spelling: string): BatchType | undefined {
  const m = /^\s*(?:const\s+)?struct\s+(\w+)\s*$/.exec(spelling);
  return m ? BATCH_TYPES[m[1]] : undefined;
}
