/**
 * The constants of the O_DIRECT path through iomap (fs/ext4/file.c → fs/iomap/direct-io.c,
 * 6.1 and 6.12): header #defines and direct-io.c's own, which the lifter does not read.
 * The IOCB_* and IOMAP_* values are the same in both releases; direct-io.c's private
 * IOMAP_DIO_* bits are 6.12's (6.1 has IOMAP_DIO_WRITE_FUA where 6.12 has
 * IOMAP_DIO_WRITE_THROUGH, at the same bit), and a run only compares a name with itself.
 */
import type { Value } from './program.js';

export const DIO_CONSTANTS: ReadonlyMap<string, Value> = new Map<string, Value>([
  // include/linux/fs.h: the RWF_* bits (include/uapi/linux/fs.h), then the kernel's own from bit 16
  ['IOCB_HIPRI', 0x1],
  ['IOCB_DSYNC', 0x2],
  ['IOCB_SYNC', 0x4],
  ['IOCB_NOWAIT', 0x8],
  ['IOCB_APPEND', 0x10],
  ['IOCB_EVENTFD', 1 << 16],
  ['IOCB_DIRECT', 1 << 17],
  ['IOCB_WRITE', 1 << 18],
  ['IOCB_WAITQ', 1 << 19],
  ['IOCB_NOIO', 1 << 20],
  ['IOCB_ALLOC_CACHE', 1 << 21],
  ['IOCB_DIO_CALLER_COMP', 1 << 22],
  // include/linux/uio.h: the direction of an iov_iter (data_source)
  ['ITER_SOURCE', 1],
  ['ITER_DEST', 0],
  // include/linux/fs.h: inode->i_flags (S_DAX with CONFIG_FS_DAX, which Debian's configurations set)
  ['S_SYNC', 1 << 0],
  ['S_NOSEC', 1 << 12],
  ['S_DAX', 1 << 13],
  // include/linux/iomap.h: the extent types ->iomap_begin reports
  ['IOMAP_HOLE', 0],
  ['IOMAP_DELALLOC', 1],
  ['IOMAP_MAPPED', 2],
  ['IOMAP_UNWRITTEN', 3],
  ['IOMAP_INLINE', 4],
  // include/linux/iomap.h: iomap->flags
  ['IOMAP_F_NEW', 1 << 0],
  ['IOMAP_F_DIRTY', 1 << 1],
  ['IOMAP_F_SHARED', 1 << 2],
  ['IOMAP_F_STALE', 1 << 9],
  // include/linux/iomap.h: iomap_iter->flags
  ['IOMAP_WRITE', 1 << 0],
  ['IOMAP_ZERO', 1 << 1],
  ['IOMAP_REPORT', 1 << 2],
  ['IOMAP_FAULT', 1 << 3],
  ['IOMAP_DIRECT', 1 << 4],
  ['IOMAP_NOWAIT', 1 << 5],
  ['IOMAP_OVERWRITE_ONLY', 1 << 6],
  // include/linux/iomap.h: iomap_dio_rw()'s dio_flags, and the flags ->end_io sees
  ['IOMAP_DIO_FORCE_WAIT', 1 << 0],
  ['IOMAP_DIO_OVERWRITE_ONLY', 1 << 1],
  ['IOMAP_DIO_PARTIAL', 1 << 2],
  // 6.1 only
  ['IOMAP_DIO_NOSYNC', 1 << 3],
  ['IOMAP_DIO_UNWRITTEN', 1 << 0],
  ['IOMAP_DIO_COW', 1 << 1],
  // fs/iomap/direct-io.c's private bits of dio->flags (6.12; 6.1 from bit 28)
  ['IOMAP_DIO_CALLER_COMP', 1 << 26],
  ['IOMAP_DIO_INLINE_COMP', 1 << 27],
  ['IOMAP_DIO_WRITE_THROUGH', 1 << 28],
  ['IOMAP_DIO_WRITE_FUA', 1 << 28],
  ['IOMAP_DIO_NEED_SYNC', 1 << 29],
  ['IOMAP_DIO_WRITE', 1 << 30],
  ['IOMAP_DIO_DIRTY', 2 ** 31],
  // include/linux/fs.h (6.1): the i_state bit inode_dio_end() wakes (6.12 wakes i_dio_count itself)
  ['__I_DIO_WAKEUP', 9],
  // fs/ext4/ext4.h: the dynamic state bit ext4's O_DIRECT write clears (6; 7 in 6.1, after EXT4_STATE_JDATA)
  ['EXT4_STATE_MAY_INLINE_DATA', 6],
  // include/linux/errno.h: the kernel-internal codes __iomap_dio_rw() returns
  ['ENOTBLK', 15],
  ['EIOCBQUEUED', 529],
  // the iomap operations ext4 passes (fs/ext4/inode.c, fs/ext4/file.c): tables the run reads (catalog/filesystems.ts)
  ['ext4_iomap_ops', 'aops:ext4_iomap_ops'],
  ['ext4_iomap_overwrite_ops', 'aops:ext4_iomap_overwrite_ops'],
  ['ext4_dio_write_ops', 'aops:ext4_dio_write_ops'],
]);
