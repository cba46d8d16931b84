/**
 * Timing trace of the server's main thread, for finding what a request waits behind:
 * set RACELENS_LSP_TRACE to a file and every traced event (a request's arrival and
 * answer, a piece of background work, a garbage collection, the event loop held up)
 * is appended to it as one JSON line with wall-clock milliseconds, comparable with
 * the editor's and the benchmark's own clocks. Off (and free) when the variable is unset.
 */
import * as fs from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with the precision of performance.now(). */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The event loop is reported held up when a timer of this period fires this much late. */
const LAG_PERIOD_MS = 2;
const LAG_REPORT_MS = 3;

/** This thread's time on a core and waiting for one, in ns (0 where /proc says nothing). */
function schedstat(): { run: number; wait: number } {
  try {
    const [run, wait] = fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { run, wait };
  } catch {
    return { run: 0, wait: 0 };
  }
}

class Trace {
  private readonly fd: number;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'a');
    const gc = new PerformanceObserver((list) => {
      // kind: 1 a scavenge of the young generation, 2 a full mark-compact (perf_hooks' NODE_PERFORMANCE_GC_*)
      for (const e of list.getEntries()) this.event('gc', { at: performance.timeOrigin + e.startTime, ms: e.duration, kind: (e as { detail?: { kind?: number } }).detail?.kind });
    });
    gc.observe({ entryTypes: ['gc'] });
    let expected = performance.now() + LAG_PERIOD_MS;
    let sched = schedstat();
    const lag = setInterval(() => {
      const now = performance.now();
      const s = schedstat();
      // how much of the hold this thread ran, and how long it waited for a core (Linux's per-thread schedstat)
      if (now - expected > LAG_REPORT_MS) this.event('loop-held', { at: performance.timeOrigin + expected, ms: now - expected, ran: (s.run - sched.run) / 1e6, waited: (s.wait - sched.wait) / 1e6 });
      sched = s;
      expected = now + LAG_PERIOD_MS;
    }, LAG_PERIOD_MS);
    lag.unref();
  }

  event(name: string, data: Record<string, unknown> = {}): void {
    fs.writeSync(this.fd, JSON.stringify({ t: wallMs(), name, ...data }) + '\n');
  }

  /** Runs `f`, tracing its start and duration. */
  timed<T>(name: string, f: () => T, data: Record<string, unknown> = {}): T {
    const t = wallMs();
    try {
      return f();
    } finally {
      this.event(name, { at: t, ms: wallMs() - t, ...data });
    }
  }
}

export const trace: Trace | undefined = process.env.RACELENS_LSP_TRACE ? new Trace(process.env.RACELENS_LSP_TRACE) : undefined;

/** `f` timed under `name` when tracing, else just run. */
export function traced<T>(name: string, f: () => T, data?: Record<string, unknown>): T {
  return trace ? trace.timed(name, f, data) : f();
}
