/**
 * A stand-in for the run service's child that never looks at its cancel file: each run
 * busies it for 1.5 s and then answers `holds`. The service must kill it to cancel.
 */
process.on('message', (m: { type: string; id: number; request: { scenario: string; era?: string } }) => {
  const until = Date.now() + 1500;
  while (Date.now() < until) { /* ignores cancellation */ }
  process.send?.({
    type: 'result', id: m.id,
    result: {
      version: 2, scenario: m.request.scenario, era: m.request.era ?? '', verdict: 'holds', executions: 1, states: 1, violations: 0,
      ms: 1500, models: [], assumptions: [], cpus: [], args: { scenario: m.request.scenario, era: m.request.era ?? '', sources: [], reduction: 'full' },
    },
  });
});
process.send?.({ type: 'ready' });
