/* mm/filemap.c, 6.1 */

/*
 * folio_wait_bit_common() since "mm: rewrite wait_on_page_bit_common() logic"
 * (2a9127fcf229) and the page lock's controlled unfairness: the waker sets
 * WQ_FLAG_WOKEN on the entry it wakes (and hands the bit over, WQ_FLAG_DONE, to a
 * WQ_FLAG_CUSTOM waiter that has let it be stolen sysctl_page_lock_unfairness times);
 * a woken exclusive waiter otherwise takes the bit itself. The wait_page_queue is on
 * the waiter's stack: get_current() names it. Under q->lock: folio_set_waiters(), then
 * folio_trylock_flag() or __add_wait_queue_entry_tail() (folio_wait_queue_add).
 */
static inline int folio_wait_bit_common(struct folio *folio, int bit_nr, int state, enum behavior behavior)
{
	int unfairness = sysctl_page_lock_unfairness;
	struct task_struct *wait = get_current();
	unsigned int flags;

repeat:
	flags = 0;
	if (behavior == EXCLUSIVE) {
		flags = WQ_FLAG_EXCLUSIVE;
		if (--unfairness < 0)
			flags |= WQ_FLAG_CUSTOM;
	}
	folio_wait_queue_add(folio, bit_nr, flags, WAKE_PAGE_FLAGS);

	if (behavior == DROP)
		folio_put(folio);

	for (;;) {
		/*
		 * set_current_state(state); flags = smp_load_acquire(&wait->flags);
		 * Loop until we've been woken or interrupted
		 */
		flags = prepare_to_sleep_flags(wait, state);
		if (!(flags & WQ_FLAG_WOKEN)) {
			if (signal_pending_state(state, wait))
				break;

			io_schedule();
			continue;
		}

		if (behavior != EXCLUSIVE)
			break;

		if (flags & WQ_FLAG_DONE)
			break;

		if (unlikely(test_and_set_wait_bit(bit_nr, folio)))
			goto repeat;

		wait_entry_set_flags(wait, flags | WQ_FLAG_DONE);
		break;
	}

	/* finish_wait(q, wait); wait->flags is stable from here on */
	flags = page_wait_finish(folio, bit_nr);

	if (behavior == EXCLUSIVE)
		return flags & WQ_FLAG_DONE ? 0 : -EINTR;

	return flags & WQ_FLAG_WOKEN ? 0 : -EINTR;
}

void folio_wait_bit(struct folio *folio, int bit_nr)
{
	folio_wait_bit_common(folio, bit_nr, TASK_UNINTERRUPTIBLE, SHARED);
}

int folio_wait_bit_killable(struct folio *folio, int bit_nr)
{
	return folio_wait_bit_common(folio, bit_nr, TASK_KILLABLE, SHARED);
}

void __folio_lock(struct folio *folio)
{
	folio_wait_bit_common(folio, PG_locked, TASK_UNINTERRUPTIBLE, EXCLUSIVE);
}

int __folio_lock_killable(struct folio *folio)
{
	return folio_wait_bit_common(folio, PG_locked, TASK_KILLABLE, EXCLUSIVE);
}

/* include/linux/pagemap.h */
void folio_lock(struct folio *folio)
{
	might_sleep();
	if (!folio_trylock(folio))
		__folio_lock(folio);
}

int folio_lock_killable(struct folio *folio)
{
	might_sleep();
	if (!folio_trylock(folio))
		return __folio_lock_killable(folio);
	return 0;
}

void lock_page(struct page *page)
{
	folio_lock(page_folio(page));
}

int lock_page_killable(struct page *page)
{
	return folio_lock_killable(page_folio(page));
}

/*
 * spin_lock_irqsave(&q->lock); __wake_up_locked_key_bookmark() with wake_page_function
 * on each entry (the bookmark only breaks up walks of more than 64 entries);
 * folio_clear_waiters() when no waiter of the folio is left.
 */
static void folio_wake_bit(struct folio *folio, int bit_nr)
{
	page_wake_bit_locked(folio, bit_nr);
}

void folio_unlock(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	if (clear_bit_unlock_is_negative_byte(PG_locked, folio_flags(folio, 0)))
		folio_wake_bit(folio, PG_locked);
}

/* mm/page-writeback.c: the loop of c2407cf7d22d */
void folio_wait_writeback(struct folio *folio)
{
	while (folio_test_writeback(folio))
		folio_wait_bit(folio, PG_writeback);
}

void folio_wake(struct folio *folio, int bit)
{
	if (!folio_test_waiters(folio))
		return;
	folio_wake_bit(folio, bit);
}

void folio_end_writeback(struct folio *folio)
{
	/*
	 * folio_test_clear_reclaim() could be used here but it is an atomic
	 * operation and overkill in this particular case.
	 */
	if (folio_test_reclaim(folio)) {
		folio_clear_reclaim(folio);
		folio_rotate_reclaimable(folio);
	}

	/*
	 * Writeback does not hold a folio reference of its own, relying on
	 * truncation to wait for the clearing of PG_writeback. But here we must
	 * make sure that the folio is not freed and reused before the folio_wake().
	 */
	folio_get(folio);
	if (!__folio_end_writeback(folio))
		BUG();

	smp_mb__after_atomic();
	folio_wake(folio, PG_writeback);
	acct_reclaim_writeback(folio);
	folio_put(folio);
}

int filemap_fdatawrite(struct address_space *mapping)
{
	return do_writepages(mapping, WBC_SYNC_ALL);
}

int filemap_fdatawait(struct address_space *mapping)
{
	struct folio *folio;
	pgoff_t index = 0;

	while ((folio = filemap_get_folio_tag(mapping, index, PAGECACHE_TAG_WRITEBACK))) {
		index = folio_index(folio) + 1;
		folio_wait_writeback(folio);
		folio_put(folio);
	}
	return 0;
}

int filemap_write_and_wait(struct address_space *mapping)
{
	int err = filemap_fdatawrite(mapping);

	if (err == 0)
		err = filemap_fdatawait(mapping);
	return err;
}

bool filemap_dirty_folio(struct address_space *mapping, struct folio *folio)
{
	folio_memcg_lock(folio);
	if (folio_test_set_dirty(folio)) {
		folio_memcg_unlock(folio);
		return false;
	}
	__folio_mark_dirty(folio, mapping, !folio_test_private(folio));
	folio_memcg_unlock(folio);
	if (mapping->host)
		__mark_inode_dirty(mapping->host, I_DIRTY_PAGES);
	return true;
}

/* The page cache's own reference goes with the folio (folio_put_refs(folio, 1) for a small folio). */
void filemap_free_folio(struct address_space *mapping, struct folio *folio)
{
	folio_put(folio);
}

/* Remove a locked folio from the page cache and drop the cache's reference. */
void filemap_remove_folio(struct folio *folio)
{
	struct address_space *mapping = folio->mapping;

	BUG_ON(!folio_test_locked(folio));
	spin_lock(&mapping->host->i_lock);
	xa_lock_irq(&mapping->i_pages);
	__filemap_remove_folio(folio, NULL);
	xa_unlock_irq(&mapping->i_pages);
	spin_unlock(&mapping->host->i_lock);

	filemap_free_folio(mapping, folio);
}

/* Remove every (locked) folio of the batch from the page cache, then drop the cache's references. */
void delete_from_page_cache_batch(struct address_space *mapping, struct folio_batch *fbatch)
{
	int i;

	if (!folio_batch_count(fbatch))
		return;

	spin_lock(&mapping->host->i_lock);
	xa_lock_irq(&mapping->i_pages);
	for (i = 0; i < folio_batch_count(fbatch); i++)
		__filemap_remove_folio(fbatch->folios[i], NULL);	/* page_cache_delete_batch() */
	xa_unlock_irq(&mapping->i_pages);
	spin_unlock(&mapping->host->i_lock);

	for (i = 0; i < folio_batch_count(fbatch); i++)
		filemap_free_folio(mapping, fbatch->folios[i]);
}

/*
 * Look up the folio at an index, with a reference; FGP_LOCK locks it and retries if
 * it was truncated meanwhile. Creating folios (FGP_CREAT) is not modeled.
 */
struct folio *__filemap_get_folio(struct address_space *mapping, pgoff_t index, int fgp_flags, gfp_t gfp)
{
	struct folio *folio;

repeat:
	folio = mapping_get_entry(mapping, index);
	if (!folio)
		return NULL;

	if (fgp_flags & FGP_LOCK) {
		if (fgp_flags & FGP_NOWAIT) {
			if (!folio_trylock(folio)) {
				folio_put(folio);
				return NULL;
			}
		} else {
			folio_lock(folio);
		}

		/* Has the page been truncated? */
		if (unlikely(folio->mapping != mapping)) {
			folio_unlock(folio);
			folio_put(folio);
			goto repeat;
		}
		VM_BUG_ON_FOLIO(!folio_contains(folio, index), folio);
	}
	return folio;
}

/*
 * Making a new page-cache folio: the page allocator and the insertion into the
 * mapping's xarray (memcg charge, shadow entries, LRU) are outside the model, whose
 * pages are the scenario's own, set up before the CPUs start. An allocation asked for
 * fails, as it may under memory pressure: __filemap_get_folio(FGP_CREAT) then returns
 * -ENOMEM. No 6.1 seed race asks: they look folios up, never create them.
 */
struct folio *filemap_alloc_folio(gfp_t gfp, unsigned int order)
{
	return NULL;
}

/* 6.10 and later: the same allocation under its _noprof name (alloc_hooks wraps it). */
struct folio *filemap_alloc_folio_noprof(gfp_t gfp, unsigned int order)
{
	return NULL;
}

int filemap_add_folio(struct address_space *mapping, struct folio *folio, pgoff_t index, gfp_t gfp)
{
	return -ENOMEM;
}
