/** The run service: races run off the main thread, cancellable, with progress and a memory budget. */
export { RunService, type RunControl, type RunServiceOptions } from './run-service.js';
export { executeRun, stoppedResult, type ExecuteHooks } from './execute.js';
export type { RunHead } from './protocol.js';

