/*
 * mm/filemap.c, 4.13: a8b169afbf06 "Avoid page waitqueue race leaving possible page
 * locker waiting". An exclusive waiter may be the one waiter a wake-up chose, so once
 * io_schedule() returns it first tries the bit it waits for and takes the lock if it
 * is free; only then does a fatal signal end the wait.
 */
static inline int wait_on_page_bit_common(struct page *page, int bit_nr, int state, bool lock)
{
	struct task_struct *wait = get_current();
	int ret = 0;

	for (;;) {
		page_wait_queue_enter(page, bit_nr, lock ? WQ_FLAG_EXCLUSIVE : 0, WAKE_PAGE_AUTOREMOVE, state);

		if (likely(test_wait_bit(bit_nr, page)))
			io_schedule();

		if (lock) {
			if (!test_and_set_wait_bit(bit_nr, page))
				break;
		} else {
			if (!test_wait_bit(bit_nr, page))
				break;
		}

		if (unlikely(signal_pending_state(state, wait))) {
			ret = -EINTR;
			break;
		}
	}

	page_wait_finish(page, bit_nr);
	return ret;
}
