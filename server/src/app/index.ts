/**
 * The application layer: what the CLI, the run process and the language server all
 * do to run a scenario — find it, plan its runs, run one — written once.
 */
export { readScenarioFile, resolveScenario, scenarioText, type ResolvedScenario, type ScenarioProblem, type ScenarioReader, type ScenarioText } from './scenarios.js';
export { DEFAULT_FILESYSTEM, planRun, planRuns, plannedFilesystem, runEra, runFilesystem, type PlannedRun } from './plan.js';
export { askedArgs, runArgs, type RunOptions } from './run-options.js';
export { runPlanned, type RunContext } from './run.js';
