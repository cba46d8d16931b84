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
