/**
 * The page cache: membership (page->mapping), tags, lookups that take a reference,
 * and reference counting, where dropping the last reference frees the page.
 */
import type { Value } from '../program.js';
import type { Primitive, StepContext } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import { key, TAGS } from '../world.js';
import { livePage, lockArg, mappingArg, num, pageArg, tagArg } from './args.js';

function inCache(c: StepContext, page: string): boolean {
  return c.get(key.pageMapping(page)) !== null && !c.get(key.pageFreed(page));
}

export function getPage(c: StepContext, page: string): void {
  c.set(key.pageRef(page), num(c.get(key.pageRef(page))) + 1);
}

export function putPage(c: StepContext, page: string): void {
  const ref = num(c.get(key.pageRef(page))) - 1;
  if (ref < 0) throw new PrimitiveError(`put_page(${page}) with no reference held`);
  c.set(key.pageRef(page), ref);
  if (ref === 0) {
    c.set(key.pageFreed(page), 1);
    c.remark(`last reference: ${page} freed`);
    if (c.get(key.pageFlag(page, 'writeback'))) {
      c.violate('freed-under-writeback', `page ${page} is freed while PG_writeback is set`);
    }
  }
}

/** The first page of the file at index >= from satisfying `want`, with a reference taken. */
function lookupFrom(c: StepContext, mapping: string, from: number, want: (page: string) => boolean): Value {
  for (const page of c.layout.files.get(mapping)!.pages) {
    if (c.layout.pages.get(page)!.index < from || !inCache(c, page) || !want(page)) continue;
    getPage(c, page);
    return `page:${page}`;
  }
  return null;
}

/** A tree argument (&mapping->i_pages, &mapping->page_tree) names its file. */
function treeFile(v: Value): string {
  const lock = lockArg(v);
  return lock.slice(0, lock.lastIndexOf('.'));
}

function pageAtIndex(c: StepContext, mapping: string, index: number): string {
  const page = c.layout.files.get(mapping)?.pages.find((p) => c.layout.pages.get(p)!.index === index);
  if (!page) throw new PrimitiveError(`no page at index ${index} of ${mapping}`);
  return page;
}

function setTag(c: StepContext, page: string, tag: string, v: number): void {
  if (!(TAGS as readonly string[]).includes(tag)) throw new PrimitiveError(`unknown tag ${tag}`);
  c.set(key.tag(c.layout.pages.get(page)!.file, tag, page), v);
}

export const pageCachePrimitives: Primitive[] = [
  {
    names: ['page_mapping', 'folio_mapping', 'page_file_mapping', 'folio_file_mapping'],
    doc: 'page->mapping: the address_space, or NULL once truncated',
    reads: ['page->mapping'],
    run: (c, [p]) => c.get(key.pageMapping(livePage(c, p))),
  },
  {
    names: ['page_tag_set'],
    doc: 'sets a page-cache tag on the page (caller holds the i_pages lock)',
    writes: ['page-cache tag'],
    run: (c, [p, t]) => { setTag(c, livePage(c, p), tagArg(t), 1); return 0; },
  },
  {
    names: ['page_tag_clear'],
    doc: 'clears a page-cache tag on the page (caller holds the i_pages lock)',
    writes: ['page-cache tag'],
    run: (c, [p, t]) => { setTag(c, livePage(c, p), tagArg(t), 0); return 0; },
  },
  {
    names: ['radix_tree_tag_set', '__xa_set_mark'],
    doc: 'sets a page-cache tag at an index',
    writes: ['page-cache tag'],
    run: (c, [tree, idx, t]) => { setTag(c, pageAtIndex(c, treeFile(tree), num(idx)), tagArg(t), 1); return 0; },
  },
  {
    names: ['radix_tree_tag_clear', '__xa_clear_mark'],
    doc: 'clears a page-cache tag at an index',
    writes: ['page-cache tag'],
    run: (c, [tree, idx, t]) => { setTag(c, pageAtIndex(c, treeFile(tree), num(idx)), tagArg(t), 0); return 0; },
  },
  {
    names: ['mapping_tagged'],
    doc: 'whether any page of the file carries the tag',
    reads: ['page-cache tags'],
    run: (c, [m, t]) => {
      const file = mappingArg(c, m);
      const tag = tagArg(t);
      return c.layout.files.get(file)!.pages.some((p) => c.get(key.tag(file, tag, p))) ? 1 : 0;
    },
  },
  {
    names: ['find_get_page_tag', 'pagevec_lookup_tag_one', 'filemap_get_folio_tag'],
    doc: 'the next page at index >= start carrying the tag, with a reference taken (NULL when none)',
    reads: ['page-cache tags', 'page->mapping'], writes: ['page refcount'],
    run: (c, [m, from, t]) => {
      const file = mappingArg(c, m);
      const tag = tagArg(t);
      return lookupFrom(c, file, num(from), (p) => !!c.get(key.tag(file, tag, p)));
    },
  },
  {
    names: ['find_get_page_from', 'pagevec_lookup_one', 'find_get_entry'],
    doc: 'the next cached page at index >= start, with a reference taken (NULL when none)',
    reads: ['page->mapping'], writes: ['page refcount'],
    run: (c, [m, from]) => lookupFrom(c, mappingArg(c, m), num(from), () => true),
  },
  {
    names: ['get_page', 'folio_get', 'page_cache_get'],
    doc: 'takes a page reference',
    reads: ['page refcount'], writes: ['page refcount'],
    run: (c, [p]) => { getPage(c, livePage(c, p)); return 0; },
  },
  {
    names: ['put_page', 'folio_put', 'page_cache_release'],
    doc: 'drops a page reference; the last one frees the page',
    reads: ['page refcount'], writes: ['page refcount'],
    run: (c, [p]) => { putPage(c, livePage(c, p)); return 0; },
  },
  {
    names: ['page_count', 'folio_ref_count'],
    doc: 'the page reference count',
    reads: ['page refcount'],
    run: (c, [p]) => c.get(key.pageRef(livePage(c, p))),
  },
  {
    names: ['__remove_from_page_cache', '__delete_from_page_cache', '__filemap_remove_folio', 'page_cache_delete'],
    doc: 'takes the page out of the page cache: page->mapping = NULL, tags cleared (the cache reference is dropped by the caller)',
    writes: ['page->mapping', 'page-cache tags'],
    run: (c, [p]) => {
      const page = livePage(c, p);
      if (c.get(key.pageMapping(page)) === null) throw new PrimitiveError(`${page} is not in the page cache`);
      c.set(key.pageMapping(page), null);
      for (const tag of TAGS) setTag(c, page, tag, 0);
      return 0;
    },
  },
  {
    names: ['mapping_cap_account_dirty', 'mapping_can_writeback', 'mapping_use_writeback_tags'],
    doc: 'the file takes part in dirty accounting and writeback tags (always, for the files modeled)',
    pure: true,
    run: () => 1,
  },
  {
    names: ['shmem_mapping', 'dax_mapping', 'mapping_release_always'],
    doc: 'the file is tmpfs, DAX, or asks for ->release_folio on every folio: never, for the files modeled',
    pure: true,
    run: () => 0,
  },
  {
    names: ['page_index', 'folio_index'],
    doc: 'the page index in its file',
    pure: true,
    run: (c, [p]) => c.layout.pages.get(pageArg(c, p))!.index,
  },
  {
    // page_folio, compound_head, folio_page: compound pages as data (ops/compound.ts)
    names: ['virt_to_page'],
    doc: 'the page of a kernel address: the page itself (the simulator\'s pages are their own addresses)',
    pure: true,
    run: (_c, [p]) => p,
  },
];
