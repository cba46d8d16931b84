/**
 * Page-table entries of shared mappings, and the user's stores through them. Every
 * PTE operation is one step and waits for the mapping's page-table lock when
 * another CPU holds it, so a sequence done under the lock (zap: clear the PTE, then
 * move its dirty bit to the page) is atomic with respect to other PTE operations.
 */
import type { Primitive, StepContext } from '../primitive.js';
import { key } from '../world.js';
import { livePage, mappingArg, num, pageArg, vmaArg } from './args.js';
import { blockOf } from '../world.js';
import { writePageBlock } from './versions.js';
import { parsePteValue } from '../vm-fault.js';

function ptlBusy(c: StepContext, vma: string): boolean {
  const holder = c.get(key.lock(`${vma}.ptl`));
  return holder !== null && holder !== c.tid;
}

/** The mappings that have a PTE for the page. */
function vmasOf(c: StepContext, page: string): string[] {
  return [...c.layout.vmas.values()].filter((v) => v.pages.includes(page)).map((v) => v.id);
}

function pte(c: StepContext, vma: string, page: string, bit: string): number {
  return c.get(key.pte(vma, page, bit)) ? 1 : 0;
}

export const ptePrimitives: Primitive[] = [
  {
    names: ['pte_store'],
    doc: 'a user store to block n through the mapping: if the PTE is present and writable the CPU sets its dirty bit and memory gets a new version; returns 0 when the store faults',
    reads: ['page-table lock', 'PTE present/writable', 'disk'], writes: ['PTE dirty', 'page memory', 'disk'],
    blocks: (c, [v]) => ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p, n]) => {
      const vma = vmaArg(c, v);
      const page = livePage(c, p);
      if (!pte(c, vma, page, 'present') || !pte(c, vma, page, 'writable')) return 0;
      const block = blockOf(c.layout, page, num(n));
      writePageBlock(c, page, block, num(n));
      c.set(key.pte(vma, page, 'dirty'), 1);
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
    doc: 'a fault installs a PTE for the page (writable and dirty for a write fault), taking the mapping reference',
    reads: ['page-table lock'], writes: ['PTE', 'page refcount'],
    blocks: (c, [v]) => ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p, w]) => {
      const vma = vmaArg(c, v);
      const page = livePage(c, p);
      if (pte(c, vma, page, 'present')) return 0;
      c.set(key.pte(vma, page, 'present'), 1);
      c.set(key.pte(vma, page, 'writable'), num(w) ? 1 : 0);
      c.set(key.pte(vma, page, 'dirty'), num(w) ? 1 : 0);
      c.set(key.pageRef(page), num(c.get(key.pageRef(page))) + 1);
      return 1;
    },
  },
  {
    names: ['pte_present'],
    doc: 'whether the mapping has a present PTE for the page; with one argument, a PTE value (the tree\'s pte_present(pte)), whether its present bit is set',
    reads: ['page-table lock', 'PTE present'],
    // the one-argument form tests a value the caller read: local computation
    pureFor: (args) => args.length === 1,
    blocks: (c, [v]) => parsePteValue(v) === undefined && ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p]) => {
      const value = parsePteValue(v);
      if (value) return value.bits.has('present') ? 1 : 0;
      return pte(c, vmaArg(c, v), pageArg(c, p), 'present');
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
    doc: 'clears the PTE (caller holds the page-table lock); returns its dirty bit',
    reads: ['page-table lock', 'PTE'], writes: ['PTE'],
    blocks: (c, [v]) => ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p]) => {
      const vma = vmaArg(c, v);
      const page = pageArg(c, p);
      if (!pte(c, vma, page, 'present')) return 0;
      const dirty = pte(c, vma, page, 'dirty');
      for (const bit of ['present', 'writable', 'dirty']) c.set(key.pte(vma, page, bit), 0);
      return dirty ? 1 : 0;
    },
  },
  {
    names: ['page_mkclean', 'folio_mkclean'],
    doc: 'write-protects and cleans every PTE of the page; returns 1 if any was writable or dirty',
    reads: ['page-table lock', 'PTEs'], writes: ['PTE writable/dirty'],
    blocks: (c, [p]) => vmasOf(c, pageArg(c, p)).some((v) => ptlBusy(c, v)),
    run: (c, [p]) => {
      const page = livePage(c, p);
      let cleaned = 0;
      for (const vma of vmasOf(c, page)) {
        if (!pte(c, vma, page, 'present')) continue;
        if (pte(c, vma, page, 'writable') || pte(c, vma, page, 'dirty')) cleaned = 1;
        c.set(key.pte(vma, page, 'writable'), 0);
        c.set(key.pte(vma, page, 'dirty'), 0);
      }
      return cleaned;
    },
  },
  {
    names: ['page_mapped', 'folio_mapped'],
    doc: 'whether any PTE maps the page',
    reads: ['PTEs present'],
    run: (c, [p]) => {
      const page = livePage(c, p);
      return vmasOf(c, page).some((v) => pte(c, v, page, 'present')) ? 1 : 0;
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
