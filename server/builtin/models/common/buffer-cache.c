/*
 * fs/buffer.c: the buffer cache's lookup of a block device block (the same shape from
 * 2.6 to 6.1: find the page, take mapping->private_lock, find the buffer by block
 * number, get_bh), and the buffer_head reference helpers of include/linux/buffer_head.h. The block device is
 * named by its page cache (bdev->bd_inode->i_mapping); the per-CPU bh LRU is not
 * modeled (lookup_bh_lru() finds nothing), so every lookup goes to the page cache.
 */
static struct buffer_head *
__find_get_block_slow(struct address_space *bd_mapping, sector_t block)
{
	struct buffer_head *ret = NULL;
	pgoff_t index;
	struct buffer_head *bh;
	struct buffer_head *head;
	struct page *page;
	int all_mapped = 1;

	index = block_page_index(bd_mapping, block);	/* block >> (PAGE_SHIFT - bd_inode->i_blkbits) */
	page = find_get_page_flags(bd_mapping, index, FGP_ACCESSED);
	if (!page)
		goto out;

	spin_lock(&bd_mapping->private_lock);
	if (!page_has_buffers(page))
		goto out_unlock;
	head = page_buffers(page);
	bh = head;
	do {
		if (!buffer_mapped(bh))
			all_mapped = 0;
		else if (bh->b_blocknr == block) {
			ret = bh;
			get_bh(bh);
			goto out_unlock;
		}
		bh = bh->b_this_page;
	} while (bh != head);
out_unlock:
	spin_unlock(&bd_mapping->private_lock);
	put_page(page);
out:
	return ret;
}

struct buffer_head *
__find_get_block(struct address_space *bd_mapping, sector_t block, unsigned size)
{
	struct buffer_head *bh = lookup_bh_lru(bd_mapping, block, size);

	if (bh == NULL) {
		/* __find_get_block_slow will mark the page accessed */
		bh = __find_get_block_slow(bd_mapping, block);
		if (bh)
			bh_lru_install(bh);
	} else
		touch_buffer(bh);

	return bh;
}

void set_bh_page(struct buffer_head *bh, struct page *page, unsigned long offset)
{
	bh->b_page = page;
	BUG_ON(offset >= PAGE_SIZE);
	/* bh->b_data = page_address(page) + offset: the model's data is b_page's memory */
}

void get_bh(struct buffer_head *bh)
{
	atomic_inc(&bh->b_count);
}

void put_bh(struct buffer_head *bh)
{
	smp_mb__before_atomic();
	atomic_dec(&bh->b_count);
}

void __brelse(struct buffer_head *buf)
{
	if (atomic_read(&buf->b_count)) {
		put_bh(buf);
		return;
	}
	WARN(1, "VFS: brelse: Trying to free free buffer\n");
}

void brelse(struct buffer_head *bh)
{
	if (bh)
		__brelse(bh);
}
