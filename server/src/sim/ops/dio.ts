/**
 * What the O_DIRECT path through iomap needs of the harness and its stated boundaries
 * (builtin/models/6.1/iomap-dio.c, ext4-dio.c): the size of the user's buffer, the page
 * of the file at an index, and the copy of a write(2) that ext4 falls back to buffered
 * I/O for, whose data the O_DIRECT write's caller was promised.
 */
import type { Primitive } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import { PAGE_SIZE, blockOf, key } from '../world.js';
import { livePage, mappingArg, num, pageArg } from './args.js';
import { writePageBlock } from './versions.js';

export const dioPrimitives: Primitive[] = [
  {
    names: ['page_block_size'],
    doc: 'the size of one block of the page (the user buffer of a one-block O_DIRECT write)',
    pure: true,
    run: (c, [p]) => PAGE_SIZE / c.layout.pages.get(pageArg(c, p))!.blocks,
  },
  {
    names: ['file_page_at'],
    doc: 'the page of the file at a page index (the one the scenario declares there)',
    pure: true,
    run: (c, [m, idx]) => {
      const file = mappingArg(c, m);
      const page = c.layout.files.get(file)!.pages.find((p) => c.layout.pages.get(p)!.index === num(idx));
      if (!page) throw new PrimitiveError(`${file} has no page at index ${num(idx)}`);
      return `page:${page}`;
    },
  },
  {
    names: ['dio_fallback_copy'],
    doc: 'an O_DIRECT write that fell back to buffered I/O copies the user\'s data into block n of the locked page: memory gets a new version, which the write promises once it returns (stale-read)',
    reads: ['disk'], writes: ['page memory', 'disk', 'O_DIRECT write'],
    run: (c, [p, n]) => {
      const page = livePage(c, p);
      const block = blockOf(c.layout, page, num(n));
      const version = writePageBlock(c, page, block, num(n));
      c.set(key.dio(block), -version);
      return 1;
    },
  },
];
