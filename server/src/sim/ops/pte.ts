/**
 * Page-table entries of shared mappings, and the user's stores through them. Every
 * PTE operation is one step and waits for the mapping's page-table lock when
 * another CPU holds it, so a sequence done under the lock (zap: clear the PTE, then
 * move its dirty bit to the page) is atomic with respect to other PTE operations.
 */
import { PrimitiveError, type Primitive, type StepContext } from '../primitive.js';
import { parsePteValue } from '../vm-fault.js';
import { key } from '../world.js';
import { livePage, mappingArg, num, pageArg, vmaArg } from './args.js';
import { blockOf } from '../world.js';
import { writePageBlock } from './versions.js';
import { tlbFill, tlbFlush, tlbHolds } from '../tlb.js';
import { getAndClear } from './rmap-walk.js';
import { addMapcount } from './mapcount.js';

function ptlBusy(c: StepContext, vma: string): boolean {
  const holder = c.get(key.lock(`${vma}.ptl`));
  return holder !== null && holder !== c.tid;
}

/** The mappings that have a PTE for the page. */
function vmasOf(c: StepContext, page: string): string[] {
  return [...c.layout.vmas.values()].filter((v) => v.pages.includes(page)).map((v) => v.id);
}

/** The rmap says no PTE maps the page (page->_mapcount < 0, ops/mapcount.ts). */
function unmapped(c: StepContext, page: string): boolean {
  return num(c.get(key.pageMapcount(page))) < 0;
}

function pte(c: StepContext, vma: string, page: string, bit: string): number {
  return c.get(key.pte(vma, page, bit)) ? 1 : 0;
}

export const ptePrimitives: Primitive[] = [
  {
    names: ['pte_store'],
    doc: 'a user store to block n through the mapping, through the CPU\'s TLB (sim/tlb.ts): a cached writable entry takes it without the PTE; else a present, writable PTE does (the CPU sets its dirty bit and caches the entry); memory gets a new version. Returns 0 when the store faults',
    reads: ['page-table lock', 'PTE present/writable', 'TLB', 'disk'], writes: ['PTE dirty', 'TLB', 'page memory', 'disk'],
    blocks: (c, [v, p]) => !tlbHolds(c, vmaArg(c, v), pageArg(c, p)) && ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p, n]) => {
      const vma = vmaArg(c, v);
      const page = livePage(c, p);
      if (!tlbHolds(c, vma, page)) {
        if (!pte(c, vma, page, 'present') || !pte(c, vma, page, 'writable')) return 0;
        c.set(key.pte(vma, page, 'dirty'), 1);
        tlbFill(c, vma, page);
      }
      const block = blockOf(c.layout, page, num(n));
      writePageBlock(c, page, block, num(n));
      return 1;
    },
  },
  {
    names: ['pte_mkwrite_dirty'],
    doc: 'the write fault makes the present PTE writable and dirty',
    reads: ['page-table lock'], writes: ['PTE writable/dirty'],
    blocks: (c, [v]) => ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p]) => {
      const vma = vmaArg(c, v);
      const page = livePage(c, p);
      if (!pte(c, vma, page, 'present')) return 0;
      c.set(key.pte(vma, page, 'writable'), 1);
      c.set(key.pte(vma, page, 'dirty'), 1);
      return 1;
    },
  },
  {
    names: ['pte_map_page'],
    doc: 'a fault installs a PTE for the page (writable and dirty for a write fault) and adds its rmap (_mapcount), taking the mapping reference',
    reads: ['page-table lock'], writes: ['PTE', 'page refcount', 'page mapcount'],
    blocks: (c, [v]) => ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p, w]) => {
      const vma = vmaArg(c, v);
      const page = livePage(c, p);
      if (pte(c, vma, page, 'present')) return 0;
      c.set(key.pte(vma, page, 'present'), 1);
      c.set(key.pte(vma, page, 'writable'), num(w) ? 1 : 0);
      c.set(key.pte(vma, page, 'dirty'), num(w) ? 1 : 0);
      c.set(key.pageRef(page), num(c.get(key.pageRef(page))) + 1);
      addMapcount(c, page, 1);
      return 1;
    },
  },
  {
    names: ['pte_present'],
    doc: 'the built-in models\' (vma, page): whether the mapping has a present PTE for the page; the kernel\'s (pte): the present bit of a PTE value, or of the word behind a pointer (`*pte`), read now',
    reads: ['page-table lock', 'PTE present'],
    // the one-argument form on a value the caller read is local computation; on `*pte`, a read of the word now
    localWhen: (_c, args) => args.length === 1 && parsePteValue(args[0]!) !== undefined,
    blocks: (c, args) => args.length >= 2 && ptlBusy(c, vmaArg(c, args[0]!)),
    run: (c, args) => {
      if (args.length >= 2) return pte(c, vmaArg(c, args[0]!), pageArg(c, args[1]!), 'present');
      const v = args[0];
      const ptev = parsePteValue(v);
      if (ptev) return ptev.bits.has('present') ? 1 : 0;
      if (typeof v === 'string' && v.startsWith('ptep:')) {
        const slot = v.slice(5);
        const i = slot.indexOf('/');
        return pte(c, slot.slice(0, i), slot.slice(i + 1), 'present');
      }
      throw new PrimitiveError(`pte_present(): expected a PTE value or pointer, got ${String(v)}`);
    },
  },
  {
    names: ['pte_writable'],
    doc: 'whether the PTE is present and writable',
    reads: ['page-table lock', 'PTE writable'],
    blocks: (c, [v]) => ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p]) => {
      const vma = vmaArg(c, v);
      const page = pageArg(c, p);
      return pte(c, vma, page, 'present') & pte(c, vma, page, 'writable');
    },
  },
  {
    names: ['ptep_get_and_clear'],
    doc: 'the kernel\'s (mm, address, ptep): clears the PTE word and returns its old value, leaving cached translations to the caller\'s flush; the built-in zap\'s (vma, page), caller holding the page-table lock: clears the PTE and flushes it from every CPU\'s TLB in the same step (6.1\'s zap_pte_range flushes a dirty shared PTE before it drops the lock), returning its dirty bit',
    reads: ['page-table lock', 'PTE'], writes: ['PTE', 'TLB'],
    blocks: (c, args) => args.length < 3 && ptlBusy(c, vmaArg(c, args[0]!)),
    run: (c, args) => {
      if (args.length >= 3) return getAndClear(c, args[2]!);
      const [v, p] = args;
      const vma = vmaArg(c, v);
      const page = pageArg(c, p);
      if (!pte(c, vma, page, 'present')) return 0;
      const dirty = pte(c, vma, page, 'dirty');
      for (const bit of ['present', 'writable', 'dirty']) c.set(key.pte(vma, page, bit), 0);
      tlbFlush(c, vma, page);
      return dirty ? 1 : 0;
    },
  },
  {
    names: ['page_mkclean', 'folio_mkclean'],
    doc: 'write-protects and cleans every PTE of the page and flushes it from every CPU\'s TLB; returns 1 if any was writable or dirty. A page whose _mapcount says unmapped is left at once, as the kernel\'s `if (!folio_mapped(folio)) return 0` does: no page-table lock, no flush',
    reads: ['page-table lock', 'PTEs', 'page mapcount'], writes: ['PTE writable/dirty', 'TLB'],
    blocks: (c, [p]) => unmapped(c, pageArg(c, p)) ? false : vmasOf(c, pageArg(c, p)).some((v) => ptlBusy(c, v)),
    run: (c, [p]) => {
      const page = livePage(c, p);
      if (unmapped(c, page)) return 0;
      let cleaned = 0;
      for (const vma of vmasOf(c, page)) {
        if (!pte(c, vma, page, 'present')) continue;
        if (pte(c, vma, page, 'writable') || pte(c, vma, page, 'dirty')) cleaned = 1;
        c.set(key.pte(vma, page, 'writable'), 0);
        c.set(key.pte(vma, page, 'dirty'), 0);
        tlbFlush(c, vma, page);
      }
      return cleaned;
    },
  },
  {
    names: ['mapping_mapped'],
    doc: 'whether the file has mappings (its i_mmap tree is not empty)',
    reads: ['i_mmap'],
    run: (c, [m]) => {
      const file = mappingArg(c, m);
      return [...c.layout.vmas.values()].some((v) => v.file === file && c.get(key.vmaLinked(v.id))) ? 1 : 0;
    },
  },
  {
    names: ['vma_linked'],
    doc: 'whether the mapping still exists (find_vma would find it)',
    reads: ['i_mmap'],
    run: (c, [v]) => (c.get(key.vmaLinked(vmaArg(c, v))) ? 1 : 0),
  },
  {
    names: ['unlink_file_vma'],
    doc: 'munmap takes the mapping out of the file\'s i_mmap tree (after zapping its PTEs)',
    writes: ['i_mmap'],
    run: (c, [v]) => { c.set(key.vmaLinked(vmaArg(c, v)), 0); return 0; },
  },
  {
    names: ['vma_nr_pages'],
    doc: 'how many pages the mapping covers',
    pure: true,
    run: (c, [v]) => c.layout.vmas.get(vmaArg(c, v))!.pages.length,
  },
  {
    names: ['vma_page'],
    doc: 'the i-th page the mapping covers',
    pure: true,
    run: (c, [v, i]) => {
      const page = c.layout.vmas.get(vmaArg(c, v))!.pages[num(i)];
      return page ? `page:${page}` : null;
    },
  },
  {
    names: ['file_nr_vmas'],
    doc: 'how many mappings the file has',
    pure: true,
    run: (c, [m]) => [...c.layout.vmas.values()].filter((v) => v.file === mappingArg(c, m)).length,
  },
  {
    names: ['file_vma'],
    doc: 'the i-th mapping of the file',
    pure: true,
    run: (c, [m, i]) => {
      const vma = [...c.layout.vmas.values()].filter((v) => v.file === mappingArg(c, m))[num(i)];
      return vma ? `vma:${vma.id}` : null;
    },
  },
];
