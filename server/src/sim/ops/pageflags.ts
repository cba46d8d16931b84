/**
 * Atomic page-flag bit operations, generated from one table so that every
 * generation's spelling (PageDirty, TestClearPageDirty, folio_test_clear_dirty, ...)
 * is the same primitive.
 */
import type { Primitive, StepContext } from '../primitive.js';
import { key } from '../world.js';
import { livePage } from './args.js';
import { SILENT_SET_BITS, clearPageBits } from '../flag-bits.js';
import { DIRTY_BUFFERS_READS, dirtyWithoutBuffers } from '../dirty-buffers.js';

interface FlagSpec {
  flag: string;   // world name
  camel: string;  // PageXxx spelling
  folio: string;  // folio_test_xxx spelling
}

const FLAGS: readonly FlagSpec[] = [
  { flag: 'dirty', camel: 'Dirty', folio: 'dirty' },
  { flag: 'writeback', camel: 'Writeback', folio: 'writeback' },
  { flag: 'uptodate', camel: 'Uptodate', folio: 'uptodate' },
  { flag: 'private', camel: 'Private', folio: 'private' },
  { flag: 'reclaim', camel: 'Reclaim', folio: 'reclaim' },
  { flag: 'waiters', camel: 'Waiters', folio: 'waiters' },
  { flag: 'mappedtodisk', camel: 'MappedToDisk', folio: 'mappedtodisk' },
];

/** Marking a page dirty or under writeback while it is not uptodate is itself a bug. */
function checkUptodate(c: StepContext, page: string, flag: string): void {
  if ((flag === 'dirty' || flag === 'writeback') && !c.get(key.pageFlag(page, 'uptodate'))) {
    c.violate('not-uptodate-dirty', `page ${page} is marked ${flag} while not uptodate`);
  }
}

/** Dirtying a page of a buffer-backed mapping that has no buffers (dirty-without-buffers). */
function checkBuffers(c: StepContext, page: string): void {
  const message = dirtyWithoutBuffers(c.layout, (k) => c.get(k), page);
  if (message) c.violate('dirty-without-buffers', message);
}

/** Each touches its page's own bits alone (objectArg: a future bound to that page says so; checkBuffers reads buffers, another kind). */
function flagPrimitives(s: FlagSpec): Primitive[] {
  const k = (page: string) => key.pageFlag(page, s.flag);
  const set = (c: StepContext, page: string, v: number): number => {
    const old = c.get(k(page)) ? 1 : 0;
    if (v && !old) checkUptodate(c, page, s.flag);
    c.set(k(page), v);
    if (v && !old && s.flag === 'dirty') checkBuffers(c, page);
    return old;
  };
  // setting dirty or writeback checks PG_uptodate (not-uptodate-dirty); dirty, the buffers too
  const uptodateRead = s.flag === 'dirty' || s.flag === 'writeback'
    ? ['PG_uptodate', ...(s.flag === 'dirty' ? DIRTY_BUFFERS_READS : [])] : [];
  return [
    {
      names: [`Page${s.camel}`, `folio_test_${s.folio}`],
      doc: `tests PG_${s.flag}`,
      reads: [`PG_${s.flag}`],
      objectArg: 0,
      run: (c, [p]) => (c.get(k(livePage(c, p))) ? 1 : 0),
    },
    {
      // __SetPageX, __folio_set_x: non-atomic, built-in C (common/page-flags-nonatomic.c)
      names: [`SetPage${s.camel}`, `folio_set_${s.folio}`],
      doc: `sets PG_${s.flag}`,
      reads: [`PG_${s.flag}`, ...uptodateRead],
      writes: [`PG_${s.flag}`],
      objectArg: 0,
      run: (c, [p]) => { set(c, livePage(c, p), 1); return 0; },
    },
    {
      names: [`ClearPage${s.camel}`, `folio_clear_${s.folio}`],
      doc: `clears PG_${s.flag}`,
      reads: [`PG_${s.flag}`],
      writes: [`PG_${s.flag}`],
      objectArg: 0,
      run: (c, [p]) => { set(c, livePage(c, p), 0); return 0; },
    },
    {
      names: [`TestSetPage${s.camel}`, `folio_test_set_${s.folio}`],
      doc: `sets PG_${s.flag}, returns the old value`,
      reads: [`PG_${s.flag}`, ...uptodateRead],
      writes: [`PG_${s.flag}`],
      objectArg: 0,
      run: (c, [p]) => set(c, livePage(c, p), 1),
    },
    {
      names: [`TestClearPage${s.camel}`, `folio_test_clear_${s.folio}`],
      doc: `clears PG_${s.flag}, returns the old value`,
      reads: [`PG_${s.flag}`],
      writes: [`PG_${s.flag}`],
      objectArg: 0,
      run: (c, [p]) => set(c, livePage(c, p), 0),
    },
  ];
}

/**
 * The macro-generated family of a bit that is clear on every modeled page (PG_swapbacked:
 * PAGEFLAG(SwapBacked, swapbacked, PF_NO_TAIL), no source defines it): the test is 0
 * exactly, local computation; a set is said as an assumption (flag-bits.ts says why).
 */
function clearFlagPrimitives(name: string, why: string): Primitive[] {
  const camel = CAMEL[name] ?? name[0].toUpperCase() + name.slice(1);
  const setNote = (c: StepContext): number => {
    if (!SILENT_SET_BITS.has(name)) c.assume?.('unmodeled-flag', `PG_${name} is set but stays clear: ${why}`);
    return 0;
  };
  return [
    // always clear: a constant of the modeled system, so the futures skip what a set bit would run
    { names: [`Page${camel}`, `folio_test_${name}`], doc: `tests PG_${name}: clear (${why})`, pure: true, constant: () => 0, run: () => 0 },
    {
      names: [`SetPage${camel}`, `__SetPage${camel}`, `folio_set_${name}`, `__folio_set_${name}`],
      doc: `sets PG_${name}: outside the model (${why})`, pure: true, run: (c) => setNote(c),
    },
    {
      names: [`ClearPage${camel}`, `__ClearPage${camel}`, `folio_clear_${name}`, `__folio_clear_${name}`],
      doc: `clears PG_${name}, which is clear already`, pure: true, run: () => 0,
    },
    { names: [`TestClearPage${camel}`, `folio_test_clear_${name}`], doc: `clears PG_${name}, which is clear already: 0`, pure: true, run: () => 0 },
  ];
}

/** PageXxx spellings of the clear bits whose camel case is not the plain capitalized name. */
const CAMEL: Readonly<Record<string, string>> = { swapbacked: 'SwapBacked', slab: 'Slab' };

export const pageFlagPrimitives: Primitive[] = [
  ...FLAGS.flatMap(flagPrimitives),
  // PG_head has its helpers in the source (folio_test_head, PageHead: test_bit on the word)
  ...clearPageBits().filter(([name]) => name !== 'head').flatMap(([name, why]) => clearFlagPrimitives(name, why)),
  {
    names: ['page_has_private', 'folio_has_private', 'folio_test_private_2'],
    doc: 'tests PG_private (buffers or other private data attached)',
    reads: ['PG_private'],
    objectArg: 0,
    run: (c, [p]) => (c.get(key.pageFlag(livePage(c, p), 'private')) ? 1 : 0),
  },
  {
    names: ['folio_test_swapcache', 'PageSwapCache'],
    doc: 'whether the folio is in the swap cache: PG_swapbacked, then PG_swapcache; never, for page cache of a file (PG_swapbacked clear)',
    pure: true,
    run: () => 0,
  },
  {
    names: ['PageLocked', 'folio_test_locked'],
    doc: 'tests PG_locked',
    reads: ['PG_locked'],
    objectArg: 0,
    run: (c, [p]) => (c.get(key.pageFlag(livePage(c, p), 'locked')) ? 1 : 0),
  },
];
