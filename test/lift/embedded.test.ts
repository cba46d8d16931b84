/**
 * Structures inside a modeled stack structure and kmalloc()ed ones (lift/embedded.ts):
 * `iter->iomap.type` and `dio->submit.iter` are one field of the outer object, and a
 * struct iomap_dio that __iomap_dio_rw() kmalloc()s is the CPU's object of its type.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PER_TYPE_STRUCTS } from 'racelens-server/out/sim/stack-kinds.js';
import { code, lift } from './helpers.js';

const SRC = `
loff_t dio_iter(const struct iomap_iter *iter, struct iomap_dio *dio)
{
	if (iter->iomap.type != IOMAP_MAPPED)
		return -EIO;
	dio->submit.iter->count -= 1;
	dio->size += 1;
	return iter->iomap.length;
}

struct iomap_dio *dio_alloc(struct iov_iter *iter)
{
	struct iomap_dio *dio;

	dio = kmalloc(sizeof(*dio), GFP_KERNEL);
	if (!dio)
		return NULL;
	dio->submit.iter = iter;
	return dio;
}
`;

test('a member of an embedded structure is the outer row\'s dotted field', () => {
  const f = lift(SRC, 'dio_iter');
  const listing = code(f.program);
  assert.match(listing, /iter->iomap\.type != IOMAP_MAPPED/);
  assert.match(listing, /store dio->submit\.iter->count = dio->submit\.iter->count - 1/);
  assert.match(listing, /return iter->iomap\.length/);
  assert.doesNotMatch(listing, /iomap->type|submit->iter/);
});

test('kmalloc() into a pointer to an allocated row is the CPU\'s object of that type', () => {
  const f = lift(SRC, 'dio_alloc');
  const listing = code(f.program);
  assert.match(listing, new RegExp(`dio = stack_struct\\(${PER_TYPE_STRUCTS.indexOf('iomap_dio')}\\)`));
  assert.doesNotMatch(listing, /kmalloc/);
  assert.match(listing, /store dio->submit\.iter = iter/);
});
