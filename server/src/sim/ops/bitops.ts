/**
 * The bit operations of include/linux/bitops.h and asm/bitops.h over the two flag
 * words the simulator models: page->flags / folio->flags (`&folio->flags`,
 * `folio_flags(folio, 0)`) and bh->b_state (`&bh->b_state`), and on a plain field's
 * word (`&wb->state`: plain memory, bits numbered by the kernel's enum). Each modeled bit is a
 * location of its own, the same one PageDirty/folio_test_dirty/buffer_dirty use, so
 * every spelling of a flag operation reaches the same state. A bit the simulator does
 * not model (PG_lru, BH_Req, ...) reads 0 and ignores writes, and the run says so.
 */
import type { Primitive, StepContext } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import type { Expr, Value } from '../program.js';
import { bitOfNumber, bitOfValue, flagBitOfConstant, modeledBits, type FlagBit, type WordKind } from '../flag-bits.js';
import { key } from '../world.js';
import { headKey } from '../compound.js';
import { bhArg, livePage, plainAddressKey } from './args.js';
import { DIRTY_BUFFERS_READS, dirtyWithoutBuffers } from '../dirty-buffers.js';

interface Word { kind: WordKind; id: string }

/** The flag word an address names: a page (its flags) or a buffer_head (its b_state). */
export function wordOf(c: StepContext, addr: Value): Word {
  if (typeof addr === 'string' && addr.startsWith('page:')) return { kind: 'page', id: livePage(c, addr) };
  if (typeof addr === 'string' && addr.startsWith('bh:')) return { kind: 'bh', id: bhArg(c, addr) };
  throw new PrimitiveError(`expected the address of a page's flags or a buffer's b_state, got ${addr === null ? 'NULL' : String(addr)}`);
}

function bitIn(word: Word, nr: Value): FlagBit {
  const bit = typeof nr === 'number' ? bitOfNumber(word.kind, nr) : bitOfValue(nr);
  if (!bit) throw new PrimitiveError(`bit ${String(nr)} is not a bit of ${word.kind === 'page' ? 'page->flags' : 'bh->b_state'}`);
  if (bit.word !== word.kind) throw new PrimitiveError(`${bit.constant} used on ${word.kind === 'page' ? `page ${word.id}` : `buffer ${word.id}`}`);
  return bit;
}

/**
 * The location of a bit, or undefined when the simulator keeps none: a bit clear on every
 * modeled page (PG_head) reads 0 exactly, and only a write to it is said; any other
 * unmodeled bit is said at every use.
 */
function location(c: StepContext, word: Word, bit: FlagBit, writing = false): string | undefined {
  // PG_head of a compound page's head is data (sim/compound.ts); on every other page it is clear
  if (bit.constant === 'PG_head' && word.kind === 'page' && c.layout.pages.get(word.id)?.compound !== undefined) return headKey(word.id);
  if (bit.flag === undefined) {
    if (bit.clear !== undefined) {
      if (writing) c.assume?.('unmodeled-flag', `${bit.constant} is written but stays clear: ${bit.clear}`);
      return undefined;
    }
    c.assume?.('unmodeled-flag', `${bit.constant} is not modeled: it reads as 0 and writes to it are dropped`);
    return undefined;
  }
  return word.kind === 'page' ? key.pageFlag(word.id, bit.flag) : key.bhFlag(word.id, bit.flag);
}

function read(c: StepContext, word: Word, bit: FlagBit): number {
  const k = location(c, word, bit);
  return k !== undefined && c.get(k) ? 1 : 0;
}

/** Writes a bit, returning its old value; marking a !uptodate page dirty or under writeback is itself a bug. */
function write(c: StepContext, word: Word, bit: FlagBit, v: number): number {
  const k = location(c, word, bit, v !== 0);
  if (k === undefined) return 0;
  const old = c.get(k) ? 1 : 0;
  if (v && !old && word.kind === 'page' && (bit.flag === 'dirty' || bit.flag === 'writeback') && !c.get(key.pageFlag(word.id, 'uptodate'))) {
    c.violate('not-uptodate-dirty', `page ${word.id} is marked ${bit.flag} while not uptodate`);
  }
  c.set(k, v);
  if (v && !old && word.kind === 'page' && bit.flag === 'dirty') {
    const message = dirtyWithoutBuffers(c.layout, (key) => c.get(key), word.id);
    if (message) c.violate('dirty-without-buffers', message);
  }
  return old;
}

/** Bit 7 of the word's low byte: PG_waiters for a page ("is negative byte"). */
function negativeByte(c: StepContext, word: Word): number {
  const bit = bitOfNumber(word.kind, 7);
  return bit ? read(c, word, bit) : 0;
}

/**
 * test_bit(PG_head, &head->flags) on the head of a compound page the setup declares: the
 * bit is data there. Its test stays local computation (clearBitArg): PG_head changes only
 * in a split, by the thread that froze the folio's reference count, and no other thread
 * can reach the folio's pages without a reference meanwhile.
 */
function compoundHeadWord(c: StepContext, nr: Value, addr: Value): boolean {
  return bitOfValue(nr)?.constant === 'PG_head' && typeof addr === 'string' && addr.startsWith('page:') && c.layout.pages.get(addr.slice(5))?.compound !== undefined;
}

/** A bit argument naming a page bit that is clear on every modeled page (PG_head). */
function clearBitArg(e: Expr | undefined): boolean {
  return e?.k === 'sym' && flagBitOfConstant(e.name)?.clear !== undefined;
}

/**
 * A bit of a plain field's word (`&wb->state`, plain-fields.ts): an unsigned long of
 * plain memory whose bits the kernel numbers by an enum (WB_registered): `set` gives
 * the new value of the bit (undefined: only read); returns the old one.
 */
function plainBit(c: StepContext, k: string, nr: Value, set: number | undefined): number {
  if (typeof nr !== 'number' || nr < 0 || nr > 52) throw new PrimitiveError(`bit ${String(nr)} of a plain word is not a bit number`);
  const word = typeof c.get(k) === 'number' ? (c.get(k) as number) : 0;
  const bit = 2 ** nr;
  const old = Math.floor(word / bit) % 2;
  if (set !== undefined && set !== old) c.set(k, word + (set ? bit : -bit));
  return old;
}

/** What each operation does to a bit: [its new value or undefined, whether it returns the old one]. */
const op = (names: string[], doc: string, writes: boolean, run: (c: StepContext, w: Word, bit: FlagBit) => number,
  onPlain: [set: number | undefined, returnsOld: boolean] | 'flip' = [undefined, true]): Primitive => ({
  names, doc, bitArg: 0,
  // the word's own object (a page or a buffer) alone: footprint-classes.ts boundObject
  objectArg: 1,
  // a write checks its invariants (a page dirtied while not uptodate, or without buffers): a test reads only its bit
  reads: writes ? ['flag word', 'PG_uptodate', ...DIRTY_BUFFERS_READS] : ['flag word'],
  ...(writes ? { writes: ['flag word'] } : {}),
  // testing a bit that is clear on every modeled page reads nothing that changes: local computation
  ...(writes ? {} : { pureFor: (args: readonly Expr[]) => clearBitArg(args[0]), readsPlainWord: true }),
  run: (c, [nr, addr]) => {
    if (!writes && bitOfValue(nr)?.clear !== undefined && !compoundHeadWord(c, nr, addr)) return 0;
    const plain = plainAddressKey(addr);
    if (plain !== undefined) {
      if (onPlain === 'flip') { plainBit(c, plain, nr, plainBit(c, plain, nr, undefined) ? 0 : 1); return 0; }
      const old = plainBit(c, plain, nr, onPlain[0]);
      return onPlain[1] ? old : 0;
    }
    const w = wordOf(c, addr);
    return run(c, w, bitIn(w, nr));
  },
});

export const bitOpPrimitives: Primitive[] = [
  op(['test_bit', 'test_bit_acquire', '_test_bit', '_test_bit_acquire', 'arch_test_bit', 'arch_test_bit_acquire',
    'generic_test_bit', 'generic_test_bit_acquire', 'const_test_bit', 'variable_test_bit'],
  'reads one bit of a flag word (page->flags, bh->b_state)', false, (c, w, b) => read(c, w, b)),
  // the non-atomic __set_bit family reads and writes the whole word: built-in C over ops/flagword.ts
  op(['set_bit', 'arch_set_bit'],
    'sets one bit of a flag word', true, (c, w, b) => { write(c, w, b, 1); return 0; }, [1, false]),
  op(['clear_bit', 'clear_bit_unlock', '__clear_bit_unlock', 'arch_clear_bit', 'arch_clear_bit_unlock', 'arch___clear_bit_unlock'],
  'clears one bit of a flag word', true, (c, w, b) => { write(c, w, b, 0); return 0; }, [0, false]),
  op(['change_bit', 'arch_change_bit'],
    'flips one bit of a flag word', true, (c, w, b) => { write(c, w, b, read(c, w, b) ? 0 : 1); return 0; }, 'flip'),
  op(['test_and_set_bit', 'test_and_set_bit_lock', 'arch_test_and_set_bit', 'arch_test_and_set_bit_lock'],
  'sets one bit of a flag word, returns its old value', true, (c, w, b) => write(c, w, b, 1), [1, true]),
  op(['test_and_clear_bit', 'arch_test_and_clear_bit'],
    'clears one bit of a flag word, returns its old value', true, (c, w, b) => write(c, w, b, 0), [0, true]),
  {
    names: ['clear_bit_unlock_is_negative_byte', 'arch_clear_bit_unlock_is_negative_byte'],
    doc: 'clears one bit and reports, in the same atomic step, whether bit 7 (PG_waiters) is set',
    objectArg: 1,
    reads: ['flag word', 'PG_waiters'], writes: ['flag word'],
    run: (c, [nr, addr]) => {
      const w = wordOf(c, addr);
      write(c, w, bitIn(w, nr), 0);
      return negativeByte(c, w);
    },
  },
  {
    names: ['xor_unlock_is_negative_byte', 'arch_xor_unlock_is_negative_byte'],
    doc: 'flips the bits of a mask and reports, in the same atomic step, whether bit 7 (PG_waiters) is set',
    maskArg: 0, objectArg: 1,
    reads: ['flag word', 'PG_uptodate', 'PG_waiters', ...DIRTY_BUFFERS_READS], writes: ['flag word'],
    run: (c, [mask, addr]) => {
      const w = wordOf(c, addr);
      const m = typeof mask === 'number' ? mask : 0;
      for (let nr = 0; nr < 31; nr++) {
        if (!(m & (1 << nr))) continue;
        const bit = bitIn(w, nr);
        write(c, w, bit, read(c, w, bit) ? 0 : 1);
      }
      return negativeByte(c, w);
    },
  },
  {
    names: ['wait_on_bit', 'wait_on_bit_io', 'wait_on_bit_timeout', 'wait_on_bit_action', 'out_of_line_wait_on_bit',
      'out_of_line_wait_on_bit_timeout'],
    doc: 'sleeps until a bit of a flag word is clear (include/linux/wait_bit.h): the sleeper runs again once the bit is clear, so a wake_up_bit() has nothing left to do',
    objectArg: 0,
    reads: ['flag word'],
    blocks: (c, [word, nr]) => { const w = wordOf(c, word); return read(c, w, bitIn(w, nr)) === 1; },
    run: () => 0,
  },
  {
    names: ['wait_on_bit_lock', 'wait_on_bit_lock_io', 'wait_on_bit_lock_action', 'out_of_line_wait_on_bit_lock'],
    doc: 'sleeps until a bit of a flag word is clear, then sets it (a bit lock: BH_Lock)',
    objectArg: 0,
    reads: ['flag word'], writes: ['flag word'],
    blocks: (c, [word, nr]) => { const w = wordOf(c, word); return read(c, w, bitIn(w, nr)) === 1; },
    run: (c, [word, nr]) => { const w = wordOf(c, word); write(c, w, bitIn(w, nr), 1); return 0; },
  },
  {
    names: ['wake_up_bit'],
    doc: 'wakes the sleepers of a flag-word bit: they sleep until the bit is clear (wait_on_bit), so there is nothing to do',
    pure: true,
    run: () => 0,
  },
  {
    names: ['folio_flags', 'const_folio_flags', 'page_flags_word'],
    doc: 'the address of the folio\'s flag word (&folio->page[n].flags: small folios have one page)',
    pure: true, resultObjectArg: 0,
    run: (_c, [p]) => p,
  },
];

/** A flag word read whole (`page->flags`, `bh->b_state`): its modeled bits as a number. */
export function loadWord(c: StepContext, w: Word): number {
  let v = 0;
  for (const bit of modeledBitsOf(w.kind)) if (c.get(location(c, w, bit)!)) v |= 1 << bit.nr;
  return v;
}

/** A flag word written whole: each modeled bit takes its value from the number. */
export function storeWord(c: StepContext, w: Word, v: number): void {
  for (const bit of modeledBitsOf(w.kind)) write(c, w, bit, v & (1 << bit.nr) ? 1 : 0);
}

const modeledMemo = new Map<WordKind, FlagBit[]>();

function modeledBitsOf(kind: WordKind): FlagBit[] {
  let m = modeledMemo.get(kind);
  if (!m) modeledMemo.set(kind, (m = modeledBits(kind)));
  return m;
}
