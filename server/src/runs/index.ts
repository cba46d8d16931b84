/** The run service: races run off the main thread, cancellable, with progress and a memory budget. */
export { RunService, type RunOptions, type RunServiceOptions } from './run-service.js';
export { executeRun, stoppedResult, type ExecuteHooks } from './execute.js';
export type { RunRaceRequest, RunHead } from './protocol.js';
