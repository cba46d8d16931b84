/**
 * Files as the system calls see them: the struct file of a scenario's file, the kiocb
 * of a synchronous read or write on it, and byte offsets of its blocks. The harness
 * builds the arguments of kernel entry points with these (dio_write).
 */
import type { Primitive } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import { PAGE_SIZE } from '../world.js';
import { mappingArg, num, pageArg } from './args.js';

export const filePrimitives: Primitive[] = [
  {
    names: ['mapping_file'],
    doc: 'the open file of the scenario\'s file (file->f_mapping is the address_space)',
    pure: true,
    run: (c, [m]) => `file:${mappingArg(c, m)}`,
  },
  {
    names: ['init_sync_kiocb'],
    doc: 'fills a kiocb for a synchronous I/O on the file (kiocb->ki_filp)',
    pure: true,
    run: (c, [, f]) => {
      if (typeof f !== 'string' || !f.startsWith('file:')) throw new PrimitiveError(`init_sync_kiocb wants a file, got ${String(f)}`);
      c.out(0, `iocb:${f.slice(5)}`);
      return 0;
    },
  },
  {
    names: ['page_block_offset'],
    doc: 'the byte offset in the file of block n of the page',
    pure: true,
    run: (c, [p, n]) => {
      const page = c.layout.pages.get(pageArg(c, p))!;
      return page.index * PAGE_SIZE + num(n) * (PAGE_SIZE / page.blocks);
    },
  },
  {
    names: ['file_block_of_offset'],
    doc: 'which block of its page a byte offset of the file falls in',
    pure: true,
    run: (c, [m, offset]) => {
      const file = mappingArg(c, m);
      const index = Math.floor(num(offset) / PAGE_SIZE);
      const id = c.layout.files.get(file)!.pages.find((p) => c.layout.pages.get(p)!.index === index);
      if (!id) throw new PrimitiveError(`no page of ${file} at offset ${num(offset)}`);
      const page = c.layout.pages.get(id)!;
      return Math.floor((num(offset) % PAGE_SIZE) / (PAGE_SIZE / page.blocks));
    },
  },
];
