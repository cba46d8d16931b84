/**
 * What each kind of assumption means, for a reader who has not met it: the CLI's
 * summary (assumption-summary.ts) and the editor's trace view group by kind with these
 * words. Plain data, so the VS Code client may load it through lsp/protocol.ts.
 */
export const ASSUMPTION_KIND_WORDS: Readonly<Record<string, string>> = {
  'builtin-over-source': 'a primitive, a no-op or a built-in model runs instead of the source',
  'skipped-input': 'inputs not read',
  'unknown-call': 'calls to functions neither modeled nor found, taken as no-ops',
  'unknown-identifier': 'identifiers the model does not know',
  'unknown-table-target': 'operation-table entries not followed',
  'ambiguous-definition': 'names defined more than once, one chosen',
  config: 'configuration choices',
};
