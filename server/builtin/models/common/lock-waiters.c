/*
 * Harness: a task that takes a page lock in a way that a fatal signal may cut short
 * (a read() or a fault: lock_page_killable()), and lets the lock go if it got it.
 */
void lock_page_killable_and_unlock(struct page *page)
{
	if (lock_page_killable(page) == 0)
		unlock_page(page);
}

/*
 * include/linux/sched/signal.h: whether a pending signal ends a sleep in this state.
 * An uninterruptible sleep looks at nothing; SIGKILL is the one signal modeled.
 */
int signal_pending_state(unsigned int state, struct task_struct *p)
{
	if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)))
		return 0;
	if (!signal_pending(p))
		return 0;

	return (state & TASK_INTERRUPTIBLE) || __fatal_signal_pending(p);
}
