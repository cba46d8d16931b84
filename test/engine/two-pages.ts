/** A scenario for futures per object (object-futures.test.ts, reduction-sound.test.ts). */

/** Two pages of one file, one CPU writing back each (reduction-sound.test.ts checks it against the plain search). */
export const TWO_PAGES = `race two-pages "one CPU per page: each future is bound to its page and its buffer"
era 6.1
setup {
  fs ext3 data=ordered
  file F { page P index 0 uptodate dirty buffers 1; page Q index 1 uptodate dirty buffers 1 }
}
P0 p { lock_page(P); write_locked_page(P) }
P1 q { lock_page(Q); write_locked_page(Q) }
final { sync(F) }
check lost-write sync-durability bug-on deadlock
expect 6.1 holds
`;
