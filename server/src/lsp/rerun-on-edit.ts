/**
 * Runs again, after a pause in typing, the races an edit made stale: each once, in the
 * order they went stale. A new edit restarts the pause and cancels the re-run in
 * flight (its text is already old), as well as any run that started before the edit.
 */
import type { RunRaceParams } from './protocol.js';

/** Long enough to let a word be typed, short enough that the verdict follows the text. */
export const RERUN_PAUSE_MS = 700;

export interface RunInFlight {
  abort: AbortController;
  startedAt: number;
}

export class RerunOnEdit {
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Map<string, RunRaceParams>();
  private lastEdit = 0;
  private current: AbortController | undefined;
  /** every run the server has going, re-runs included */
  readonly inFlight = new Set<RunInFlight>();

  constructor(private readonly run: (params: RunRaceParams, signal: AbortSignal) => Promise<unknown>, private readonly pauseMs = RERUN_PAUSE_MS) {}

  /** An edit happened; `stale` are the verdicts it made stale (by key), to be run again unless `enabled` is off. */
  edited(stale: { key: string; params: RunRaceParams }[], enabled: boolean): void {
    this.lastEdit = Date.now();
    this.current?.abort();
    if (!enabled) return;
    for (const s of stale) this.pending.set(s.key, s.params);
    if (!this.pending.size) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fire(), this.pauseMs);
  }

  private later(rest: [string, RunRaceParams][]): void {
    for (const [k, p] of rest) if (!this.pending.has(k)) this.pending.set(k, p);
    this.timer ??= setTimeout(() => void this.fire(), this.pauseMs);
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    // runs that read the text before the edit are answered 'cancelled' now
    for (const r of this.inFlight) if (r.startedAt < this.lastEdit) r.abort.abort();
    const batch = [...this.pending];
    this.pending.clear();
    const abort = new AbortController();
    this.current = abort;
    for (let i = 0; i < batch.length; i++) {
      if (!abort.signal.aborted) await this.run(batch[i][1], abort.signal);
      // a newer edit cancelled it: what is left runs after the next pause
      if (abort.signal.aborted) {
        this.later(batch.slice(i));
        break;
      }
    }
    if (this.current === abort) this.current = undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.current?.abort();
    for (const r of this.inFlight) r.abort.abort();
  }
}
