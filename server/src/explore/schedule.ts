/**
 * Schedule format: the thread ids taken, in order, separated by single spaces, e.g.
 * "P0 P1 P1.io1 P2". The empty string is the empty schedule. Thread ids may contain
 * any character except whitespace, so no quoting is ever needed. When parsing, any
 * run of whitespace separates ids and leading/trailing whitespace is ignored, so a
 * schedule survives being re-wrapped or pasted.
 */

export function formatSchedule(tids: readonly string[]): string {
  for (const t of tids) {
    // Such an id would silently split into two on replay; that is a bug in the system.
    if (t === '' || /\s/.test(t)) throw new Error(`thread id ${JSON.stringify(t)} cannot appear in a schedule: ids must be non-empty and contain no whitespace`);
  }
  return tids.join(' ');
}

export function parseSchedule(schedule: string): string[] {
  const trimmed = schedule.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}
