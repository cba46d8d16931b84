/**
 * Catalog entries of O_DIRECT through iomap (issue 16, item 5): the stated boundaries
 * below and beside ext4's ->write_iter → __iomap_dio_rw(), which run from the tree
 * (builtin/models/6.1/iomap-dio.c, ext4-dio.c). ext4 moved its O_DIRECT write to iomap
 * in 5.5 (378f32bab371); 6.1 and 6.12 both take this path. The functions that run from
 * the tree have no entries: every catalog name is a root of a run over a tree, and
 * ext4_dio_write_iter()'s error paths (ext4_truncate_failed_write()) would pull ext4's
 * block allocator into runs that never write O_DIRECT; the harness's ->write_iter call
 * reaches them when a race does.
 */
import type { CatalogEntry } from './catalog-entry.js';

const EXT4_IOMAP = { commit: '378f32bab371', version: '5.5', what: 'Matthew Bobrowski, "ext4: introduce direct I/O write using iomap infrastructure": every O_DIRECT write goes from ->write_iter() to ext4_dio_write_iter() and iomap_dio_rw(); a short write is completed by buffered I/O (ext4_buffered_write_iter()).' };

const BELOW = 'the model stops here (builtin/models/6.1/ext4-dio.c): ';

export const DIO_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'iomap_iter', names: ['iomap_iter'], file: 'fs/iomap/iter.c', kind: 'model',
    lift: { use: 'builtin', why: 'it asks the filesystem for each extent (ext4_iomap_begin()/ext4_iomap_overwrite_begin() → ext4_map_blocks() over the extent tree under i_data_sem, with a journal handle when it allocates), which the model does not keep: the scenario\'s blocks are allocated and written, so the range is one IOMAP_MAPPED extent, mapped by the first call and passed by the next, which advances by what the caller processed (builtin/models/6.1/iomap-dio.c)' },
    description: 'The extent walk of iomap: ->iomap_end() on the extent just processed, advance, ->iomap_begin() on the next; 0 at the end.',
    reads: [], writes: ['iomap_iter'], history: [],
  },
  {
    id: 'iomap_dio_bio_iter', names: ['iomap_dio_bio_iter'], file: 'fs/iomap/direct-io.c', kind: 'model',
    lift: { use: 'builtin', why: 'it builds bios over the user buffer\'s pages, pinned by bio_iov_iter_get_pages(), and submits them to the block layer, whose completion (iomap_dio_bio_end_io() → iomap_dio_done()) wakes the waiting submitter: the block layer is below the model, so the extent\'s block is written to the disk in one step that also completes it; a synchronous kiocb waits for that completion before it does anything else (builtin/models/6.1/iomap-dio.c)' },
    description: 'Submits the bios of one mapped extent of a direct I/O and accounts their bytes in dio->size.',
    reads: ['iov_iter'], writes: ['disk', 'iomap_dio'], history: [],
  },
  {
    id: 'ext4_forced_shutdown', names: ['ext4_forced_shutdown'], file: 'fs/ext4/ext4.h', kind: 'model',
    lift: { use: 'builtin', why: `${BELOW}it tests EXT4_FLAGS_SHUTDOWN in the ext4_sb_info (EXT4_SB(sb)->s_ext4_flags), which the model does not keep: the filesystem is never shut down` },
    description: 'Whether the filesystem was shut down (ioctl EXT4_IOC_SHUTDOWN, a fatal error): every operation then fails with -EIO.',
    reads: [], writes: [], history: [],
  },
  {
    id: 'ext4_should_use_dio', names: ['ext4_should_use_dio'], file: 'fs/ext4/file.c', kind: 'model',
    lift: { use: 'builtin', why: `${BELOW}ext4_dio_alignment() reads the inode's fs-verity, data=journal, inline-data and encryption state, which the model does not keep: the scenario's file has none, and the harness's O_DIRECT write is one aligned block, so direct I/O is used` },
    description: 'Whether a direct I/O on this inode may go direct (else ext4 falls back to buffered I/O).',
    reads: [], writes: [], history: [],
  },
  {
    id: 'ext4_generic_write_checks', names: ['ext4_generic_write_checks'], file: 'fs/ext4/file.c', kind: 'model',
    lift: { use: 'builtin', why: `${BELOW}IS_IMMUTABLE, generic_write_checks() (O_APPEND, s_maxbytes, RLIMIT_FSIZE) and the block-mapped inode's size limit: the harness's write lies inside the file, so all of it is allowed (the iov_iter's count)` },
    description: 'The write checks of ext4\'s write paths: how many bytes of the write may proceed.',
    reads: ['iov_iter'], writes: [], history: [],
  },
  {
    id: 'ext4_unaligned_io', names: ['ext4_unaligned_io'], file: 'fs/ext4/file.c', kind: 'model',
    lift: { use: 'builtin', why: `${BELOW}it compares the offset and the buffer's alignment with the superblock's block size, which the model does not keep: the harness's O_DIRECT write is one whole aligned block` },
    description: 'Whether a direct write is not aligned to the filesystem block (it then takes the inode lock exclusively and waits for other direct I/O).',
    reads: [], writes: [], history: [],
  },
  {
    id: 'ext4_overwrite_io', names: ['ext4_overwrite_io'], file: 'fs/ext4/file.c', kind: 'model',
    lift: { use: 'builtin', why: `${BELOW}it maps the range with ext4_map_blocks() over the extent tree, which the model does not keep: the scenario's blocks are allocated and written, so a write inside i_size is a pure overwrite of written extents` },
    description: 'Whether a direct write only overwrites allocated blocks (the shared inode lock suffices), and (6.12) whether any of them is unwritten.',
    reads: ['i_size'], writes: [], history: [],
  },
  {
    id: 'file_modified', names: ['file_modified'], file: 'fs/inode.c', kind: 'model',
    lift: { use: 'builtin', why: 'file_remove_privs() drops suid bits and security capabilities, and file_update_time() moves mtime and ctime and dirties the inode (__mark_inode_dirty(I_DIRTY_SYNC)): the model\'s file has no suid bit or capability, and keeps no timestamps; no race here reads the inode\'s dirty list (builtin/models/6.1/ext4-dio.c)' },
    description: 'What a write does to the file before its data: removes privileges, updates the timestamps.',
    reads: [], writes: [], history: [],
  },
  {
    id: 'ext4_buffered_write_iter', names: ['ext4_buffered_write_iter'], file: 'fs/ext4/file.c', kind: 'model',
    lift: { use: 'builtin', why: `${BELOW}generic_perform_write() under the inode lock goes through ext4_write_begin() (a journal handle, block_write_begin() and its block mapping) and ext4_write_end() (the journal, i_disksize), below the model: the model finds or adds the page, copies the user's block in under the page lock, marks it uptodate and dirty through its filesystem and unlocks it, as the harness's write() does` },
    description: 'ext4\'s buffered write(2), and the fallback of an O_DIRECT write that could not invalidate the page cache.',
    reads: ['page cache'], writes: ['page memory', 'PG_dirty', 'PG_uptodate'], history: [EXT4_IOMAP],
  },
  {
    id: 'ext4_clear_inode_state', names: ['ext4_clear_inode_state'], file: 'fs/ext4/ext4.h', kind: 'model',
    lift: { use: 'builtin', why: `${BELOW}a bit of the ext4_inode_info's i_state_flags (EXT4_INODE_BIT_FNS, a macro the lifter does not expand); the one the O_DIRECT write clears, EXT4_STATE_MAY_INLINE_DATA, is read only by the inline-data paths, which the scenario's file never takes` },
    description: 'Clears one of ext4\'s dynamic inode state bits (EXT4_STATE_*).',
    reads: [], writes: [], history: [],
  },
];
