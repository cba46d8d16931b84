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
  /** the filesystem allocates blocks at writeback time (delayed allocation) */
  delalloc: boolean;
  /**
   * Where its code lies in a kernel tree (with the journal it calls), for trees whose
   * configuration builds it as a module: those folders are listed for runs that use it.
   */
  sourceDirs: readonly string[];
}

export const FILESYSTEMS: readonly FilesystemInfo[] = [
  {
    name: 'ext3',
    description: 'ext3 with data=ordered: the journal writes data buffers on its own (in 5.x and 6.1, the ext4 driver in the same mode)',
    aops: ['ext3_ordered_aops', 'ext4_aops'],
    delalloc: false,
    sourceDirs: ['fs/ext3', 'fs/ext4', 'fs/jbd', 'fs/jbd2'],
  },
  {
    name: 'ext4',
    description: 'ext4 with delayed allocation: ->writepage refuses pages whose blocks are not allocated yet',
    aops: ['ext4_da_aops', 'ext4_aops'],
    delalloc: true,
    sourceDirs: ['fs/ext4', 'fs/jbd2'],
  },
  {
    name: 'nobh',
    description: 'a filesystem writing whole pages with bios and no buffer_heads (ext2 nobh, the mpage path)',
    aops: ['ext2_nobh_aops', 'nobh_aops'],
    delalloc: false,
    sourceDirs: ['fs/ext2'],
  },
];

export function filesystem(name: string): FilesystemInfo | undefined {
  return FILESYSTEMS.find((f) => f.name === name);
}
