/**
 * Compiled functions (compile.ts) are shared by every machine over the same programs
 * (program-facts.ts sharedFacts): their closures call back at run time through a relay
 * that the runner of the machine running them now has taken.
 */
import type { Expr, Value } from './program.js';
import type { StepContext } from './primitive.js';
import type { ExprHost } from './compile.js';
import type { CompiledFunction, Linker, Resolved, Thread } from './machine-types.js';

/** What a relay calls back into: the runner's side of ExprHost. */
type Callbacks = Pick<ExprHost, 'unknownSymbol' | 'fieldValue'>;

/**
 * What compiled code calls back into at run time: the runner of the machine running it
 * now. Compiled functions are shared by every machine over the same programs
 * (program-facts.ts sharedFacts); a runner takes the relay before it runs any of them
 * (canStep, stepOnce, runLocal), so what they note goes to that machine's log.
 */
export class HostRelay implements ExprHost {
  runner: Callbacks | undefined;

  constructor(private readonly linker: Linker) {}

  /** asked while compiling: every machine sharing the code resolves names alike */
  resolve(name: string): Resolved {
    return this.linker.resolve(name);
  }

  unknownSymbol(t: Thread, e: Extract<Expr, { k: 'sym' }>): void {
    this.runner!.unknownSymbol(t, e);
  }

  fieldValue(t: Thread, ctx: StepContext | undefined, e: Extract<Expr, { k: 'field' }>, obj: Value): Value {
    return this.runner!.fieldValue(t, ctx, e, obj);
  }
}

/** The compiled functions of a set of programs, and the relay their closures call back through. */
export interface SharedCode {
  fns?: Map<string, CompiledFunction>;
  relay?: HostRelay;
}
