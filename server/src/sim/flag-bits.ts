/**
 * The kernel's flag words as data: bit numbers of `enum pageflags` (page->flags,
 * folio->flags) and `enum bh_state_bits` (bh->b_state), in 6.1's order
 * (include/linux/page-flags.h, include/linux/buffer_head.h; x86-64, CONFIG_MMU).
 * Kernel code names a bit by its enum constant; the simulator keeps each modeled bit
 * in a location of its own (world.ts), so a flag test in any spelling —
 * folio_test_writeback(folio), test_bit(PG_writeback, &folio->flags),
 * folio->flags & (1 << PG_writeback) — reads the same location.
 *
 * A constant evaluates to a symbolic value ("bit:writeback", "bhbit:dirty") so that
 * traces and wait queues name the bit; as an integer (shifts, masks) it is its number.
 */

/** enum pageflags, 6.1: [kernel name suffix, world flag name or undefined if not modeled] */
const PAGE_BITS: readonly (readonly [string, string | undefined])[] = [
  ['locked', 'locked'], ['referenced', undefined], ['uptodate', 'uptodate'], ['dirty', 'dirty'],
  ['lru', undefined], ['active', undefined], ['workingset', undefined], ['waiters', 'waiters'],
  ['error', undefined], ['slab', undefined], ['owner_priv_1', undefined], ['arch_1', undefined],
  ['reserved', undefined], ['private', 'private'], ['private_2', undefined], ['writeback', 'writeback'],
  ['head', undefined], ['mappedtodisk', 'mappedtodisk'], ['reclaim', 'reclaim'], ['swapbacked', undefined],
  ['unevictable', undefined], ['mlocked', undefined],
];

/**
 * Page bits that are clear on every page the simulator models, and why: reading one is
 * exact (0, no assumption); setting one is outside the model, said as an assumption.
 */
const PAGE_BITS_CLEAR: Readonly<Record<string, string>> = {
  // compound pages: the simulator's folios are small, one page each (the page cache of
  // the scenarios holds order-0 folios; large folios and hugetlbfs are not modeled)
  head: 'the simulator\'s folios are single pages, except the compound pages a scenario declares (`tail H`, sim/compound.ts), whose head keeps PG_head as data',
  // the file's pages are page cache of an ordinary disk-backed file, never anonymous or shmem memory
  swapbacked: 'the simulator models the page cache of a disk-backed file: no page is swap-backed (anonymous or shmem)',
  slab: 'the simulator models the page cache of a file: no page belongs to the slab allocator',
  // reclaim isolates every folio of the file on each pass (server/builtin/models/6.1/reclaim.c):
  // the active and inactive lists, their aging and the accessed bits are not modeled
  active: 'the active and inactive LRU lists are not modeled: each reclaim pass isolates every folio of the file, and an activated folio is scanned again by the next pass',
  referenced: 'page aging is not modeled: no folio has been referenced since reclaim last looked (PG_referenced and the PTE accessed bits read clear)',
  lru: 'LRU membership is not modeled apart from reclaim\'s isolated lists: a folio reclaim holds is off the LRU, and the others are never tested for it by the modeled code',
  mlocked: 'mlock() is not modeled: no VMA is VM_LOCKED and no folio is mlocked',
  unevictable: 'mlock() and unevictable mappings are not modeled: every folio is evictable',
};

/** enum bh_state_bits, 6.1 (BH_Uptodate_Lock, before 5.8, was a bit lock, see locks.ts). */
const BH_BITS: readonly (readonly [string, string | undefined])[] = [
  ['Uptodate', 'uptodate'], ['Dirty', 'dirty'], ['Lock', 'locked'], ['Req', undefined],
  ['Mapped', 'mapped'], ['New', 'new'], ['Async_Read', undefined], ['Async_Write', 'async_write'],
  ['Delay', 'delay'], ['Boundary', undefined], ['Write_EIO', undefined], ['Unwritten', undefined],
  ['Quiet', undefined], ['Meta', undefined], ['Prio', undefined], ['Defer_Completion', undefined],
];

export type WordKind = 'page' | 'bh';

export interface FlagBit {
  word: WordKind;
  /** the kernel's bit number */
  nr: number;
  /** the kernel's constant: PG_writeback, BH_Dirty */
  constant: string;
  /** the world's flag name ("writeback", "locked"), undefined when the simulator does not model it */
  flag: string | undefined;
  /** the symbolic value the constant evaluates to */
  value: string;
  /** for a bit that is clear on every modeled page: why (it reads 0 exactly; a write to it is an assumption) */
  clear?: string;
}

const bits: FlagBit[] = [
  ...PAGE_BITS.map(([name, flag], nr): FlagBit => ({
    word: 'page', nr, constant: `PG_${name}`, flag, value: `bit:${flag ?? name}`,
    ...(PAGE_BITS_CLEAR[name] !== undefined ? { clear: PAGE_BITS_CLEAR[name] } : {}),
  })),
  ...BH_BITS.map(([name, flag], nr): FlagBit => ({ word: 'bh', nr, constant: `BH_${name}`, flag, value: `bhbit:${flag ?? name.toLowerCase()}` })),
];

/**
 * enum pageflags' second names for a bit (6.1, 6.12: `PG_swapcache = PG_owner_priv_1`):
 * the same bit. Only aliases of bits the simulator does not model are listed, so that a
 * flag test naming one (folio_test_swapcache) is known to touch no modeled location.
 */
const PAGE_BIT_ALIASES: Readonly<Record<string, string>> = {
  PG_swapcache: 'PG_owner_priv_1', PG_checked: 'PG_owner_priv_1', PG_pinned: 'PG_owner_priv_1',
  PG_foreign: 'PG_owner_priv_1', PG_xen_remapped: 'PG_owner_priv_1', PG_fscache: 'PG_private_2',
};

const byConstant = new Map(bits.map((b) => [b.constant, b]));
for (const [alias, of] of Object.entries(PAGE_BIT_ALIASES)) {
  const b = byConstant.get(of)!;
  if (b.flag !== undefined) throw new Error(`flag-bits: alias ${alias} of a modeled bit`);
  byConstant.set(alias, b);
}
const byValue = new Map(bits.map((b) => [b.value, b]));
const byNumber: Record<WordKind, Map<number, FlagBit>> = {
  page: new Map(bits.filter((b) => b.word === 'page').map((b) => [b.nr, b])),
  bh: new Map(bits.filter((b) => b.word === 'bh').map((b) => [b.nr, b])),
};

/** PG_writeback → "bit:writeback"; undefined for names that are not flag bits. */
export function flagConstant(name: string): string | undefined {
  return byConstant.get(name)?.value;
}

/** The bit a constant names (PG_head), or undefined. */
export function flagBitOfConstant(name: string): FlagBit | undefined {
  return byConstant.get(name);
}

/** The bit a symbolic value stands for ("bit:writeback", "bhbit:dirty"). */
export function bitOfValue(v: unknown): FlagBit | undefined {
  return typeof v === 'string' ? byValue.get(v) : undefined;
}

/** The bit with this number in a word of this kind. */
export function bitOfNumber(word: WordKind, nr: number): FlagBit | undefined {
  return byNumber[word].get(nr);
}

/** Page bits that are clear on every modeled page, with the reason: [suffix (PG_head → head), why]. */
/**
 * Clear bits whose setting is itself what the model stands in for, so it is not said
 * each time: activating a folio (folio_set_active) is reclaim keeping it, and the next
 * pass, which scans every folio again, is where the model's "active list" ends.
 */
export const SILENT_SET_BITS: ReadonlySet<string> = new Set(['active']);

export function clearPageBits(): [name: string, why: string][] {
  return Object.entries(PAGE_BITS_CLEAR);
}

/** Every bit of a word kind the simulator keeps a location for. */
export function modeledBits(word: WordKind): FlagBit[] {
  return bits.filter((b) => b.word === word && b.flag !== undefined);
}

/** The world flag of a constant's name, for footprint classes: PG_writeback → "writeback", BH_Lock → "locked". */
export function flagOfConstant(name: string): { word: WordKind; flag: string | undefined } | undefined {
  const b = byConstant.get(name);
  return b ? { word: b.word, flag: b.flag } : undefined;
}
