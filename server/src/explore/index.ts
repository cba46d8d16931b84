/** The interleaving explorer: generic over any TransitionSystem, knows nothing about kernels. */
export type { Footprint, StepResult, TransitionSystem, Violation } from './system.js';
export type {
  BudgetHit,
  Counterexample,
  ExploreOptions,
  ExploreProgress,
  ExploreResult,
  Reduction,
  TraceStep,
} from './types.js';
export type { ReplayResult } from './replay.js';
export type { Found } from './shortest.js';
export { explore } from './explore.js';
export { replay } from './replay.js';
export { shortestCounterexample } from './shortest.js';
export { formatSchedule, parseSchedule } from './schedule.js';
export { DEADLOCK, deadlockViolation } from './classify.js';
export { dependent } from './dependence.js';
