/**
 * The filesystems a scenario's `setup { fs ... }` can name: which address_space
 * operations table their files get (the first of `aops` that the era's models
 * define), and how their buffers start out.
 */
export interface FilesystemInfo {
  name: string;
  description: string;
  /** candidate a_ops table names, oldest era first */
  aops: readonly string[];
  /**
   * candidate vm_operations_struct names of its mappings (vma->vm_ops: ->page_mkwrite,
   * ->fault), oldest first; the first the model set defines is used
   */
  vmops?: readonly string[];
  /**
   * candidate file_operations names of its files (file->f_op: ->write_iter), oldest first;
   * a model set that defines none (the built-in eras) writes O_DIRECT through ->direct_IO
   */
  fops?: readonly string[];
  /**
   * Other ops tables its code passes by name (`&ext4_iomap_ops` to iomap_dio_rw()): each
   * a list of candidates, the first the model set defines is read like a_ops
   */
  namedTables?: readonly (readonly string[])[];
  /** the filesystem allocates blocks at writeback time (delayed allocation) */
  delalloc: boolean;
  /**
   * Where its code lies in a kernel tree (with the journal it calls), for trees whose
   * configuration builds it as a module: those folders are listed for runs that use it.
   */
  sourceDirs: readonly string[];
  /**
   * Entries the model supplies where the filesystem's table has none, with the reason:
   * a later release dropped ->writepage for ->writepages alone (ext4 in 6.x), whose
   * ->writepages the model does not follow (OPS_ENTRIES_NOT_FOLLOWED in functions.ts),
   * so the per-folio write it does is modeled by the function named here. Each use is
   * said in the run's assumptions (with `saidWhenReached`, only by a run that reaches
   * it), and only for releases at or after `since`, where the kernel's own table has no
   * such entry.
   */
  standIns?: Readonly<Record<string, StandIn>>;
}

export interface StandIn {
  fn: string;
  why: string;
  /** the first release whose table lacks the entry; older tables (the built-in eras) never get the stand-in */
  since?: string;
  /**
   * Said only by runs whose steps reach `fn`: true where `fn` takes a step of its own
   * (a run sees it in its steps' functions), not for one that only calls on.
   */
  saidWhenReached?: boolean;
}

/** ext4's O_DIRECT write, which no a_ops entry performs since ext4 moved it to iomap in 5.5 */
const EXT4_DIO: StandIn = {
  fn: 'blockdev_direct_write',
  since: '5.5',
  // its own step: the direct_io_write_block() of builtin/models/common/get-block.c
  saidWhenReached: true,
  why: 'ext4 does O_DIRECT through iomap (fs/ext4/file.c: ext4_dio_write_iter() → iomap_dio_rw()), which the model does not follow: '
    + 'the direct write of the range is modeled as blockdev_direct_write, the blocks going straight to the disk as the block filesystems\' ->direct_IO did',
};

/**
 * The file operations a run follows from a filesystem's file_operations table: the
 * harness's O_DIRECT write(2) calls ->write_iter. The others are not roots: the harness
 * maps, syncs and never closes the scenario's file itself, so ->mmap, ->fsync and the
 * last fput()'s ->release are never called (their code, ext4_release_file() with its
 * delayed-allocation flush, would pull in ext4's block allocator); a call to one that
 * has no model is an unknown call, said.
 */
export const FILE_OPS_FOLLOWED: ReadonlySet<string> = new Set(['write_iter']);

/** ext4's iomap tables (fs/ext4/inode.c, fs/ext4/file.c; 5.5 on): its O_DIRECT write passes them to iomap_dio_rw() */
const EXT4_IOMAP_TABLES: readonly (readonly string[])[] = [['ext4_iomap_ops'], ['ext4_iomap_overwrite_ops'], ['ext4_dio_write_ops']];

export const FILESYSTEMS: readonly FilesystemInfo[] = [
  {
    name: 'ext3',
    description: 'ext3 with data=ordered: the journal writes data buffers on its own (in 5.x and 6.1, the ext4 driver in the same mode)',
    aops: ['ext3_ordered_aops', 'ext4_aops'],
    vmops: ['ext4_file_vm_ops'],
    fops: ['ext4_file_operations'],
    namedTables: EXT4_IOMAP_TABLES,
    delalloc: false,
    sourceDirs: ['fs/ext3', 'fs/ext4', 'fs/jbd', 'fs/jbd2'],
    standIns: {
      direct_IO: EXT4_DIO,
      writepage: {
        fn: 'ext4_writepage',
        why: 'the table has no ->writepage (ext4 writes back through ->writepages alone, which the model does not follow): '
          + 'the per-folio write of ext4_writepages() (folio_clear_dirty_for_io, then ext4_bio_write_folio() submitting the dirty mapped buffers) '
          + 'is modeled as ext4_writepage, which writes the page\'s dirty buffers as block_write_full_page() does',
      },
    },
  },
  {
    name: 'ext4',
    description: 'ext4 with delayed allocation: ->writepage refuses pages whose blocks are not allocated yet',
    aops: ['ext4_da_aops', 'ext4_aops'],
    vmops: ['ext4_file_vm_ops'],
    fops: ['ext4_file_operations'],
    namedTables: EXT4_IOMAP_TABLES,
    delalloc: true,
    standIns: {
      direct_IO: EXT4_DIO,
      writepage: {
        fn: 'ext4_writepage',
        why: 'the table has no ->writepage (ext4 writes back through ->writepages alone, which the model does not follow): '
          + 'the per-folio work of ext4_writepages() (allocating the delayed blocks, folio_clear_dirty_for_io, ext4_bio_write_folio()) '
          + 'is modeled as ext4_writepage, which writes the page\'s dirty buffers as block_write_full_page() does, getting each unmapped block from ext4_get_block',
      },
    },
    sourceDirs: ['fs/ext4', 'fs/jbd2'],
  },
  {
    name: 'bdev',
    description: 'a block device\'s own page cache (the buffer cache of __find_get_block/__getblk: filesystem metadata), written through buffer_heads',
    aops: ['def_blk_aops'],
    delalloc: false,
    sourceDirs: ['block'],
  },
  {
    name: 'nobh',
    description: 'a filesystem writing whole pages with bios and no buffer_heads (ext2 nobh, the mpage path)',
    aops: ['ext2_nobh_aops', 'nobh_aops'],
    vmops: ['generic_file_vm_ops'],
    delalloc: false,
    sourceDirs: ['fs/ext2'],
  },
];

/** The ops tables a filesystem's files use: a_ops candidates, then vm_ops, file_operations and the tables its code names. */
export function tableCandidates(info: FilesystemInfo): (readonly string[])[] {
  return [info.aops, ...(info.vmops ? [info.vmops] : []), ...(info.fops ? [info.fops] : []), ...(info.namedTables ?? [])];
}

export function filesystem(name: string): FilesystemInfo | undefined {
  return FILESYSTEMS.find((f) => f.name === name);
}
