/*
 * fs/fs-writeback.c, 5.8: the inode writeback lists before 5afced3bf281.
 *
 * The layer as the simulator holds it: inode->i_state is plain memory (I_DIRTY_*,
 * I_SYNC), inode->i_io_list names the wb list the inode is linked on (b_dirty, b_io,
 * b_more_io, b_dirty_time, or none), list_move()/list_del_init() are one step each
 * (sim/ops/io-lists.ts), under wb->list_lock as here. Left out, each because no
 * modeled inode reaches it: the WB_has_dirty_io and bandwidth bookkeeping of
 * wb_io_lists_populated() (it only decides whether to wake the flusher), the
 * dirtied_when time stamps (nothing here compares times), cgroup writeback (one wb, the
 * bdi's root), ->dirty_inode and ->write_inode (the modeled filesystem, ext2, has no
 * ->dirty_inode, and no inode-only dirtying is raced here), unhashed, freeing and
 * block-device inodes.
 */

static bool inode_io_list_move_locked(struct inode *inode,
				      struct bdi_writeback *wb,
				      struct list_head *head)
{
	assert_spin_locked(&wb->list_lock);

	list_move(&inode->i_io_list, head);

	/* dirty_time doesn't count as dirty_io until expiration */
	return head != &wb->b_dirty_time;
}

static void inode_io_list_del_locked(struct inode *inode,
				     struct bdi_writeback *wb)
{
	assert_spin_locked(&wb->list_lock);

	list_del_init(&inode->i_io_list);
}

/* the inode's wb with its list_lock held; i_lock is held on entry and dropped */
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

static void inode_sync_complete(struct inode *inode)
{
	inode->i_state &= ~I_SYNC;
	/* Waiters must see I_SYNC cleared before being woken up */
	smp_mb();
	wake_up_bit(&inode->i_state, __I_SYNC);
}

/*
 * Write the inode's pages, then take its dirty bits: what is still tagged dirty
 * afterwards (a page dirtied meanwhile) sets I_DIRTY_PAGES again.
 */
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

	/* wait on the data before the metadata, except for sync(2) */
	if (wbc->sync_mode == WB_SYNC_ALL && !wbc->for_sync) {
		int err = filemap_fdatawait(mapping);
		if (ret == 0)
			ret = err;
	}

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

/*
 * Write an inode's data on demand, apart from the flusher's batches. Only a fully
 * clean inode is taken off its list: otherwise "the flusher threads are responsible
 * for the writeback lists", and __mark_inode_dirty() leaves an inode under I_SYNC
 * where it is, trusting this function to requeue it. It does not.
 */
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
	 * If inode is clean, remove it from writeback lists. Otherwise don't
	 * touch it. See comment above for explanation.
	 */
	if (!(inode->i_state & I_DIRTY_ALL))
		inode_io_list_del_locked(inode, wb);
	spin_unlock(&wb->list_lock);
	inode_sync_complete(inode);
out:
	spin_unlock(&inode->i_lock);
	return ret;
}

/*
 * Mark an inode dirty and put it on its wb's b_dirty list (b_dirty_time for a
 * timestamp-only dirtying), unless it is already dirty there or under I_SYNC: "the
 * unlocker will place the inode on the appropriate superblock list".
 */
void __mark_inode_dirty(struct inode *inode, int flags)
{
	int dirtytime;

	if (flags & I_DIRTY_INODE)
		flags &= ~I_DIRTY_TIME;
	dirtytime = flags & I_DIRTY_TIME;

	/*
	 * Paired with smp_mb() in __writeback_single_inode() for the
	 * following lockless i_state test.
	 */
	smp_mb();

	if (((inode->i_state & flags) == flags) ||
	    (dirtytime && (inode->i_state & I_DIRTY_INODE)))
		return;

	spin_lock(&inode->i_lock);
	if (dirtytime && (inode->i_state & I_DIRTY_INODE))
		goto out_unlock_inode;
	if ((inode->i_state & flags) != flags) {
		const int was_dirty = inode->i_state & I_DIRTY;

		if (flags & I_DIRTY_INODE)
			inode->i_state &= ~I_DIRTY_TIME;
		inode->i_state |= flags;

		/*
		 * If the inode is being synced, just update its dirty state.
		 * The unlocker will place the inode on the appropriate
		 * superblock list, based upon its state.
		 */
		if (inode->i_state & I_SYNC)
			goto out_unlock_inode;

		/*
		 * If the inode was already on b_dirty/b_io/b_more_io, don't
		 * reposition it (that would break b_dirty time-ordering).
		 */
		if (!was_dirty) {
			struct bdi_writeback *wb;
			struct list_head *dirty_list;

			wb = locked_inode_to_wb_and_lock_list(inode);

			if (inode->i_state & I_DIRTY)
				dirty_list = &wb->b_dirty;
			else
				dirty_list = &wb->b_dirty_time;

			inode_io_list_move_locked(inode, wb, dirty_list);
			spin_unlock(&wb->list_lock);
			return;
		}
	}
out_unlock_inode:
	spin_unlock(&inode->i_lock);
}
