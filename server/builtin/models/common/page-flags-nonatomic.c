/*
 * The non-atomic bit operations (include/asm-generic/bitops/non-atomic.h; on x86
 * arch___set_bit and arch___clear_bit are bts/btr without the LOCK prefix, one
 * instruction that reads and writes the word without holding it): the word is loaded,
 * changed, and stored whole. Another CPU's atomic set_bit() between the two is lost.
 * The kernel uses them only where nobody else can touch the word; these models let a
 * run find out when that is not so.
 */

void arch___set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long word = flags_word_load(addr);

	flags_word_store(addr, word | flag_bit_mask(nr));
}

void arch___clear_bit(long nr, volatile unsigned long *addr)
{
	unsigned long word = flags_word_load(addr);

	flags_word_store(addr, word & ~flag_bit_mask(nr));
}

void arch___change_bit(long nr, volatile unsigned long *addr)
{
	unsigned long word = flags_word_load(addr);

	flags_word_store(addr, word ^ flag_bit_mask(nr));
}

bool arch___test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long word = flags_word_load(addr);

	flags_word_store(addr, word | flag_bit_mask(nr));
	return (word & flag_bit_mask(nr)) != 0;
}

bool arch___test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	unsigned long word = flags_word_load(addr);

	flags_word_store(addr, word & ~flag_bit_mask(nr));
	return (word & flag_bit_mask(nr)) != 0;
}

/* include/asm-generic/bitops/instrumented-non-atomic.h: KASAN/KCSAN hooks, then the arch operation */
void __set_bit(long nr, volatile unsigned long *addr)
{
	arch___set_bit(nr, addr);
}

void __clear_bit(long nr, volatile unsigned long *addr)
{
	arch___clear_bit(nr, addr);
}

void __change_bit(long nr, volatile unsigned long *addr)
{
	arch___change_bit(nr, addr);
}

bool __test_and_set_bit(long nr, volatile unsigned long *addr)
{
	return arch___test_and_set_bit(nr, addr);
}

bool __test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	return arch___test_and_clear_bit(nr, addr);
}

/* asm-generic's C versions, as architectures without their own use them */
void generic___set_bit(long nr, volatile unsigned long *addr)
{
	arch___set_bit(nr, addr);
}

void generic___clear_bit(long nr, volatile unsigned long *addr)
{
	arch___clear_bit(nr, addr);
}

/* include/linux/page-flags.h: __SETPAGEFLAG() and __CLEARPAGEFLAG() of the modeled bits */

void __SetPageDirty(struct page *page)
{
	__set_bit(PG_dirty, &page->flags);
}

void __ClearPageDirty(struct page *page)
{
	__clear_bit(PG_dirty, &page->flags);
}

void __folio_set_dirty(struct folio *folio)
{
	__set_bit(PG_dirty, folio_flags(folio, 0));
}

void __folio_clear_dirty(struct folio *folio)
{
	__clear_bit(PG_dirty, folio_flags(folio, 0));
}

void __SetPageWriteback(struct page *page)
{
	__set_bit(PG_writeback, &page->flags);
}

void __ClearPageWriteback(struct page *page)
{
	__clear_bit(PG_writeback, &page->flags);
}

void __folio_set_writeback(struct folio *folio)
{
	__set_bit(PG_writeback, folio_flags(folio, 0));
}

void __folio_clear_writeback(struct folio *folio)
{
	__clear_bit(PG_writeback, folio_flags(folio, 0));
}

void __SetPageUptodate(struct page *page)
{
	__set_bit(PG_uptodate, &page->flags);
}

void __ClearPageUptodate(struct page *page)
{
	__clear_bit(PG_uptodate, &page->flags);
}

void __folio_set_uptodate(struct folio *folio)
{
	__set_bit(PG_uptodate, folio_flags(folio, 0));
}

void __folio_clear_uptodate(struct folio *folio)
{
	__clear_bit(PG_uptodate, folio_flags(folio, 0));
}

void __SetPagePrivate(struct page *page)
{
	__set_bit(PG_private, &page->flags);
}

void __ClearPagePrivate(struct page *page)
{
	__clear_bit(PG_private, &page->flags);
}

void __folio_set_private(struct folio *folio)
{
	__set_bit(PG_private, folio_flags(folio, 0));
}

void __folio_clear_private(struct folio *folio)
{
	__clear_bit(PG_private, folio_flags(folio, 0));
}

void __SetPageReclaim(struct page *page)
{
	__set_bit(PG_reclaim, &page->flags);
}

void __ClearPageReclaim(struct page *page)
{
	__clear_bit(PG_reclaim, &page->flags);
}

void __folio_set_reclaim(struct folio *folio)
{
	__set_bit(PG_reclaim, folio_flags(folio, 0));
}

void __folio_clear_reclaim(struct folio *folio)
{
	__clear_bit(PG_reclaim, folio_flags(folio, 0));
}

void __SetPageWaiters(struct page *page)
{
	__set_bit(PG_waiters, &page->flags);
}

void __ClearPageWaiters(struct page *page)
{
	__clear_bit(PG_waiters, &page->flags);
}

void __folio_set_waiters(struct folio *folio)
{
	__set_bit(PG_waiters, folio_flags(folio, 0));
}

void __folio_clear_waiters(struct folio *folio)
{
	__clear_bit(PG_waiters, folio_flags(folio, 0));
}

void __SetPageMappedToDisk(struct page *page)
{
	__set_bit(PG_mappedtodisk, &page->flags);
}

void __ClearPageMappedToDisk(struct page *page)
{
	__clear_bit(PG_mappedtodisk, &page->flags);
}

void __folio_set_mappedtodisk(struct folio *folio)
{
	__set_bit(PG_mappedtodisk, folio_flags(folio, 0));
}

void __folio_clear_mappedtodisk(struct folio *folio)
{
	__clear_bit(PG_mappedtodisk, folio_flags(folio, 0));
}
