/** The shape of one catalog entry (functions.ts and its entries-*.ts files are data of this shape). */

export interface Provenance {
  commit?: string;
  version: string;
  seed?: string;
  what: string;
}

export interface CatalogEntry {
  /** the catalog id: the oldest name */
  id: string;
  /** every era's spelling; page generation first, folio generation after */
  names: readonly string[];
  file: string;
  /** 'model': a kernel function the simulator runs step by step (built-in or lifted); 'primitive': one atomic step */
  kind: 'model' | 'primitive';
  description: string;
  reads: readonly string[];
  writes: readonly string[];
  history: readonly Provenance[];
  /**
   * 'builtin': the kernel's body is below the simulator's level of abstraction
   * (wait-queue internals): source of this function is not lifted, and the reason is
   * given with the model.
   */
  lift?: {
    use: 'builtin';
    why: string;
    /**
     * Races whose story is this function itself: their runs take the tree's body
     * (killable-lock-wakeup runs the tree's folio_wait_bit_common), every other run the
     * built-in model, for the reason given.
     */
    sourceIn?: readonly string[];
  };
  /**
   * The release in which a later name of `names` replaced the earlier ones (a rename);
   * names without an entry are the oldest spelling. era-names.ts reads it.
   */
  since?: Readonly<Record<string, string>>;
}
