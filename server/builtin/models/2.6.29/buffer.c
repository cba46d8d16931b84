/*
 * fs/buffer.c, 2.6.29: block_page_mkwrite(), the ->page_mkwrite of block filesystems
 * (XFS's xfs_vm_page_mkwrite() is exactly this call with its get_block). It locks the
 * page, makes sure every buffer is attached and mapped (block_prepare_write) and dirty
 * (block_commit_write), and UNLOCKS the page before it returns: until the fault marks
 * the page dirty, writeback can clean it and ->releasepage strip the buffers.
 */

/*
 * create_empty_buffers(): a ring of new buffers, uptodate when the page is, attached
 * with PG_private. The model's buffer_heads are the page's own (alloc_page_buffers()
 * gives the setup's ring): attaching them again starts them clean and unmapped.
 */
void create_empty_buffers(struct page *page, unsigned long blocksize, unsigned long b_state)
{
	struct buffer_head *bh, *head;

	head = alloc_page_buffers(page, blocksize, 1);
	bh = head;
	do {
		clear_buffer_dirty(bh);
		clear_buffer_mapped(bh);
		bh = bh->b_this_page;
	} while (bh != head);

	spin_lock(&page->mapping->private_lock);
	if (PageUptodate(page)) {
		bh = head;
		do {
			set_buffer_uptodate(bh);
			bh = bh->b_this_page;
		} while (bh != head);
	}
	attach_page_private(page, head);	/* attach_page_buffers() */
	spin_unlock(&page->mapping->private_lock);
}

static inline int buffer_busy(struct buffer_head *bh)
{
	return atomic_read(&bh->b_count) |
		(bh->b_state & ((1 << BH_Dirty) | (1 << BH_Lock)));
}

static int drop_buffers(struct page *page, struct buffer_head **buffers_to_free)
{
	struct buffer_head *head = page_buffers(page);
	struct buffer_head *bh;

	bh = head;
	do {
		if (buffer_busy(bh))
			goto failed;
		bh = bh->b_this_page;
	} while (bh != head);

	/* no buffer of a modeled file is on an inode's b_assoc_buffers list */
	*buffers_to_free = head;
	detach_page_private(page);	/* __clear_page_buffers() */
	return 1;
failed:
	return 0;
}

/*
 * try_to_free_buffers(), 2.6.29: drop the page's buffers when none is busy (referenced,
 * dirty or locked); clean buffers against a dirty page (written by the journal by
 * hand) clean the page too, under private_lock against __set_page_dirty_buffers().
 */
int try_to_free_buffers(struct page *page)
{
	struct address_space * const mapping = page->mapping;
	struct buffer_head *buffers_to_free = NULL;
	int ret = 0;

	BUG_ON(!PageLocked(page));
	if (PageWriteback(page))
		return 0;

	if (mapping == NULL) {		/* can this still happen? */
		ret = drop_buffers(page, &buffers_to_free);
		goto out;
	}

	spin_lock(&mapping->private_lock);
	ret = drop_buffers(page, &buffers_to_free);
	if (ret)
		cancel_dirty_page(page, PAGE_CACHE_SIZE);
	spin_unlock(&mapping->private_lock);
out:
	/* free_buffer_head() of each: the model's buffer_heads are not allocated */
	return ret;
}

/* __block_prepare_write() for a whole, uptodate page: attach buffers, map each one. */
static int __block_prepare_write(struct inode *inode, struct page *page, unsigned from, unsigned to,
				 void *get_block)
{
	struct buffer_head *bh, *head;
	int err = 0;

	BUG_ON(!PageLocked(page));
	if (!page_has_buffers(page))
		create_empty_buffers(page, PAGE_CACHE_SIZE, 0);	/* the size is the layout's */
	head = page_buffers(page);
	bh = head;
	do {
		if (!buffer_mapped(bh))
			err = get_block(inode, page->index, bh, 1);
		if (PageUptodate(page))
			set_buffer_uptodate(bh);
		bh = bh->b_this_page;
	} while (!err && bh != head);
	return err;
}

/* mark_buffer_dirty(): the buffer, then (once) the page and its dirty tag. */
void mark_buffer_dirty(struct buffer_head *bh)
{
	struct page *page;
	struct address_space *mapping;

	if (buffer_dirty(bh))
		return;
	if (test_set_buffer_dirty(bh))
		return;
	page = bh->b_page;
	mapping = page_mapping(page);
	if (!TestSetPageDirty(page) && mapping) {
		spin_lock_irq(&mapping->tree_lock);
		if (page->mapping)
			radix_tree_tag_set(&mapping->page_tree, page_index(page), PAGECACHE_TAG_DIRTY);
		spin_unlock_irq(&mapping->tree_lock);
	}
}

static int __block_commit_write(struct inode *inode, struct page *page, unsigned from, unsigned to)
{
	struct buffer_head *bh, *head;

	bh = head = page_buffers(page);
	do {
		set_buffer_uptodate(bh);
		mark_buffer_dirty(bh);
		bh = bh->b_this_page;
	} while (bh != head);
	return 0;
}

int block_page_mkwrite(struct vm_area_struct *vma, struct page *page, void *get_block)
{
	struct inode *inode = vma->vm_file->f_mapping->host;
	unsigned long end;
	loff_t size;
	int ret = -EINVAL;

	lock_page(page);
	size = i_size_read(inode);
	if ((page->mapping != inode->i_mapping) || (page_offset(page) > size)) {
		/* page got truncated out from underneath us */
		goto out_unlock;
	}
	/* page is wholly or partially inside EOF */
	if (((page->index + 1) << PAGE_CACHE_SHIFT) > size)
		end = size & (PAGE_CACHE_SIZE - 1);
	else
		end = PAGE_CACHE_SIZE;

	ret = __block_prepare_write(inode, page, 0, end, get_block);	/* block_prepare_write() */
	if (!ret)
		ret = __block_commit_write(inode, page, 0, end);	/* block_commit_write() */
out_unlock:
	unlock_page(page);
	return ret;
}
