/**
 * Wall-clock and cancellation checks. Reading the clock and calling back into the
 * host on every step would dominate small steps, so callers only ask every
 * CHECK_EVERY units of work.
 */

export const CHECK_EVERY = 256;

import { getHeapStatistics } from 'node:v8';

export type StopReason = 'time' | 'cancelled' | 'memory';

/** Heap statistics cost a few microseconds: read them at most this often. */
const MEMORY_CHECK_MS = 10;

export class Deadline {
  private readonly start = performance.now();

  private lastMemoryCheck = 0;

  constructor(
    private readonly limitMs: number | undefined,
    private readonly shouldCancel: (() => boolean) | undefined,
    private readonly maxHeapBytes?: number,
  ) {}

  elapsedMs(): number {
    return performance.now() - this.start;
  }

  /** Why the work must stop now, or undefined to carry on. */
  check(): StopReason | undefined {
    if (this.shouldCancel?.()) return 'cancelled';
    const elapsed = this.elapsedMs();
    if (this.limitMs !== undefined && elapsed >= this.limitMs) return 'time';
    if (this.maxHeapBytes !== undefined && elapsed - this.lastMemoryCheck >= MEMORY_CHECK_MS) {
      this.lastMemoryCheck = elapsed;
      if (getHeapStatistics().used_heap_size >= this.maxHeapBytes) return 'memory';
    }
    return undefined;
  }
}
