/**
 * The fault side of a file mapping: a user's load through a PTE, and the one step in
 * which a fault installs a PTE for a page it found in the page cache. Installing is
 * where a fault that lost a race with invalidation maps an orphan: a page that is no
 * longer in its file's page cache (pte-maps-orphan), so the check is made there.
 */
import type { Primitive, StepContext } from '../primitive.js';
import { key } from '../world.js';
import { livePage, num, vmaArg } from './args.js';

function ptlBusy(c: StepContext, vma: string): boolean {
  const holder = c.get(key.lock(`${vma}.ptl`));
  return holder !== null && holder !== c.tid;
}

/** The page a present PTE of `vma` maps, when that page is not (or no more) in the mapping's file. */
export function orphanMessage(vma: string, page: string, file: string, mapping: unknown, freed: unknown): string | undefined {
  if (freed) return `PTE ${vma}/${page} maps page ${page}, which was freed`;
  if (mapping !== `mapping:${file}`) return `PTE ${vma}/${page} maps page ${page}, which is not in ${file}'s page cache (page->mapping is ${mapping === null ? 'NULL' : String(mapping)})`;
  return undefined;
}

export const faultPrimitives: Primitive[] = [
  {
    names: ['pte_load'],
    doc: 'a user load of block n through the mapping: returns 1 when a present PTE maps the page (the CPU sets nothing), 0 when the load faults',
    reads: ['page-table lock', 'PTE present'],
    blocks: (c, [v]) => ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p]) => {
      const vma = vmaArg(c, v);
      const page = livePage(c, p);
      return c.get(key.pte(vma, page, 'present')) ? 1 : 0;
    },
  },
  {
    names: ['pte_install'],
    doc: 'set_pte_at() of a fault: a PTE for the page (writable and dirty for a write fault) in an empty slot; the reference the fault took at lookup becomes the mapping\'s. Returns 0 when the slot is no longer empty',
    reads: ['page-table lock', 'PTE present', 'page->mapping'], writes: ['PTE'],
    blocks: (c, [v]) => ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p, w]) => {
      const vma = vmaArg(c, v);
      const page = livePage(c, p);
      if (c.get(key.pte(vma, page, 'present'))) return 0;
      c.set(key.pte(vma, page, 'present'), 1);
      c.set(key.pte(vma, page, 'writable'), num(w) ? 1 : 0);
      c.set(key.pte(vma, page, 'dirty'), num(w) ? 1 : 0);
      const file = c.layout.vmas.get(vma)!.file;
      const orphan = orphanMessage(vma, page, file, c.get(key.pageMapping(page)), c.get(key.pageFreed(page)));
      if (orphan) c.violate('pte-maps-orphan', orphan);
      return 1;
    },
  },
];
