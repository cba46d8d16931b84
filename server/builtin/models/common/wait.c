/*
 * include/linux/wait.h: init_wait() is a macro there, so a tree has no body of it for
 * the lifter; this is its body. The entry belongs to the current task, wakes through
 * autoremove_wake_function() until the caller sets its own wait->func, and is on no
 * list (INIT_LIST_HEAD).
 */
void init_wait(struct wait_queue_entry *wait)
{
	wait->private = current;
	wait->func = autoremove_wake_function;
	INIT_LIST_HEAD(&wait->entry);
	wait->flags = 0;
}

/*
 * kernel/sched/wait.c and include/linux/wait.h, for source sets without them (a run
 * over mm/ alone): a tree that has them runs its own. Queue operations are done by
 * their callers under the queue's lock, as in the kernel.
 */
void __add_wait_queue_entry_tail(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	list_add_tail(&wq_entry->entry, &wq_head->head);
}

void __add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	list_add(&wq_entry->entry, &wq_head->head);
}

int waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

/* The waiter is running again; its entry leaves the queue unless a waker took it off. */
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	if (list_empty_careful(&wq_entry->entry))
		return;
	spin_lock_irqsave(&wq_head->lock, flags);
	list_del_init(&wq_entry->entry);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

/*
 * The walk, under the queue's lock: each entry's wake function through its pointer; a
 * negative answer ends the walk, and so does the nr_exclusive'th exclusive entry that
 * says it was woken. The bookmark (a pause after 64 entries) is never reached by the
 * few CPUs of a scenario.
 */
int __wake_up_common(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive,
		     int wake_flags, void *key, wait_queue_entry_t *bookmark)
{
	wait_queue_entry_t *curr, *next;

	curr = list_first_entry(&wq_head->head, wait_queue_entry_t, entry);
	list_for_each_entry_safe_from(curr, next, &wq_head->head, entry) {
		unsigned int flags = curr->flags;
		int ret = curr->func(curr, mode, wake_flags, key);

		if (ret < 0)
			break;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
	return nr_exclusive;
}

void __wake_up_locked_key_bookmark(struct wait_queue_head *wq_head, unsigned int mode,
				   void *key, wait_queue_entry_t *bookmark)
{
	__wake_up_common(wq_head, mode, 1, 0, key, bookmark);
}

void __wake_up_locked_key(struct wait_queue_head *wq_head, unsigned int mode, void *key)
{
	__wake_up_common(wq_head, mode, 1, 0, key, NULL);
}

/* The default wake function: a task that was woken leaves the queue. */
int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode, int sync, void *key)
{
	int ret = wake_up_state(wq_entry->private, mode);

	if (ret)
		list_del_init_careful(&wq_entry->entry);
	return ret;
}

/*
 * include/linux/pagemap.h: whether a queued page waiter waits for this folio and bit;
 * a match of the folio alone tells the waker that PG_waiters must stay.
 */
int wake_page_match(struct wait_page_queue *wait_page, struct wait_page_key *key)
{
	if (wait_page->folio != key->folio)
		return 0;
	key->page_match = 1;
	if (wait_page->bit_nr != key->bit_nr)
		return 0;
	return 1;
}
