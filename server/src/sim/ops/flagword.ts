/**
 * A flag word read and written whole: what the kernel's non-atomic bit operations do
 * (__set_bit, __clear_bit and the __SetPageX/__ClearPageX/__folio_set_x helpers built on
 * them; x86's bts/btr without LOCK). Their built-in models (builtin/models/common/
 * page-flags-nonatomic.c) load the word, change the bit in a local, and store the word:
 * two steps, between which another CPU's atomic set_bit (PG_waiters under a page wait
 * queue's lock) is overwritten by the store, as on the hardware.
 */
import type { Primitive } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import { bitOfValue } from '../flag-bits.js';
import { loadWord, storeWord, wordOf } from './bitops.js';
import { plainAddressKey, shownValue } from './args.js';

export const flagWordPrimitives: Primitive[] = [
  {
    names: ['flags_word_load'],
    doc: 'reads a flag word whole (page->flags, bh->b_state, or a plain field\'s word): every modeled bit at once',
    reads: ['whole flag word', 'plain field'], plainArg: 0,
    run: (c, [addr]) => {
      const plain = plainAddressKey(addr);
      if (plain !== undefined) { const v = c.get(plain); return typeof v === 'number' ? v : 0; }
      return loadWord(c, wordOf(c, addr));
    },
  },
  {
    names: ['flags_word_store'],
    doc: 'writes a flag word whole: every modeled bit takes its value from the number, whatever another CPU set since the load',
    reads: ['PG_uptodate'], writes: ['whole flag word', 'plain field'], plainArg: 0,
    run: (c, [addr, v]) => {
      const plain = plainAddressKey(addr);
      if (plain !== undefined) { c.set(plain, typeof v === 'number' ? v : 0); return 0; }
      storeWord(c, wordOf(c, addr), typeof v === 'number' ? v : 0);
      return 0;
    },
  },
  {
    names: ['flag_bit_mask'],
    doc: 'BIT_MASK(nr): the mask of a flag bit in its word (a bit the simulator does not model is said)',
    pure: true,
    run: (c, [nr]) => {
      if (typeof nr === 'number') {
        if (nr < 0 || nr > 30) throw new PrimitiveError(`bit ${nr} is outside the flag words the simulator models`);
        return 2 ** nr;
      }
      const bit = bitOfValue(nr);
      if (!bit) throw new PrimitiveError(`expected a flag bit, got ${shownValue(nr)}`);
      if (bit.flag === undefined && bit.clear === undefined) {
        c.assume?.('unmodeled-flag', `${bit.constant} is not modeled: a non-atomic write of it is dropped`);
      }
      return 2 ** bit.nr;
    },
  },
];
