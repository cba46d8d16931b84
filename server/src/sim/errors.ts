/** A model that cannot run (calls through NULL, field of a non-object, ...). */
export class ModelError extends Error {
  /** the scenario call (line, column in the .race file) whose execution failed */
  call?: { line: number; column: number };

  constructor(message: string, readonly fn?: string, readonly file?: string, readonly line?: number) {
    super(message);
  }
}
