/**
 * DMA pins as the kernel counts them on a single-page folio: pin_user_pages() with
 * FOLL_PIN adds GUP_PIN_COUNTING_BIAS to _refcount, so "maybe pinned" is a test of the
 * reference count (include/linux/mm.h); the test reads the same location every
 * reference count change writes. A scenario's page may start pinned (`pinned`), and a
 * pinner's device writes into it without any PTE (device_write_page).
 */
import type { Primitive } from '../primitive.js';
import { key } from '../world.js';
import { livePage, num } from './args.js';
import { blockOf } from '../world.js';

import { constantValue } from '../constants.js';
import { writePageBlock } from './versions.js';

/** include/linux/mm.h's GUP_PIN_COUNTING_BIAS, from the constants table */
const GUP_PIN_COUNTING_BIAS = constantValue('GUP_PIN_COUNTING_BIAS') as number;

export const pinPrimitives: Primitive[] = [
  {
    names: ['folio_maybe_dma_pinned', 'page_maybe_dma_pinned'],
    doc: 'whether the folio may be pinned for DMA: its reference count is at least GUP_PIN_COUNTING_BIAS',
    reads: ['page refcount'],
    run: (c, [p]) => (num(c.get(key.pageRef(livePage(c, p)))) >= GUP_PIN_COUNTING_BIAS ? 1 : 0),
  },
  {
    names: ['device_write_page'],
    doc: 'a device writes block n of a pinned page by DMA: the page\'s memory gets a new version, through no PTE and no page flag',
    reads: ['disk'], writes: ['page memory', 'disk'],
    run: (c, [p, n]) => {
      const page = livePage(c, p);
      const block = blockOf(c.layout, page, num(n));
      writePageBlock(c, page, block, num(n));
      return 0;
    },
  },
];
