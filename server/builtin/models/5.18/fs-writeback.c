/*
 * fs/fs-writeback.c, 5.18: the inode writeback lists after 5afced3bf281 (5.9) and
 * 846a3351ddfe (5.18). What the model keeps and leaves out: see 5.8/fs-writeback.c.
 *
 * 5afced3bf281: __mark_inode_dirty() leaves the lists alone only while the flusher has
 * the inode queued (I_SYNC_QUEUED: on b_io or b_more_io), not whenever I_SYNC is set.
 * 846a3351ddfe: writeback_single_inode() puts an inode that is still dirty, and not
 * queued by the flusher, back on b_dirty.
 */

static bool inode_io_list_move_locked(struct inode *inode,
				      struct bdi_writeback *wb,
				      struct list_head *head)
{
	assert_spin_locked(&wb->list_lock);
	assert_spin_locked(&inode->i_lock);

	list_move(&inode->i_io_list, head);

	/* dirty_time doesn't count as dirty_io until expiration */
	return head != &wb->b_dirty_time;
}

/* the root wb keeps no b_attached list: the inode leaves every list */
static void inode_cgwb_move_to_attached(struct inode *inode,
					struct bdi_writeback *wb)
{
	assert_spin_locked(&wb->list_lock);
	assert_spin_locked(&inode->i_lock);

	inode->i_state &= ~I_SYNC_QUEUED;
	list_del_init(&inode->i_io_list);
}

static struct bdi_writeback *
locked_inode_to_wb_and_lock_list(struct inode *inode)
{
	struct bdi_writeback *wb = inode_to_wb(inode);

	spin_unlock(&inode->i_lock);
	spin_lock(&wb->list_lock);
	return wb;
}

static struct bdi_writeback *inode_to_wb_and_lock_list(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	return locked_inode_to_wb_and_lock_list(inode);
}

static void redirty_tail_locked(struct inode *inode, struct bdi_writeback *wb)
{
	assert_spin_locked(&inode->i_lock);

	inode_io_list_move_locked(inode, wb, &wb->b_dirty);
	inode->i_state &= ~I_SYNC_QUEUED;
}

static void inode_sync_complete(struct inode *inode)
{
	inode->i_state &= ~I_SYNC;
	/* Waiters must see I_SYNC cleared before being woken up */
	smp_mb();
	wake_up_bit(&inode->i_state, __I_SYNC);
}

/*
 * Sleep until I_SYNC is clear, with i_lock dropped around the sleep (the caller holds
 * it). DEFINE_WAIT_BIT's entry is the sleeper itself here; the action, bit_wait, is
 * the sleep.
 */
static void __inode_wait_for_writeback(struct inode *inode)
{
	wait_queue_head_t *wqh;

	wqh = bit_waitqueue(&inode->i_state, __I_SYNC);
	while (inode->i_state & I_SYNC) {
		spin_unlock(&inode->i_lock);
		__wait_on_bit(wqh, NULL, NULL, TASK_UNINTERRUPTIBLE);
		spin_lock(&inode->i_lock);
	}
}

static int
__writeback_single_inode(struct inode *inode, struct writeback_control *wbc)
{
	struct address_space *mapping = inode->i_mapping;
	unsigned dirty;
	int ret;

	WARN_ON(!(inode->i_state & I_SYNC));

	ret = do_writepages(mapping, wbc);

	if (wbc->sync_mode == WB_SYNC_ALL && !wbc->for_sync) {
		int err = filemap_fdatawait(mapping);
		if (ret == 0)
			ret = err;
	}

	/*
	 * Dirty timestamps of a data-integrity write become I_DIRTY_SYNC (the
	 * expiry after dirtytime_expire_interval is not modeled: no clock).
	 */
	if ((inode->i_state & I_DIRTY_TIME) && wbc->sync_mode == WB_SYNC_ALL)
		__mark_inode_dirty(inode, I_DIRTY_SYNC);

	spin_lock(&inode->i_lock);
	dirty = inode->i_state & I_DIRTY;
	inode->i_state &= ~dirty;

	/*
	 * Paired with smp_mb() in __mark_inode_dirty(): either it sees I_DIRTY_PAGES
	 * clear, or we see the page it tagged dirty.
	 */
	smp_mb();

	if (mapping_tagged(mapping, PAGECACHE_TAG_DIRTY))
		inode->i_state |= I_DIRTY_PAGES;

	spin_unlock(&inode->i_lock);
	return ret;
}

static int writeback_single_inode(struct inode *inode,
				  struct writeback_control *wbc)
{
	struct bdi_writeback *wb;
	int ret = 0;

	spin_lock(&inode->i_lock);
	if (inode->i_state & I_SYNC) {
		if (wbc->sync_mode != WB_SYNC_ALL)
			goto out;
		__inode_wait_for_writeback(inode);
	}
	WARN_ON(inode->i_state & I_SYNC);
	if (!(inode->i_state & I_DIRTY_ALL) &&
	    (wbc->sync_mode != WB_SYNC_ALL ||
	     !mapping_tagged(inode->i_mapping, PAGECACHE_TAG_WRITEBACK)))
		goto out;
	inode->i_state |= I_SYNC;
	/* wbc_attach_and_unlock_inode() without cgroup writeback */
	spin_unlock(&inode->i_lock);

	ret = __writeback_single_inode(inode, wbc);

	wb = inode_to_wb_and_lock_list(inode);
	spin_lock(&inode->i_lock);
	/*
	 * If the inode is now fully clean, then it can be safely removed from
	 * its writeback list (if any).  Otherwise the flusher threads are
	 * responsible for the writeback lists.
	 */
	if (!(inode->i_state & I_DIRTY_ALL))
		inode_cgwb_move_to_attached(inode, wb);
	else if (!(inode->i_state & I_SYNC_QUEUED) && (inode->i_state & I_DIRTY))
		redirty_tail_locked(inode, wb);

	spin_unlock(&wb->list_lock);
	inode_sync_complete(inode);
out:
	spin_unlock(&inode->i_lock);
	return ret;
}

void __mark_inode_dirty(struct inode *inode, int flags)
{
	int dirtytime = 0;

	if (flags & I_DIRTY_INODE) {
		/* the timestamp update rides on this dirtying */
		if (inode->i_state & I_DIRTY_TIME) {
			spin_lock(&inode->i_lock);
			if (inode->i_state & I_DIRTY_TIME) {
				inode->i_state &= ~I_DIRTY_TIME;
				flags |= I_DIRTY_TIME;
			}
			spin_unlock(&inode->i_lock);
		}
		/* (->dirty_inode: the modeled filesystem has none) */
		/* I_DIRTY_INODE supersedes I_DIRTY_TIME. */
		flags &= ~I_DIRTY_TIME;
	} else {
		/* I_DIRTY_PAGES, I_DIRTY_TIME, or nothing */
		dirtytime = flags & I_DIRTY_TIME;
	}

	/*
	 * Paired with smp_mb() in __writeback_single_inode() for the
	 * following lockless i_state test.
	 */
	smp_mb();

	if ((inode->i_state & flags) == flags)
		return;

	spin_lock(&inode->i_lock);
	if ((inode->i_state & flags) != flags) {
		const int was_dirty = inode->i_state & I_DIRTY;

		inode->i_state |= flags;

		/*
		 * If the inode is queued for writeback by flush worker, just
		 * update its dirty state. Once the flush worker is done with
		 * the inode it will place it on the appropriate superblock
		 * list, based upon its state.
		 */
		if (inode->i_state & I_SYNC_QUEUED)
			goto out_unlock_inode;

		/*
		 * If the inode was already on b_dirty/b_io/b_more_io, don't
		 * reposition it (that would break b_dirty time-ordering).
		 */
		if (!was_dirty) {
			struct bdi_writeback *wb;
			struct list_head *dirty_list;

			wb = locked_inode_to_wb_and_lock_list(inode);
			spin_lock(&inode->i_lock);

			if (inode->i_state & I_DIRTY)
				dirty_list = &wb->b_dirty;
			else
				dirty_list = &wb->b_dirty_time;

			inode_io_list_move_locked(inode, wb, dirty_list);

			spin_unlock(&wb->list_lock);
			spin_unlock(&inode->i_lock);
			return;
		}
	}
out_unlock_inode:
	spin_unlock(&inode->i_lock);
}
