/**
 * One run, as every entry point asks for it: the CLI's flags, the language server's
 * run command and the run process's message are this one shape, and the run's JSON
 * result echoes it back (`args`) with the defaults filled in.
 */
import type { Reduction } from '../explore/types.js';
import type { RunArgsJson } from '../scenario/result-json.js';
import { DEFAULT_MAX_STATES, DEFAULT_TIME_LIMIT_MS } from '../scenario/run.js';

export interface RunOptions {
  /** a built-in scenario's name or `racelens-builtin:` uri, or a .race file's path or uri */
  scenario: string;
  /** era or era+overlay; default: the sources' release, else the scenario's own era */
  era?: string;
  /** the filesystem instead of the setup's (ext3, ext4, nobh) */
  fs?: string;
  /** folders, files or document uris lifted over the built-in models, later ones winning */
  sources?: string[];
  /** the kernel .config deciding what of the sources is compiled (default: Debian's for the release) */
  configFile?: string;
  reduction?: Reduction;
  maxExecutions?: number;
  maxStates?: number;
  timeLimitMs?: number;
  /**
   * The run's memory budget in MB. A run in this process (the CLI) bounds what the
   * search keeps; the run process (runs/) bounds its whole heap with it, the search
   * keeping its default budget inside.
   */
  maxMemoryMb?: number;
  /** one schedule (thread ids separated by spaces) to run step by step */
  replay?: string;
  /** keep exploring after the first violation (default: stop there) */
  allViolations?: boolean;
}

/**
 * The options as the result echoes them: `scenario` as a view can pass it back (a
 * built-in's name or a file's uri), the era the run took, the sources as keys
 * (`sourceOf`: absolute paths, or a virtual document's uri), the defaults filled in.
 */
export function runArgs(o: RunOptions, era: string, scenario: string, sourceOf: (s: string) => string): RunArgsJson {
  return {
    scenario, era, ...(o.fs ? { fs: o.fs } : {}),
    sources: (o.sources ?? []).map(sourceOf),
    reduction: o.reduction ?? 'full',
    ...(o.maxExecutions !== undefined ? { maxExecutions: o.maxExecutions } : {}),
    maxStates: o.maxStates ?? DEFAULT_MAX_STATES,
    timeLimitMs: o.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
    ...(o.maxMemoryMb !== undefined ? { maxMemoryMb: o.maxMemoryMb } : {}),
    ...(o.replay !== undefined ? { replay: o.replay } : {}),
  };
}

/**
 * The echo of a run that never got to explore (its scenario could not be found or
 * parsed, or its process died before it said): the options as asked, no defaults.
 */
export function askedArgs(o: RunOptions): RunArgsJson {
  return {
    scenario: o.scenario, era: o.era ?? '', sources: o.sources ?? [], reduction: o.reduction ?? 'full',
    ...(o.maxMemoryMb !== undefined ? { maxMemoryMb: o.maxMemoryMb } : {}),
  };
}
