/**
 * inode->i_size, the file's size: a plain field of the inode (plain-fields.ts) that
 * starts at the end of the file's last page. i_size_read()/i_size_write() and a
 * direct `inode->i_size` read or write reach the same location, so a writepage that
 * checks the page against i_size sees what truncation wrote.
 */
import type { Primitive } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import type { Value } from '../program.js';
import { key } from '../world.js';
import { num } from './args.js';

function inodeArg(v: Value): string {
  if (typeof v === 'string' && v.startsWith('inode:')) return v.slice(6);
  throw new PrimitiveError(`expected an inode, got ${v === null ? 'NULL' : String(v)}`);
}

export const inodePrimitives: Primitive[] = [
  {
    names: ['i_size_read'],
    doc: 'reads the file size (inode->i_size)',
    reads: ['i_size'],
    run: (c, [i]) => c.get(key.field('inode', inodeArg(i), 'i_size')),
  },
  {
    names: ['i_size_write'],
    doc: 'sets the file size (inode->i_size)',
    writes: ['i_size'],
    run: (c, [i, size]) => { c.set(key.field('inode', inodeArg(i), 'i_size'), num(size)); return 0; },
  },
];
