/**
 * Wall-clock and cancellation checks. Reading the clock and calling back into the
 * host on every step would dominate small steps, so callers only ask every
 * CHECK_EVERY units of work.
 */

export const CHECK_EVERY = 256;

export type StopReason = 'time' | 'cancelled';

export class Deadline {
  private readonly start = performance.now();

  constructor(
    private readonly limitMs: number | undefined,
    private readonly shouldCancel: (() => boolean) | undefined,
  ) {}

  elapsedMs(): number {
    return performance.now() - this.start;
  }

  /** Why the work must stop now, or undefined to carry on. */
  check(): StopReason | undefined {
    if (this.shouldCancel?.()) return 'cancelled';
    if (this.limitMs !== undefined && this.elapsedMs() >= this.limitMs) return 'time';
    return undefined;
  }
}
