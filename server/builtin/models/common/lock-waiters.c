/*
 * Harness: a task that takes a page lock in a way that a fatal signal may cut short
 * (a read() or a fault: lock_page_killable()), and lets the lock go if it got it.
 */
void lock_page_killable_and_unlock(struct page *page)
{
	if (lock_page_killable(page) == 0)
		unlock_page(page);
}
