/* fs/buffer.c and fs/mpage.c, 6.1 */

bool block_dirty_folio(struct address_space *mapping, struct folio *folio)
{
	struct buffer_head *head;
	bool newly_dirty;

	spin_lock(&mapping->private_lock);
	head = folio_buffers(folio);
	if (head) {
		struct buffer_head *bh = head;

		do {
			set_buffer_dirty(bh);
			bh = bh->b_this_page;
		} while (bh != head);
	}
	/*
	 * Lock out page's memcg migration to keep PageDirty
	 * synchronized with per-memcg dirty page counters.
	 */
	folio_memcg_lock(folio);
	newly_dirty = !folio_test_set_dirty(folio);
	spin_unlock(&mapping->private_lock);

	if (newly_dirty)
		__folio_mark_dirty(folio, mapping, 1);

	folio_memcg_unlock(folio);

	if (newly_dirty)
		__mark_inode_dirty(mapping->host, I_DIRTY_PAGES);

	return newly_dirty;
}

int mpage_writepage(struct page *page, void *get_block, struct writeback_control *wbc)
{
	BUG_ON(!PageUptodate(page));
	set_page_writeback(page);
	unlock_page(page);
	submit_page_write(page);
	return 0;
}

/*
 * fs/buffer.c and mm/filemap.c, 6.1: releasing a clean folio's buffers (reclaim,
 * invalidation). No ->release_folio in the model's tables: try_to_free_buffers().
 */
static inline int buffer_busy(struct buffer_head *bh)
{
	return atomic_read(&bh->b_count) |
		(bh->b_state & ((1 << BH_Dirty) | (1 << BH_Lock)));
}

static bool drop_buffers(struct folio *folio, struct buffer_head **buffers_to_free)
{
	struct buffer_head *head = folio_buffers(folio);
	struct buffer_head *bh;

	bh = head;
	do {
		if (buffer_busy(bh))
			goto failed;
		bh = bh->b_this_page;
	} while (bh != head);

	/* no buffer of a modeled file is on an inode's b_assoc_buffers list */
	*buffers_to_free = head;
	folio_detach_private(folio);
	return true;
failed:
	return false;
}

bool try_to_free_buffers(struct folio *folio)
{
	struct address_space * const mapping = folio->mapping;
	struct buffer_head *buffers_to_free = NULL;
	bool ret = 0;

	BUG_ON(!folio_test_locked(folio));
	if (folio_test_writeback(folio))
		return false;

	/* Misconfigured folio check */
	if (WARN_ON_ONCE(!folio_buffers(folio)))
		return true;

	if (mapping == NULL) {		/* can this still happen? */
		ret = drop_buffers(folio, &buffers_to_free);
		goto out;
	}

	spin_lock(&mapping->private_lock);
	ret = drop_buffers(folio, &buffers_to_free);

	/*
	 * Clean buffers against a dirty folio (written by the journal): the folio is
	 * cleaned too, under private_lock against block_dirty_folio().
	 */
	if (ret)
		folio_cancel_dirty(folio);
	spin_unlock(&mapping->private_lock);
out:
	/* free_buffer_head() of each: the model's buffer_heads are not allocated */
	return ret;
}

/* mm/internal.h: private data to release (no modeled mapping sets AS_RELEASE_ALWAYS) */
static inline bool folio_needs_release(struct folio *folio)
{
	return folio_test_private(folio);
}

bool filemap_release_folio(struct folio *folio, gfp_t gfp)
{
	struct address_space * const mapping = folio->mapping;

	BUG_ON(!folio_test_locked(folio));
	if (!folio_needs_release(folio))
		return true;
	if (folio_test_writeback(folio))
		return false;

	if (mapping && mapping->a_ops->release_folio)
		return mapping->a_ops->release_folio(folio, gfp);
	return try_to_free_buffers(folio);
}

/* include/linux/pagemap.h and mm/page-writeback.c: the dirty flag of a folio being released goes (the rest is accounting) */
void folio_cancel_dirty(struct folio *folio)
{
	if (folio_test_dirty(folio))
		folio_test_clear_dirty(folio);
}

/*
 * block_page_mkwrite(), 6.1: with the page locked and still in the file, attach and map
 * its buffers (__block_write_begin), mark them dirty (block_commit_write), dirty the
 * page, and return 0 with the page LOCKED (block_page_mkwrite_return() says
 * VM_FAULT_LOCKED): b827e496c893's convention.
 */
int block_page_mkwrite(struct vm_area_struct *vma, struct vm_fault *vmf, void *get_block)
{
	struct page *page = vmf->page;
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct inode *inode = mapping->host;
	struct buffer_head *bh, *head;
	int ret = 0;

	lock_page(page);
	if (page->mapping != mapping || page_offset(page) > i_size_read(inode)) {
		unlock_page(page);
		return -EFAULT;
	}
	if (!page_has_buffers(page))
		create_empty_buffers(page, PAGE_SIZE, 0);
	bh = head = page_buffers(page);
	do {
		if (!buffer_mapped(bh))
			ret = get_block(inode, page->index, bh, 1);
		set_buffer_uptodate(bh);
		bh = bh->b_this_page;
	} while (!ret && bh != head);
	if (ret) {
		unlock_page(page);
		return ret;
	}
	do {
		mark_buffer_dirty(bh);
		bh = bh->b_this_page;
	} while (bh != head);
	set_page_dirty(page);
	return 0;
}

/* The errno of block_page_mkwrite() as a fault code: 0 is the page returned locked. */
vm_fault_t block_page_mkwrite_return(int err)
{
	if (err == 0)
		return VM_FAULT_LOCKED;
	if (err == -EFAULT || err == -EAGAIN)
		return VM_FAULT_NOPAGE;
	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	return VM_FAULT_SIGBUS;
}

/*
 * create_empty_buffers(), 6.1: a ring of buffers, uptodate when the page is, attached
 * with PG_private. The model's buffer_heads are the page's own (alloc_page_buffers()
 * gives the setup's ring): attaching them again starts them clean and unmapped. 6.1's returns nothing; since
 * 6.8 it takes the folio and returns the head, which is returned here for both.
 */
struct buffer_head *create_empty_buffers(struct page *page, unsigned long blocksize, unsigned long b_state)
{
	struct buffer_head *bh, *head;

	head = alloc_page_buffers(page, blocksize, true);
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
	attach_page_private(page, head);
	spin_unlock(&page->mapping->private_lock);
	return head;
}

/* mark_buffer_dirty(), 6.1: the buffer, then (once) the folio and its dirty tag. */
void mark_buffer_dirty(struct buffer_head *bh)
{
	struct page *page;
	struct address_space *mapping;

	if (buffer_dirty(bh))
		return;
	if (test_set_buffer_dirty(bh))
		return;
	page = bh->b_page;
	if (TestSetPageDirty(page))
		return;
	mapping = page_mapping(page);
	if (mapping) {
		xa_lock_irq(&mapping->i_pages);
		if (page->mapping)
			__xa_set_mark(&mapping->i_pages, page_index(page), PAGECACHE_TAG_DIRTY);
		xa_unlock_irq(&mapping->i_pages);
	}
}

/* folio_create_empty_buffers() (6.8 and later): the same, returning the ring's head. */
struct buffer_head *folio_create_empty_buffers(struct folio *folio, unsigned long blocksize, unsigned long b_state)
{
	return create_empty_buffers(folio_page(folio, 0), blocksize, b_state);
}
