/**
 * Static keys (include/linux/jump_label.h): a branch the kernel patches in or out at
 * run time (x86 asm goto over a NOP). Whether one is on is a fact of the system the
 * scenario runs on, kept here as data with the reason; a run that reads one says so
 * (an assumption), since a different system could have it the other way.
 */
export interface StaticKey {
  on: boolean;
  why: string;
}

export const STATIC_KEYS: Readonly<Record<string, StaticKey>> = {
  // mm/memremap.c: enabled while some ZONE_DEVICE (fsdax, device-private) pagemap needs its
  // pages' last put_page() to reach the driver
  devmap_managed_key: {
    on: false,
    why: 'no ZONE_DEVICE memory is in use (no fsdax or device-private pagemap): the modeled pages are page cache of an ordinary file',
  },
  // mm/hugetlb_vmemmap.c: enabled once a HugeTLB page's vmemmap is freed (its tail struct pages
  // then alias a fake head, which page_fixed_fake_head() looks through)
  hugetlb_optimize_vmemmap_key: {
    on: false,
    why: 'no HugeTLB page exists in the modeled system, so no struct page aliases a fake head: the modeled pages are single page-cache pages',
  },
};

/** The symbolic value a key's name evaluates to ("key:devmap_managed_key"). */
export function staticKeyValue(name: string): string | undefined {
  return Object.hasOwn(STATIC_KEYS, name) ? `key:${name}` : undefined;
}
