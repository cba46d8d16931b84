/**
 * The one text scanner of kernel C (lift/c-text.ts) as both of its users see it: the
 * catalog's names a file may define, and the workspace index's definition sites.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterParameterList, aopsMentioned, definitionIndex } from 'racelens-server/out/lift/c-text.js';
import { scanText } from 'racelens-server/out/index/scan.js';

const TEXT = `static int
set_page_dirty(struct page *page /* not (yet) locked; see below */)
{
	return lock_page(page);
}

int unlock_page(struct page *page);
static struct ops o = { .lock = lock_page(x), };
out:	end_page_writeback(page) = 0;
`;

test('what follows a parameter list: a body, a prototype, a use, or no parameter list at all', () => {
  const at = (needle: string): number => TEXT.indexOf(needle) + needle.length;
  assert.equal(afterParameterList(TEXT, at('set_page_dirty(')), 'body');
  assert.equal(afterParameterList(TEXT, at('int unlock_page(')), 'prototype');
  assert.equal(afterParameterList(TEXT, at('.lock = lock_page(')), 'use');
  assert.equal(afterParameterList('f(a; b)', 2), undefined);
  assert.equal(afterParameterList('f(a /* unclosed', 2), undefined);
});

test('both passes take a comment inside a parameter list for a comment, and agree on the definition', () => {
  assert.deepEqual([...definitionIndex(TEXT)].sort(), ['set_page_dirty']);
  const sites = scanText(TEXT);
  assert.deepEqual(sites.definitions.map((d) => [d.name, d.line, d.column]), [['set_page_dirty', 1, 0]]);
  assert.deepEqual(sites.calls.map((c) => c.name), ['lock_page', 'lock_page', 'end_page_writeback']);
});

test('the *_aops tables a text mentions: whole identifiers, once each, sorted', () => {
  const text = 'static const struct address_space_operations ext4_aops = {};\n'
    + 'inode->i_mapping->a_ops = &ext4_da_aops; /* not ext4_aopsx */ x = def_blk_aops;\n_aops;';
  assert.deepEqual(aopsMentioned(text), ['def_blk_aops', 'ext4_aops', 'ext4_da_aops']);
});

test('file_operations and iomap tables (*_operations, *_ops) are indexed too, a bare suffix is not', () => {
  const text = 'const struct file_operations ext4_file_operations = {\n\t.write_iter = ext4_file_write_iter,\n};\n'
    + 'ret = iomap_dio_rw(iocb, from, &ext4_iomap_overwrite_ops, &ext4_dio_write_ops, 0, NULL, 0); _ops; __ops;';
  assert.deepEqual(aopsMentioned(text), ['ext4_dio_write_ops', 'ext4_file_operations', 'ext4_iomap_overwrite_ops']);
});

test('vm_operations_struct tables (*_vm_ops) are indexed with the a_ops tables', () => {
  const text = 'static const struct vm_operations_struct ext4_file_vm_ops = {\n\t.fault = filemap_fault,\n};\n'
    + 'vma->vm_ops = &ext4_file_vm_ops; /* not ext4_file_vm_opsx */ x = ext4_aops; _vm_ops;';
  assert.deepEqual(aopsMentioned(text), ['ext4_aops', 'ext4_file_vm_ops']);
});
