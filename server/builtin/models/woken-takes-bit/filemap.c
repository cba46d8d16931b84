/*
 * mm/filemap.c as the 6.12 tree has it (mm/filemap.c:1351-1363 of Debian's 6.12): after
 * finish_wait(), an exclusive waiter that was woken without the bit being handed over
 * (its signal check came first) takes the bit if it is free, instead of returning
 * -EINTR and swallowing the one exclusive wake-up. The commit that added it is not
 * confirmed here. The rest of 6.1's folio_wait_bit_common() is unchanged.
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

	if (behavior == EXCLUSIVE) {
		if (flags & WQ_FLAG_DONE)
			return 0;
		/*
		 * A wake-up may have chosen this waiter after its signal check: the waker
		 * wakes nobody else, so take the bit if it is still free.
		 */
		if ((flags & WQ_FLAG_WOKEN) && !test_and_set_wait_bit(bit_nr, folio))
			return 0;
		return -EINTR;
	}

	return flags & WQ_FLAG_WOKEN ? 0 : -EINTR;
}

