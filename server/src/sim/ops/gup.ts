/**
 * What mm/gup.c stands on, as data: the task's address space and the VMAs in it.
 *  - a scenario's mapping is an mm of its own ("mm:U", ops/page-tables.ts); the task a
 *    CPU runs has no mm until an operation that acts as the mapping's process takes it
 *    on (use_mm: the harness's pin), and `current->mm` then reads it (objects.ts);
 *  - the VMA lookup by address (find_vma(), vma_lookup(), a maple tree walk in 6.1 and
 *    6.12) answers over the scenario's mappings of that mm still linked (munmap unlinks);
 *  - the caller's `struct page *pages[]`, filled by the callee, is the caller's local
 *    array passed by value and copied back (lift/assign.ts): array_set and array_advance
 *    are its `pages[i] = page` and `pages += n`;
 *  - x86's lockless walk of fast GUP (gup_pgd_range() … gup_pte_range(), 6.12's
 *    gup_fast_pgd_range()) is one step over the PTE words, a stated boundary: it grabs
 *    each page whose PTE is present, and writable under FOLL_WRITE, as try_grab_folio()
 *    does (GUP_PIN_COUNTING_BIAS references for FOLL_PIN, one for FOLL_GET), and stops
 *    at the first it cannot use, leaving the rest to the slow path (__get_user_pages()).
 */
import type { Primitive, StepContext } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import type { Value } from '../program.js';
import { key } from '../world.js';
import { slotAddress } from '../vm-fault.js';
import { PAGE_SIZE } from '../world.js';
import { lockArg, num, shownValue } from './args.js';
import { arrayItems, arrayValue } from '../arrays.js';
import { slotPage } from '../vm-fault.js';
import { constantValue } from '../constants.js';

const FOLL_WRITE = constantValue('FOLL_WRITE') as number;
const FOLL_PIN = constantValue('FOLL_PIN') as number;
const FOLL_GET = constantValue('FOLL_GET') as number;
const GUP_PIN_COUNTING_BIAS = constantValue('GUP_PIN_COUNTING_BIAS') as number;
const EINTR = constantValue('EINTR') as number;

/** "mm:U" → "U": the mapping whose address space it is. */
function mmArg(c: StepContext, v: Value): string {
  if (typeof v === 'string' && v.startsWith('mm:') && c.layout.vmas.has(v.slice(3))) return v.slice(3);
  throw new PrimitiveError(`expected an mm_struct of one of the scenario's mappings, got ${shownValue(v)}`);
}

/** [vm_start, vm_end) of mapping `vma` (objects.ts fixedField). */
function bounds(c: StepContext, vma: string): [number, number] {
  const v = c.layout.vmas.get(vma)!;
  const start = slotAddress(c.layout, vma, v.pages[0] ?? '');
  return [start, start + v.pages.length * PAGE_SIZE];
}

/** The fast path's walk over [start, end) of the task's mm; returns the grown array and count. */
function fastWalk(c: StepContext, start: number, end: number, flags: number, items: Value[], nr: number): number {
  const mm = c.get(key.taskMm(c.tid));
  if (mm === null) throw new PrimitiveError('fast GUP by a task with no mm (no use_mm before it)');
  const vma = mmArg(c, mm);
  let n = nr;
  for (let addr = start; addr < end; addr += PAGE_SIZE) {
    const page = slotPage(c.layout, vma, addr);
    if (page === undefined || !c.get(key.pte(vma, page, 'present'))) break;
    if ((flags & FOLL_WRITE) && !c.get(key.pte(vma, page, 'writable'))) break;
    const ref = num(c.get(key.pageRef(page)));
    if (ref <= 0 || !(flags & (FOLL_PIN | FOLL_GET))) break;
    c.set(key.pageRef(page), ref + (flags & FOLL_PIN ? GUP_PIN_COUNTING_BIAS : 1));
    items[n++] = `page:${page}`;
  }
  return n;
}

export const gupPrimitives: Primitive[] = [
  ...([
    [['pgd_huge', 'p4d_huge', 'pud_huge', 'pmd_huge', 'is_hugepd'], 0, 'no huge entries above the PTE: the model\'s folios are single pages mapped by PTEs'],
  ] as const).map(([names, value, why]): Primitive => ({ names, doc: `${value ? 'true' : 'false'}: ${why}`, pure: true, constant: () => value, run: () => value })),
  {
    names: ['__hugepd'],
    doc: 'the hugepd_t of an entry word: only is_hugepd() reads it, which is false for the model\'s entries',
    pure: true,
    run: (_c, [e]) => e,
  },
  {
    names: ['pud_val', 'p4d_val', 'pgd_val'],
    doc: 'an upper-level entry\'s word: the model\'s entries have no bits to test (never huge, never bad), their value is the entry itself (ops/page-tables.ts)',
    pure: true,
    run: (_c, [e]) => {
      if (typeof e === 'string' && /^(pgd|p4d|pud):/.test(e)) return e;
      throw new PrimitiveError(`expected an upper-level page-table entry, got ${shownValue(e)}`);
    },
  },
  {
    names: ['gup_pgd_range', 'gup_fast_pgd_range'],
    doc: 'fast GUP\'s lockless page-table walk, one step: grabs each page of [start, end) whose PTE is present (and writable for FOLL_WRITE) into pages[*nr++], GUP_PIN_COUNTING_BIAS references for FOLL_PIN, and stops at the first it cannot use',
    reads: ['PTE', 'task mm'], writes: ['page refcount'],
    byRef: [3, 4],
    run: (c, [start, end, flags, pages, nr]) => {
      const items = arrayItems(pages);
      const n = fastWalk(c, num(start), num(end), num(flags), items, num(nr));
      c.out(3, arrayValue(items.map((v) => v ?? null)));
      c.out(4, n);
      return 0;
    },
  },
  {
    names: ['down_read_killable', 'down_write_killable'],
    doc: 'sleeps until the lock is free, then holds it and returns 0 (taken exclusively, as the model\'s rwsems are); returns -EINTR at once when SIGKILL is pending',
    reads: ['lock', 'fatal signal'], writes: ['lock'],
    blocks: (c, [l]) => c.get(key.lock(lockArg(l))) !== null && c.get(key.taskSigkill(c.tid)) !== 1,
    run: (c, [l]) => {
      if (c.get(key.taskSigkill(c.tid)) === 1) return -EINTR;
      c.set(key.lock(lockArg(l)), c.tid);
      return 0;
    },
  },
  {
    names: ['ptr_given'],
    doc: 'whether a scalar pointer parameter (`int *locked`) was given, not NULL: the out-parameter holds the caller\'s value when it was (a number), NULL when not',
    pure: true,
    run: (_c, [p]) => (p === null ? 0 : 1),
  },
  {
    names: ['array_set'],
    doc: '`pages[i] = v` into an array of pointers passed in: the array with element i replaced (a new one past the end; the ones between are NULL)',
    pure: true,
    run: (_c, [a, i, v]) => {
      const items = arrayItems(a);
      const k = num(i);
      if (!Number.isInteger(k) || k < 0 || k > 64) throw new PrimitiveError(`array element ${shownValue(i)} written`);
      while (items.length < k) items.push(null);
      items[k] = v;
      return arrayValue(items);
    },
  },
  {
    names: ['array_advance'],
    doc: '`pages += n` on an array of pointers passed in: only n = 0 is modeled (a callee past element 0 would write where the copy back cannot reach)',
    pure: true,
    run: (_c, [a, n]) => {
      if (num(n) !== 0) throw new PrimitiveError(`pointer arithmetic into an array passed by pointer (+${shownValue(n)}): only an offset of 0 is modeled`);
      arrayItems(a);
      return a;
    },
  },
  {
    names: ['untagged_addr'],
    doc: 'the user address without its tag bits: the scenario\'s addresses carry none (x86 LAM unused)',
    pure: true,
    run: (_c, [addr]) => num(addr),
  },
  {
    names: ['untagged_addr_remote'],
    doc: 'the user address in mm without its tag bits: the scenario\'s addresses carry none (x86 LAM unused)',
    pure: true,
    run: (_c, [, addr]) => num(addr),
  },
  {
    names: ['access_ok'],
    doc: 'whether [addr, addr + size) is in user space: every address of a scenario\'s mappings is (below TASK_SIZE_MAX)',
    pure: true,
    run: (c, [addr, size]) => {
      const ends = [...c.layout.vmas.keys()].map((v) => bounds(c, v)[1]);
      return num(addr) + num(size) <= Math.max(0, ...ends) ? 1 : 0;
    },
  },
  {
    names: ['use_mm'],
    doc: 'the CPU\'s task takes on the address space mm (use_mm() before 5.8, kthread_use_mm() since): `current->mm` is mm from here on',
    writes: ['task mm'],
    // only the task itself reads or writes its mm
    localWhen: () => true,
    run: (c, [m]) => { c.set(key.taskMm(c.tid), `mm:${mmArg(c, m)}`); return 0; },
  },
  {
    names: ['find_vma'],
    doc: 'the first mapping of mm ending above addr, or NULL: the scenario\'s mapping of that mm while it is linked (munmap unlinks it)',
    reads: ['i_mmap'],
    run: (c, [m, addr]) => {
      const vma = mmArg(c, m);
      return c.get(key.vmaLinked(vma)) && num(addr) < bounds(c, vma)[1] ? `vma:${vma}` : null;
    },
  },
  {
    names: ['vma_lookup'],
    doc: 'the mapping of mm that contains addr, or NULL: the scenario\'s mapping of that mm while it is linked and addr is inside it',
    reads: ['i_mmap'],
    run: (c, [m, addr]) => {
      const vma = mmArg(c, m);
      const [start, end] = bounds(c, vma);
      return c.get(key.vmaLinked(vma)) && num(addr) >= start && num(addr) < end ? `vma:${vma}` : null;
    },
  },
];
