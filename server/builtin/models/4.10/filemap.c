/*
 * mm/filemap.c and include/linux/pagemap.h, 4.10: the page wait queues after
 * "mm: add PageWaiters indicating tasks are waiting for a page bit" (62906027091f).
 * The page lock is no longer wait_on_bit_lock(): a lock waiter queues an exclusive
 * wait_page_queue on the page's hashed queue, the unlock wakes one exclusive waiter
 * (wake_page_function, then autoremove_wake_function), and a killable waiter checks
 * for a fatal signal as soon as io_schedule() returns, before it looks at the bit.
 */

/*
 * The waiter's wait_page_queue lives on its stack: get_current() names it (one wait at
 * a time per task); test_wait_bit/test_and_set_wait_bit are test_bit and
 * test_and_set_bit_lock on &page->flags. Under q->lock: queue it (exclusive ones at the tail) unless it is
 * queued already, SetPageWaiters(), set_current_state(state).
 */
static inline int wait_on_page_bit_common(struct page *page, int bit_nr, int state, bool lock)
{
	struct task_struct *wait = get_current();
	int ret = 0;

	for (;;) {
		page_wait_queue_enter(page, bit_nr, lock ? WQ_FLAG_EXCLUSIVE : 0, WAKE_PAGE_AUTOREMOVE, state);

		if (likely(test_wait_bit(bit_nr, page))) {
			io_schedule();
			if (unlikely(signal_pending_state(state, wait))) {
				ret = -EINTR;
				break;
			}
		}

		if (lock) {
			if (!test_and_set_wait_bit(bit_nr, page))
				break;
		} else {
			if (!test_wait_bit(bit_nr, page))
				break;
		}
	}

	/* finish_wait(q, wait): a signal may leave PG_waiters set, the next wake-up clears it */
	page_wait_finish(page, bit_nr);
	return ret;
}

void wait_on_page_bit(struct page *page, int bit_nr)
{
	wait_on_page_bit_common(page, bit_nr, TASK_UNINTERRUPTIBLE, false);
}

int wait_on_page_bit_killable(struct page *page, int bit_nr)
{
	return wait_on_page_bit_common(page, bit_nr, TASK_KILLABLE, false);
}

void __lock_page(struct page *page)
{
	wait_on_page_bit_common(page, PG_locked, TASK_UNINTERRUPTIBLE, true);
}

int __lock_page_killable(struct page *page)
{
	return wait_on_page_bit_common(page, PG_locked, TASK_KILLABLE, true);
}

void lock_page(struct page *page)
{
	might_sleep();
	if (!trylock_page(page))
		__lock_page(page);
}

int lock_page_killable(struct page *page)
{
	might_sleep();
	if (!trylock_page(page))
		return __lock_page_killable(page);
	return 0;
}

/*
 * spin_lock_irqsave(&q->lock); __wake_up_locked_key(q, TASK_NORMAL, &key), each entry
 * through its wake function; ClearPageWaiters() when no waiter of the page is left.
 */
static void wake_up_page_bit(struct page *page, int bit_nr)
{
	page_wake_bit_locked(page, bit_nr);
}

void wake_up_page(struct page *page, int bit)
{
	if (!PageWaiters(page))
		return;
	wake_up_page_bit(page, bit);
}

void unlock_page(struct page *page)
{
	VM_BUG_ON_PAGE(!PageLocked(page), page);
	clear_bit_unlock(PG_locked, &page->flags);
	smp_mb__after_atomic();
	wake_up_page(page, PG_locked);
}

void wait_on_page_writeback(struct page *page)
{
	if (PageWriteback(page))
		wait_on_page_bit(page, PG_writeback);
}
