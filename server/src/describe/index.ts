/** `describeFunction`: what hover and `racelens explain` say about a kernel function. */
export { describeFunction, type FunctionDescription, type RaceDescription, type BodyDescription, type DescribeSource } from './function-description.js';
export { describeText, describeMarkdown, escapeMarkdown, codeSpan } from './description-text.js';
export { racesOf, raceScenarios, namesReached, type RaceReach, type RaceScenario } from './races-per-function.js';
export { RACE_HISTORY, type RaceHistory } from './race-history.js';
export { bodyRuns, bodyRunsOf } from './body-runs.js';
