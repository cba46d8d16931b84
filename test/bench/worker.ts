/**
 * Worker process of the bench: receives jobs over IPC, runs them one at a time and
 * sends back their outcomes. A separate process (not a worker thread) so every run
 * has its own heap and the native tree-sitter binding loads the ordinary way.
 */
import { runJob, type Job, type JobResult } from './jobs.js';

interface JobMessage { type: 'job'; job: Job }

process.on('message', (msg: JobMessage) => {
  if (msg?.type !== 'job') return;
  const result: JobResult = { job: msg.job, outcome: runJob(msg.job) };
  process.send?.({ type: 'result', result });
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
