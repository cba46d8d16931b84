/**
 * Which struct fields of modeled objects change while a scenario runs. A read of one
 * of these is an atomic step of its own (another CPU may have changed it since the
 * last step); every other field (mapping->host, bh->b_this_page, a_ops tables) is
 * fixed for the life of the scenario and reads fold into local computation.
 */
const MUTABLE_FIELDS: ReadonlySet<string> = new Set([
  'mapping',     // page->mapping: cleared when truncation removes the page
  'private',     // page->private: buffers attached or freed
  'flags',       // page->flags read as a word
  'b_state',     // bh->b_state read as a word
  'b_end_io',    // set by mark_buffer_async_write
  '_refcount',
  '_mapcount',        // page->_mapcount: the rmap functions change it under the PTE lock, folio_mapped() reads it without
  'nrpages',
  'i_size',          // inode->i_size: i_size_write() in truncate, read by writepage
  'writeback_index', // mapping->writeback_index: where cyclic writeback resumes
  'i_state',         // inode->i_state: dirty and sync bits, changed under i_lock, tested without it too
  'i_io_list',       // inode->i_io_list: the wb list the inode is on (sim/ops/io-lists.ts)
  'compound_head',   // page->compound_head: a tail's bit, cleared when a split frees the tail (sim/compound.ts)
]);

export function isMutableField(field: string): boolean {
  return MUTABLE_FIELDS.has(field);
}
