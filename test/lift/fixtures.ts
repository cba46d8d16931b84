/**
 * C snippets for the lifter tests, written here in the shapes of kernel code of
 * several eras (they are not copies of kernel source).
 */

/** 2.6.20-era clear_page_dirty_for_io: mapping comes from page_mapping(). */
export const CLEAR_PAGE_DIRTY_2620 = `
int clear_page_dirty_for_io(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (mapping && mapping_cap_account_dirty(mapping)) {
		if (page_mkclean(page))
			set_page_dirty(page);
		if (TestClearPageDirty(page)) {
			dec_zone_page_state(page, NR_FILE_DIRTY);
			return 1;
		}
		return 0;
	}
	return TestClearPageDirty(page);
}
`;

export const WAIT_ON_WRITEBACK = `
static inline void wait_on_page_writeback(struct page *page)
{
	while (PageWriteback(page))
		wait_on_page_bit(page, PG_writeback);
}
`;

/** Dirtying through the mapping's a_ops, directly and through a local pointer. */
export const SET_PAGE_DIRTY = `
int set_page_dirty(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (likely(mapping))
		return mapping->a_ops->set_page_dirty(page);
	return !TestSetPageDirty(page);
}

int set_page_dirty_fp(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	int (*spd)(struct page *) = mapping->a_ops->set_page_dirty;

	if (!spd)
		spd = __set_page_dirty_buffers;
	return (*spd)(page);
}
`;

/** Buffer walk under the private lock: address-of an embedded lock, do/while. */
export const SET_DIRTY_BUFFERS = `
int __set_page_dirty_buffers(struct page *page)
{
	struct address_space * const mapping = page_mapping(page);

	spin_lock(&mapping->private_lock);
	if (page_has_buffers(page)) {
		struct buffer_head *head = page_buffers(page);
		struct buffer_head *bh = head;

		do {
			set_buffer_dirty(bh);
			bh = bh->b_this_page;
		} while (bh != head);
	}
	spin_unlock(&mapping->private_lock);
	return !TestSetPageDirty(page);
}
`;

/** Truncate-style recheck of page->mapping after taking the lock, with gotos. */
export const INVALIDATE_ONE = `
static int invalidate_one_page(struct address_space *mapping, struct page *page)
{
	int ret = 0;
	int tries = 0;

retry:
	lock_page(page);
	if (page->mapping != mapping)
		goto unlock;
	if (PageWriteback(page)) {
		unlock_page(page);
		if (++tries < 3)
			goto retry;
		return -EBUSY;
	}
	ret = remove_mapping(mapping, page);
unlock:
	unlock_page(page);
	return ret;
}
`;

export const SWITCH_FALLTHROUGH = `
static int sync_score(int mode)
{
	int score = 0;

	switch (mode) {
	case WB_SYNC_ALL:
		score += 4;
		/* fall through */
	case WB_SYNC_NONE:
		score += 2;
		break;
	case 7:
	case 8:
		score = note_mode(mode);
		break;
	case 10 ... 12:
		score = 50;
		break;
	default:
		score = -1;
	}
	return score;
}
`;

export const LOOPS = `
static int scan_pages(struct address_space *mapping)
{
	int done = 0, i;

	for (;;) {
		struct page *page = find_get_page(mapping, done);

		if (!page)
			break;
		done++;
		put_page(page);
	}
	for (i = 0; i < 3; i++) {
		if (i == 1)
			continue;
		touch_index(i);
	}
	do {
		done += 10;
	} while (done < 25);
	return done;
}
`;

/** The second call of each pair must not run when the first decides. */
export const SHORT_CIRCUIT = `
static int page_busy(struct page *page)
{
	if (PageDirty(page) || PageWriteback(page))
		return 1;
	return 0;
}

static int try_busy(struct page *page)
{
	int got = trylock_page(page) && !PageWriteback(page);

	return got;
}

static int pick(struct page *page)
{
	return page_mapped(page) ? zap_page(page) : drop_page(page);
}
`;

export const INCREMENTS = `
static int counters(struct page *page)
{
	int a = 5, b, c;
	int old;

	b = a++;
	c = ++a;
	old = page->_refcount++;
	--page->_refcount;
	a += 10;
	a -= 3;
	return b * 100 + c * 10 + a + old * 1000;
}
`;

export const CHECKS = `
void end_page_writeback(struct page *page)
{
	VM_BUG_ON_PAGE(!PageLocked(page), page);
	if (WARN_ON(!test_clear_page_writeback(page)))
		return;
	BUG_ON(PageWriteback(page));
	if (WARN_ONCE(page_count(page) == 0, "page %p\\n", page))
		BUG();
	wake_up_page(page, PG_writeback);
}
`;

export const AOPS_TABLES = `
static int ext3_ordered_writepage(struct page *page, struct writeback_control *wbc)
{
	return block_write_full_page(page, ext3_get_block, wbc);
}

static const struct address_space_operations ext3_ordered_aops = {
	.readpage	= ext3_readpage,
	.writepage	= ext3_ordered_writepage,
	.set_page_dirty	= ext3_ordered_set_page_dirty,
	.bmap		= NULL,
};

const struct address_space_operations ext4_da_aops = {
	.dirty_folio	= block_dirty_folio,
	.writepages	= &ext4_writepages,
};

struct vm_operations_struct generic_file_vm_ops = { .fault = filemap_fault };

struct vm_area_struct not_a_table = { .vm_start = 0 };

static struct file_operations old_style_fops = {
	read: generic_file_read,
	write: generic_file_write,
};
`;

/** Macro soup around a function the parser still understands. */
export const ERRORS_OUTSIDE = `
DEFINE_PER_CPU(int, dirty_leaks) = 0 @@ ;
static int ratelimit __read_mostly = = 32;
#define DIRTY_LIMIT(x) ((x) * 2 +

int account_page_dirtied(struct page *page, struct address_space *mapping)
{
	if (mapping_cap_account_dirty(mapping)) {
		inc_zone_page_state(page, NR_FILE_DIRTY);
		return 1;
	}
	return 0;
}

} } ))) int int ;
`;

export const EXPRESSIONS = `
static unsigned long exprs(struct page *page, struct writeback_control *wbc)
{
	unsigned long flags = 0x10UL | 0x1;
	char c = '\\n';
	int x = (int)READ_ONCE(wbc->nr_to_write);
	void *p = NULL;
	int t = true, f = false;

	WRITE_ONCE(wbc->nr_to_write, x - 1);
	x = (flags & 1) ? 3 : 4;
	x = page_count(page) ?: 9;
	x = (touch_index(1), touch_index(2));
	if (unlikely(x > 4) && data_race(t))
		x = x << 2;
	return x + c + f + (p == NULL);
}
`;

export const UNSUPPORTED = `
static int odd(struct page *page, int n)
{
	int arr[4];
	int v = ({ int y = 1; y; });
	struct wbc w = { .sync_mode = WB_SYNC_ALL };

	asm volatile("nop");
	v = global_counts[n];	/* a global array: not modeled */
	*page = 0;
	v = __builtin_popcount(n);
	v = sizeof(struct page);
	v = (struct pair){ 1, 2 }.a;
	return v;
}
`;

export const BROKEN = `
int bad_goto(int x)
{
	if (x)
		goto nowhere;
	return 0;
}

int bad_break(int x)
{
	break;
	return x;
}

int error_in_flow(int x)
{
	if (x) { foo(); } else else { bar(); }
	return x;
}

int error_noise(int x)
{
	if (x) { foo(); @@ } else { bar(); }
	return x;
}

int error_in_expr(int x)
{
	x = 1 + @ ;
	return x;
}
`;
