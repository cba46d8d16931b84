/**
 * The kernel's own reports of a corrupted page or PTE: print_bad_pte() ("BUG: Bad page
 * map", from zap_pte_range() and vm_normal_page()) and bad_page() ("BUG: Bad page
 * state", from the page allocator's free checks). The kernel logs, taints and goes on
 * (or panics with panic_on_taint); for a race either is a bug the run found, so the
 * step is a violation, and the reporting code below them (printk, taint, panic, ftrace
 * dumps) is not run: it changes nothing the races look at.
 */
import type { Primitive } from '../primitive.js';
import { shownValue } from './args.js';

export const badStatePrimitives: Primitive[] = [
  {
    names: ['print_bad_pte'],
    doc: 'the kernel\'s "BUG: Bad page map" report: a PTE that maps no page it should, found while walking the page table (a bug-on violation)',
    reads: ['its arguments'],
    run: (c, [, addr, , page]) => {
      c.violate('bug-on', `print_bad_pte(): BUG: Bad page map at address ${shownValue(addr ?? null)}${page ? ` (page ${shownValue(page)})` : ''}`);
      return 0;
    },
  },
  {
    names: ['bad_page'],
    doc: 'the kernel\'s "BUG: Bad page state" report: a page freed or allocated with a flag, mapping or count it must not have (a bug-on violation)',
    reads: ['its arguments'],
    run: (c, [page, reason]) => {
      c.violate('bug-on', `bad_page(): BUG: Bad page state of ${shownValue(page ?? null)}${typeof reason === 'string' ? `: ${reason}` : ''}`);
      return 0;
    },
  },
];
