import { PrimitiveTable } from '../primitive.js';
import { batchPrimitives } from './batches.js';
import { bitOpPrimitives } from './bitops.js';
import { refcountPrimitives } from './refcount.js';
import { inodePrimitives } from './inode.js';
import { purePrimitives } from './pure.js';
import { filePrimitives } from './files.js';
import { bufferPrimitives } from './buffers.js';
import { ioPrimitives } from './io.js';
import { lockPrimitives } from './locks.js';
import { pageCachePrimitives } from './pagecache.js';
import { pageFlagPrimitives } from './pageflags.js';
import { ptePrimitives } from './pte.js';
import { faultPrimitives } from './fault.js';
import { pinPrimitives } from './pins.js';
import { migratePrimitives } from './migrate.js';
import { reclaimPrimitives } from './reclaim.js';
import { syncPrimitives } from './sync.js';
import { waitQueuePrimitives } from './waitqueue.js';
import { pageWaitPrimitives } from './pagewait.js';
import { schedPrimitives } from './sched.js';
import { flagWordPrimitives } from './flagword.js';
import { xarrayPrimitives } from './xarray.js';
import { pageInsertPrimitives } from './page-insert.js';
import { ioListPrimitives } from './io-lists.js';
import { writeback26Primitives } from './writeback-2-6.js';
import { waitListPrimitives } from './waitlist.js';
import { lruPrimitives } from './lru.js';
import { listPrimitives } from './list-kinds.js';
import { rmapWalkPrimitives } from './rmap-walk.js';
import { zapPrimitives } from './zap.js';
import { pageTablePrimitives } from './page-tables.js';
import { readFaultPrimitives } from './readfault.js';
import { badStatePrimitives } from './bad-state.js';
import { mapcountPrimitives } from './mapcount.js';
import { tlbBatchPrimitives } from './tlb-batch.js';
import { compoundPrimitives } from './compound.js';
import { gupPrimitives } from './gup.js';
import { dioPrimitives } from './dio.js';

/** Every primitive the simulator knows, by each of its kernel names. */
export const primitives = new PrimitiveTable().add(
  ...pageFlagPrimitives,
  ...lockPrimitives,
  ...waitQueuePrimitives,
  ...pageWaitPrimitives,
  ...schedPrimitives,
  ...flagWordPrimitives,
  ...bufferPrimitives,
  ...pageCachePrimitives,
  ...ptePrimitives,
  ...ioPrimitives,
  ...reclaimPrimitives,
  ...pinPrimitives,
  ...migratePrimitives,
  ...xarrayPrimitives,
  ...batchPrimitives,
  ...syncPrimitives,
  ...bitOpPrimitives,
  ...refcountPrimitives,
  ...inodePrimitives,
  ...purePrimitives,
  ...filePrimitives,
  ...pageInsertPrimitives,
  ...ioListPrimitives,
  ...writeback26Primitives,
  ...faultPrimitives,
  // list_add/list_del answer for the wait queues and reclaim's lists alike (list-kinds.ts)
  ...listPrimitives(waitListPrimitives, lruPrimitives),
  ...rmapWalkPrimitives,
  ...zapPrimitives,
  ...pageTablePrimitives,
  ...readFaultPrimitives,
  ...badStatePrimitives,
  ...mapcountPrimitives,
  ...tlbBatchPrimitives,
  ...compoundPrimitives,
  ...gupPrimitives,
  ...dioPrimitives,
);
