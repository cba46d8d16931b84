/**
 * What a THP split does that no modeled state depends on (mm/huge_memory.c,
 * __split_huge_page() and __split_huge_page_tail() on the 6.1 and 6.12 trees). Each
 * group says why; the run names each one it skips as a 'builtin-over-source' assumption
 * with the file and line of the tree's definition.
 */
import type { NoopGroup } from './noops.js';

export const THP_NOOP_GROUPS: readonly NoopGroup[] = [
  {
    why: 'a THP split\'s LRU bookkeeping: folio_lruvec_lock()/unlock_page_lruvec() take the memcg lruvec\'s lru_lock and lru_add_page_tail() puts each tail next to its head on the LRU (PG_lru): LRU membership is not modeled apart from reclaim\'s isolated lists (flag-bits.ts: PG_lru reads clear), no scenario thread walks an LRU list during a split, and the folio\'s frozen reference count already keeps every other thread off it',
    names: ['folio_lruvec_lock', 'unlock_page_lruvec', 'lru_add_page_tail'],
  },
  {
    why: 'a THP split\'s memcg, page-owner and allocation-tag bookkeeping (split_page_memcg, split_page_owner, pgalloc_tag_split) and the idle/young page-tracking bits (page_is_young/set_page_young, page_is_idle/set_page_idle, folio_test_young/idle and their setters): per-page accounting copied from head to tails, which no modeled state reads',
    names: ['split_page_memcg', 'split_page_owner', 'pgalloc_tag_split', 'page_is_young', 'set_page_young', 'page_is_idle',
      'set_page_idle', 'folio_test_young', 'folio_set_young', 'folio_test_idle', 'folio_set_idle', 'folio_last_cpupid', 'page_cpupid_last'],
  },
];
