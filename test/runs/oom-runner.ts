/**
 * A stand-in for the run service's child whose run outgrows any heap: it keeps
 * allocating until V8's heap limit kills the process, as a search that escaped its
 * byte budget would.
 */
process.on('message', () => {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1 << 16).fill(hoard.length));
});
process.send?.({ type: 'ready' });
