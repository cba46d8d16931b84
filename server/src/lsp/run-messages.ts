/**
 * What the server and its run process say to each other. A thin adapter until the
 * run service (server/src/runs/) lands: one scenario run per message, the
 * document's text passed along so unsaved edits are what is lifted.
 */
import type { RunArgsJson, RunProgressJson, RunResultJson } from '../scenario/result-json.js';

export interface OverlayText {
  /** the document's uri (file:, untitled:, git:) */
  uri: string;
  version: number;
  text: string;
}

export interface ChildRunRequest {
  /** the .race text and where it is, for trace rows that point into it */
  scenarioText: string;
  scenarioFile: string;
  scenarioUri: string;
  era: string;
  fs?: string;
  /** folders lifted from disk (the workspace's index roots) */
  sources: string[];
  /** documents whose text replaces what is on disk */
  overlays: OverlayText[];
  /** paths in messages are relative to this folder */
  cwd: string;
  maxExecutions?: number;
  maxStates?: number;
  timeLimitMs?: number;
  replay?: string;
  args: RunArgsJson;
}

export type ParentMessage =
  | { type: 'run'; id: number; request: ChildRunRequest }
  /** a file changed on disk: what the run process read of it is stale */
  | { type: 'invalidate'; path: string };

export type ChildMessage =
  | { type: 'progress'; id: number; progress: RunProgressJson }
  | { type: 'result'; id: number; result: RunResultJson };
