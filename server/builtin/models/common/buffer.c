/* fs/buffer.c: the buffer-head write path, in the shape it kept from 2.6 to 6.1. */

void mark_buffer_async_write(struct buffer_head *bh)
{
	bh->b_end_io = end_buffer_async_write;
	set_buffer_async_write(bh);
}

/* I/O completion of one buffer of a page under writeback; the last one ends page writeback. */
void end_buffer_async_write(struct buffer_head *bh, int uptodate)
{
	struct buffer_head *first;
	struct buffer_head *tmp;
	struct page *page;

	BUG_ON(!buffer_async_write(bh));

	page = bh->b_page;
	if (uptodate)
		set_buffer_uptodate(bh);

	first = page_buffers(page);
	bit_spin_lock(BH_Uptodate_Lock, &first->b_state);
	clear_buffer_async_write(bh);
	unlock_buffer(bh);
	tmp = bh->b_this_page;
	while (tmp != bh) {
		if (buffer_async_write(tmp)) {
			BUG_ON(!buffer_locked(tmp));
			goto still_busy;
		}
		tmp = tmp->b_this_page;
	}
	bit_spin_unlock(BH_Uptodate_Lock, &first->b_state);
	end_page_writeback(page);
	return;

still_busy:
	bit_spin_unlock(BH_Uptodate_Lock, &first->b_state);
}

/*
 * Writes the buffers of a locked page that are dirty *now*: ->writepage writes what
 * the buffers say, not what the page flag said (seed 000).
 */
int __block_write_full_page(struct inode *inode, struct page *page, void *get_block,
			    struct writeback_control *wbc)
{
	struct buffer_head *bh, *head;
	int nr_underway = 0;

	BUG_ON(!PageLocked(page));

	head = page_buffers(page);
	bh = head;
	do {
		/* a dirty buffer with no block yet (or a delayed one) gets it now */
		if ((!buffer_mapped(bh) || buffer_delay(bh)) && buffer_dirty(bh)) {
			get_block(inode, page->index, bh, 1);
			clear_buffer_delay(bh);
		}
	} while ((bh = bh->b_this_page) != head);

	do {
		if (!buffer_mapped(bh))
			continue;
		lock_buffer(bh);
		if (test_clear_buffer_dirty(bh)) {
			mark_buffer_async_write(bh);
		} else {
			unlock_buffer(bh);
		}
	} while ((bh = bh->b_this_page) != head);

	BUG_ON(PageWriteback(page));
	set_page_writeback(page);
	unlock_page(page);

	do {
		struct buffer_head *next = bh->b_this_page;
		if (buffer_async_write(bh)) {
			submit_bh(WRITE, bh);
			nr_underway++;
		}
		bh = next;
	} while (bh != head);

	if (nr_underway == 0) {
		/* "no IO underway": the page was clean by the buffers' account */
		end_page_writeback(page);
	}
	return 0;
}

int block_write_full_page(struct page *page, void *get_block, struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;

	return __block_write_full_page(inode, page, get_block, wbc);
}
