/** buffer_head state bits, one table for every spelling. */
import type { Primitive, StepContext } from '../primitive.js';
import { key } from '../world.js';
import { bhArg, livePage, pageArg } from './args.js';

const BH_FLAGS: ReadonlyArray<[flag: string, name: string]> = [
  ['dirty', 'dirty'],
  ['uptodate', 'uptodate'],
  ['mapped', 'mapped'],
  ['delay', 'delay'],
  ['async_write', 'async_write'],
  ['new', 'new'],
];

/** Each touches BH_<flag> of its buffer argument alone (objectArg: a future bound to that buffer says so). */
function bhFlagPrimitives([flag, name]: readonly [string, string]): Primitive[] {
  const k = (c: StepContext, b: unknown) => key.bhFlag(bhArg(c, b as string), flag);
  const setTo = (c: StepContext, b: unknown, v: number): number => {
    const old = c.get(k(c, b)) ? 1 : 0;
    c.set(k(c, b), v);
    return old;
  };
  return [
    { names: [`buffer_${name}`], doc: `tests BH_${flag}`, reads: [`BH_${flag}`], objectArg: 0, run: (c, [b]) => (c.get(k(c, b)) ? 1 : 0) },
    { names: [`set_buffer_${name}`], doc: `sets BH_${flag}`, writes: [`BH_${flag}`], objectArg: 0, run: (c, [b]) => { setTo(c, b, 1); return 0; } },
    { names: [`clear_buffer_${name}`], doc: `clears BH_${flag}`, writes: [`BH_${flag}`], objectArg: 0, run: (c, [b]) => { setTo(c, b, 0); return 0; } },
    { names: [`test_set_buffer_${name}`], doc: `sets BH_${flag}, returns the old value`, reads: [`BH_${flag}`], writes: [`BH_${flag}`], objectArg: 0, run: (c, [b]) => setTo(c, b, 1) },
    { names: [`test_clear_buffer_${name}`], doc: `clears BH_${flag}, returns the old value`, reads: [`BH_${flag}`], writes: [`BH_${flag}`], objectArg: 0, run: (c, [b]) => setTo(c, b, 0) },
  ];
}

export const bufferPrimitives: Primitive[] = [
  ...BH_FLAGS.flatMap(bhFlagPrimitives),
  {
    names: ['page_has_buffers', 'folio_test_private_buffers'],
    doc: 'tests whether buffers are attached (PG_private)',
    reads: ['PG_private'],
    run: (c, [p]) => (c.get(key.pageFlag(livePage(c, p), 'private')) ? 1 : 0),
  },
  {
    names: ['page_buffers'],
    doc: 'the head of the buffer ring attached to the page (page->private; the caller knows buffers are attached)',
    reads: ['page private'],
    // migration moves rings between pages (page->private stores); until code does, the ring is fixed
    pureUnlessWritten: ['private'],
    run: (c, [p]) => c.get(key.pagePrivate(pageArg(c, p))),
  },
  {
    names: ['alloc_page_buffers'],
    doc: 'the buffer_heads of a page at its block size: the model\'s buffer_heads come with their page (the setup\'s ring), so allocating gives that ring, not yet attached; NULL for a page the setup gives none',
    pure: true,
    run: (c, [p]) => {
      const ring = c.layout.pages.get(pageArg(c, p))?.buffers ?? [];
      return ring.length ? `bh:${ring[0]}` : null;
    },
  },
  {
    names: ['folio_buffers'],
    doc: 'the first buffer_head of the folio, or NULL when none are attached',
    reads: ['PG_private', 'page private'],
    run: (c, [p]) => {
      const page = livePage(c, p);
      return c.get(key.pageFlag(page, 'private')) ? c.get(key.pagePrivate(page)) : null;
    },
  },
];
