/**
 * The page-table walk above the PTE, as trivial data, so that the tree's
 * __handle_mm_fault() and handle_pte_fault() run from source: each mapping is a
 * process (mm) of its own whose pgd, p4d, pud and pmd levels are one entry each,
 * populated when the mapping was made and never huge, so a walk to page P of mapping
 * U is a chain of pointers named after the slot ("pgd:U/P" … "pmd:U/P", the pmd the
 * PTE primitives already take). The levels never change while a scenario runs: their
 * reads are local computation. Below them, the PTE word is the simulator's state
 * (ops/fault.ts); what a fault writes there, it writes with set_pte_at()/set_ptes(),
 * which is where a fault that lost a race with invalidation maps an orphan.
 */
import type { Value } from '../program.js';
import { PrimitiveError, type Primitive, type StepContext } from '../primitive.js';
import { key } from '../world.js';
import { livePage, num, shownValue, vmaArg } from './args.js';
import { pteValue, slotAddress, slotPage, vmfId, type PteBit } from '../vm-fault.js';

/** The slot "U/P" of user address `address` in mm U; an address outside the mapping is a fault the model cannot take. */
function slotOfAddress(c: StepContext, vma: string, address: Value): string {
  const page = slotPage(c.layout, vma, num(address));
  if (page === undefined) throw new PrimitiveError(`address ${shownValue(address)} is outside mapping ${vma} (its slots start at ${slotAddress(c.layout, vma, c.layout.vmas.get(vma)!.pages[0] ?? '')})`);
  return `${vma}/${page}`;
}

const LEVELS = ['pgd', 'p4d', 'pud', 'pmd'] as const;
type Level = (typeof LEVELS)[number];

/** "pud:U/P" → "U/P", for an entry pointer of the level named. */
function entrySlot(v: Value, level: Level): string {
  if (typeof v === 'string' && v.startsWith(`${level}:`)) return v.slice(level.length + 1);
  throw new PrimitiveError(`expected a ${level}_t pointer, got ${shownValue(v)}`);
}

/** The next level's entry allocated if needed (its _offset form, by address, is ops/zap.ts's). */
function descend(from: Level, to: Level): Primitive[] {
  return [
    {
      names: [`${to}_alloc`],
      doc: `the ${to} entry under a ${from} entry, allocating the table if needed: the model's tables exist from the mapping's creation, so never NULL`,
      pure: true,
      run: (_c, [, entry]) => `${to}:${entrySlot(entry, from)}`,
    },
  ];
}

/** Tests of an upper-level entry whose answer is fixed for the model's tables. */
const FIXED_TESTS: readonly [string[], number, string][] = [
  [['pud_none', 'pmd_none', 'p4d_none', 'pgd_none', 'pud_bad', 'pmd_bad', 'p4d_bad', 'pgd_bad',
    'pgd_none_or_clear_bad', 'p4d_none_or_clear_bad', 'pud_none_or_clear_bad', 'pmd_none_or_clear_bad', 'pmd_none_or_trans_huge_or_clear_bad'],
    0, 'the upper levels are populated when the mapping is made (a file mapping whose pages the setup maps or leaves absent still has its PTE table), and never bad'],
  [['pud_trans_huge', 'pud_devmap', 'pmd_trans_huge', 'pmd_devmap', 'pmd_leaf', 'pud_leaf', 'is_swap_pmd', 'pmd_protnone', 'pud_trans_unstable', 'pmd_trans_unstable', 'pmd_devmap_trans_unstable', 'is_pmd_migration_entry'],
    0, 'no huge, device, swap or NUMA-hinting entries above the PTE: the model\'s folios are single pages mapped by PTEs'],
  [['pmd_present', 'pud_present', 'p4d_present', 'pgd_present'], 1, 'the upper levels are populated'],
  [['is_zone_device_page', 'folio_is_zone_device', 'is_huge_zero_page'],
    0, 'the modeled folios are page-cache pages of regular files in ordinary memory: never ZONE_DEVICE memory, never the huge zero page'],
  [['arch_vma_access_permitted'], 1, 'x86\'s protection-key check: the modeled mappings use the default key, which permits every access'],
  [['hugepage_vma_check', 'thp_vma_allowable_order', 'thp_vma_allowable_orders', '__thp_vma_allowable_orders', 'is_vm_hugetlb_page', 'vma_is_dax', 'arch_wants_old_prefaulted_pte', 'vma_is_anon_shmem', 'userfaultfd_armed', 'vmf_orig_pte_uffd_wp'],
    0, 'the modeled mappings are of regular files\' page cache, with no huge pages (no THP for the file, no hugetlbfs, no DAX), no userfaultfd, and x86\'s prefaulted PTEs young'],
];

/** include/linux/math.h macros the fault path computes with (the lifter reads no #define): local arithmetic. */
const ARITHMETIC: Primitive[] = [
  {
    names: ['DIV_ROUND_UP', '__KERNEL_DIV_ROUND_UP'],
    doc: '(n + d - 1) / d: how many d-sized units cover n (i_size in pages)',
    pure: true,
    run: (_c, [n, d]) => (num(d) === 0 ? 0 : Math.floor((num(n) + num(d) - 1) / num(d))),
  },
  {
    names: ['round_down'],
    doc: 'x rounded down to a multiple of the power of two y',
    pure: true,
    run: (_c, [x, y]) => num(x) - (num(x) % Math.max(1, num(y))),
  },
  {
    names: ['FGF_GET_ORDER'],
    doc: 'the folio order an fgf_t asks for (6.12: the bits from 26 up); the model\'s folios are order 0',
    pure: true,
    run: (_c, [f]) => Math.floor(num(f) / 2 ** 26),
  },
  {
    names: ['in_range'],
    doc: 'whether val lies in [start, start + len)',
    pure: true,
    run: (_c, [v, start, len]) => (num(v) >= num(start) && num(v) < num(start) + num(len) ? 1 : 0),
  },
];

export const pageTablePrimitives: Primitive[] = [
  ...ARITHMETIC,
  {
    names: ['vm_fault_on_stack'],
    doc: 'the struct vm_fault a fault builds on its stack for a user address of a mapping (`struct vm_fault vmf = { .vma, .address, ... }`, lift/stack-decl.ts): the object of that slot on this CPU (vm-fault.ts)',
    pure: true, privateResult: true, resultKind: 'vmf',
    run: (c, [v, address]) => {
      const vma = vmaArg(c, v);
      const page = slotOfAddress(c, vma, address).slice(vma.length + 1);
      return `vmf:${vmfId(vma, page, c.tid)}`;
    },
  },
  {
    names: ['vma_slot_address'],
    doc: 'the user address of the page\'s slot in the mapping (the harness\'s store and load fault there)',
    pure: true,
    run: (c, [v, p]) => slotAddress(c.layout, vmaArg(c, v), livePage(c, p)),
  },
  {
    names: ['slot_page'],
    doc: 'the page the setup mapped at a user address of the mapping (the built-in handle_mm_fault() of the historical eras works on pages)',
    pure: true,
    run: (c, [v, address]) => `page:${slotOfAddress(c, vmaArg(c, v), address).split('/')[1]}`,
  },
  ...descend('pgd', 'p4d'),
  ...descend('p4d', 'pud'),
  ...descend('pud', 'pmd'),
  ...FIXED_TESTS.map(([names, value, why]): Primitive => ({
    // a constant of the modeled system: the futures follow only the branch the run takes
    names, doc: `${value ? 'true' : 'false'}: ${why}`, pure: true, constant: () => value, run: () => value,
  })),
  {
    names: ['pte_offset_map_nolock'],
    doc: 'the PTE pointer of the slot and, through ptlp, its page-table lock, not taken (6.5+)',
    pure: true, byRef: [3],
    run: (c, [, pmd]) => {
      const slot = entrySlot(pmd, 'pmd');
      c.out(3, `lock:${slot.split('/')[0]}.ptl`);
      return `ptep:${slot}`;
    },
  },
  {
    names: ['ptep_get_lockless'],
    doc: 'reads the PTE word without the PTE lock (6.12\'s handle_pte_fault; ptep_get() on x86-64, where a PTE is one word)',
    reads: ['PTE'],
    run: (c, [ptep]) => {
      if (typeof ptep !== 'string' || !ptep.startsWith('ptep:')) throw new PrimitiveError(`ptep_get_lockless(): expected a PTE pointer, got ${shownValue(ptep)}`);
      const slot = ptep.slice(5);
      const [vma, page] = [slot.slice(0, slot.indexOf('/')), slot.slice(slot.indexOf('/') + 1)];
      const bits = new Set<PteBit>((['present', 'writable', 'dirty'] as const).filter((b) => c.get(key.pte(vma, page, b))));
      return pteValue(slot, bits);
    },
  },
  {
    names: ['mk_pte'],
    doc: 'a present PTE value for the page with the mapping\'s vm_page_prot: read-only, clean (a shared mapping with dirty tracking is write-protected until its write fault)',
    pure: true,
    run: (c, [p, prot]) => {
      if (typeof prot !== 'string' || !prot.startsWith('pgprot:')) throw new PrimitiveError(`mk_pte(): expected a vma's vm_page_prot, got ${shownValue(prot)}`);
      const vma = prot.slice(7);
      const page = livePage(c, p);
      if (!c.layout.vmas.get(vma)?.pages.includes(page)) throw new PrimitiveError(`mk_pte(): page ${page} has no slot in mapping ${vma}`);
      return pteValue(`${vma}/${page}`, new Set<PteBit>(['present']));
    },
  },
];
