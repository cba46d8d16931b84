/* fs/fs-writeback.c, 6.1: what runs in place of the tree's own body (functions.ts, BUILTIN_OVER_SOURCE) */

/*
 * Put a still-dirty inode back on b_dirty. The kernel first compares its dirtied_when
 * with the newest inode on b_dirty (wb_inode(wb->b_dirty.next)) to keep the list in
 * time order; the model keeps membership, not order (sim/ops/io-lists.ts), and no
 * clock, so that step is left out.
 */
static void redirty_tail_locked(struct inode *inode, struct bdi_writeback *wb)
{
	assert_spin_locked(&inode->i_lock);

	inode_io_list_move_locked(inode, wb, &wb->b_dirty);
	inode->i_state &= ~I_SYNC_QUEUED;
}
