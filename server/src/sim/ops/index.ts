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
import { reclaimPrimitives } from './reclaim.js';
import { syncPrimitives } from './sync.js';
import { waitQueuePrimitives } from './waitqueue.js';
import { xarrayPrimitives } from './xarray.js';

/** Every primitive the simulator knows, by each of its kernel names. */
export const primitives = new PrimitiveTable().add(
  ...pageFlagPrimitives,
  ...lockPrimitives,
  ...waitQueuePrimitives,
  ...bufferPrimitives,
  ...pageCachePrimitives,
  ...ptePrimitives,
  ...ioPrimitives,
  ...reclaimPrimitives,
  ...pinPrimitives,
  ...xarrayPrimitives,
  ...batchPrimitives,
  ...syncPrimitives,
  ...bitOpPrimitives,
  ...refcountPrimitives,
  ...inodePrimitives,
  ...purePrimitives,
  ...filePrimitives,
  ...faultPrimitives,
);
