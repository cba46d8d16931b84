/**
 * The structures behind an ordinary disk-backed file that kernel code reads and no
 * scenario changes, as data: the superblock's backing_dev_info, its capabilities, and
 * the bdi_writeback the inode writes back through. Kernel facts (6.1, 6.12):
 *  - a filesystem on a disk has `sb->s_bdi` = the disk's bdi (fs/super.c, set_bdev_super:
 *    `bdi_get(s->s_bdev->bd_disk->bdi)`), never the block-device pseudo-filesystem's
 *    superblock (`blockdev_superblock`, constants.ts);
 *  - every bdi that bdi_alloc() makes has `capabilities = BDI_CAP_WRITEBACK |
 *    BDI_CAP_WRITEBACK_ACCT` (mm/backing-dev.c, bdi_init): it writes back and accounts it;
 *  - with CONFIG_CGROUP_WRITEBACK (Debian's config) `inode_to_wb()` is `inode->i_wb`, the
 *    wb the inode was attached to: for a file no cgroup owns, the bdi's root wb
 *    (`&bdi->wb`, which is what inode_to_wb() returns without the option).
 * Every other field of these structures is accounting (statistics, dirty lists,
 * bandwidth estimates, timers): it reads 0, and the run says so (machine.ts).
 */
import type { Value } from './program.js';

/**
 * Object kinds kept for these structures: "sb:F", "bdi:F" (one per file's filesystem),
 * whose fields are fixed; the wb, "wb:F", is plain memory (objects.ts), with the initial
 * values below: its counters and lock change as writeback starts and ends.
 */
export const BACKING_KINDS: ReadonlySet<string> = new Set(['sb', 'bdi', 'opaque']);

/** enum wb_state (include/linux/backing-dev-defs.h, 6.1, 6.12) */
const WB_REGISTERED = 0;

/** Plain fields of these structures that start non-zero: a registered bdi's root wb (bdi_register: set_bit(WB_registered, &bdi->wb.state)). */
const INITIAL: Readonly<Record<string, Readonly<Record<string, Value>>>> = {
  wb: { state: 1 << WB_REGISTERED },
};

/**
 * wb->bdi, the bdi whose root wb it is: fixed (objects.ts), and its location's initial
 * value when some code the run reaches also writes the field (wb_init()), which makes
 * the field plain memory.
 */
const INITIAL_POINTERS: Readonly<Record<string, Readonly<Record<string, (id: string) => Value>>>> = {
  wb: { bdi: (id) => `bdi:${id}` },
};

/** A plain field's value before the scenario runs, when the table gives one. */
export function initialBackingField(kind: string, field: string, id = ''): Value | undefined {
  if (Object.hasOwn(INITIAL_POINTERS, kind) && Object.hasOwn(INITIAL_POINTERS[kind]!, field)) return INITIAL_POINTERS[kind]![field]!(id);
  return Object.hasOwn(INITIAL, kind) && Object.hasOwn(INITIAL[kind]!, field) ? INITIAL[kind]![field] : undefined;
}

const BDI_CAP_WRITEBACK = 1 << 0;
const BDI_CAP_WRITEBACK_ACCT = 1 << 1;

/** [kind][field] → the field's value for the object of id `id`. */
const FIELDS: Readonly<Record<string, Readonly<Record<string, (id: string) => Value>>>> = {
  sb: { s_bdi: (id) => `bdi:${id}` },
  bdi: { capabilities: () => BDI_CAP_WRITEBACK | BDI_CAP_WRITEBACK_ACCT, wb: (id) => `wb:${id}` },
};

/** Fields of modeled objects that point into these structures: inode->i_wb. */
export const POINTERS_IN: Readonly<Record<string, Readonly<Record<string, (id: string) => Value>>>> = {
  inode: { i_wb: (id) => `wb:${id}` },
};

/** The value of a field the table knows, or undefined (then it is accounting: 0, said). */
export function backingField(kind: string, id: string, field: string): Value | undefined {
  const f = Object.hasOwn(FIELDS, kind) && Object.hasOwn(FIELDS[kind]!, field) ? FIELDS[kind]![field]! : undefined;
  return f?.(id);
}

/** &bdi->wb: the embedded root wb. */
export function backingAddress(kind: string, id: string, field: string): Value | undefined {
  return kind === 'bdi' && field === 'wb' ? `wb:${id}` : undefined;
}
