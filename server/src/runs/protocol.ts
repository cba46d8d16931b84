/**
 * What the run service and its child process say to each other over the IPC channel.
 * Plain data: the child rebuilds the workspace's overlays from what each request
 * carries, and is told which files changed on disk since the last run.
 */
import type { RunOptions } from '../app/run-options.js';
import type { RunArgsJson, RunProgressJson, RunResultJson } from '../scenario/result-json.js';

export interface OverlayMessage {
  key: string;
  text: string;
  version: number;
}

export type ToRunner =
  | {
    type: 'run'; id: number; request: RunOptions; overlays: OverlayMessage[]; invalidated: string[]; progressEveryMs: number; cwd: string;
    /** the run stops (cancelled) once this file exists */
    cancelFile: string;
  }
  /**
   * Ahead of any run: build the source model set of every built-in scenario that names
   * the sources' era, so that the first lens run over a kernel tree finds the tree
   * indexed and its functions lifted. Runs asked meanwhile go first.
   */
  | { type: 'prepare'; id: number; sources: string[]; cwd: string; configFile?: string };

/** Sent once the scenario is parsed: what the parent needs to answer for a run it stops. */
export interface RunHead {
  scenario: string;
  era: string;
  fs?: string;
  cpus: { id: string; label: string }[];
  args: RunArgsJson;
}

export type FromRunner =
  | { type: 'ready' }
  | { type: 'started'; id: number; head: RunHead }
  | { type: 'progress'; id: number; progress: RunProgressJson }
  | { type: 'result'; id: number; result: RunResultJson }
  /** a prepare is done: the scenarios whose model sets were built, and why any could not be */
  | { type: 'prepared'; id: number; scenarios: string[]; problems: string[]; ms: number };
