/**
 * A step as traces show it. Most steps are never shown, so a record keeps the parts of
 * its operation and makes the text only when a trace asks.
 */
import type { Change } from './describe.js';
import type { Value } from './program.js';
import { arrayItems, isArrayValue } from './arrays.js';
import type { StepEvent } from './machine.js';

export type StepKind = 'call' | 'load' | 'store';

export class StepRecord implements StepEvent {
  private opText: string | undefined;
  fused?: StepEvent[];
  file?: string;
  line?: number;
  column?: number;
  text?: string;

  constructor(readonly tid: string, readonly label: string, readonly fn: string,
    private readonly kind: StepKind, private readonly name: string, private readonly values: Value[], private readonly result: Value | undefined,
    public changes: Change[], public remarks: string[], file: string | undefined, line: number | undefined, text: string | undefined, column?: number) {
    if (file !== undefined) this.file = file;
    if (line !== undefined) this.line = line;
    if (column !== undefined) this.column = column;
    if (text !== undefined) this.text = text;
  }

  /** `prim(args) = result`, `load obj->field = value`, `store obj->field = value` */
  get op(): string {
    if (this.opText === undefined) {
      const v = this.values;
      this.opText = this.kind === 'call'
        ? `${this.name}(${v.map(show).join(', ')})${this.result !== undefined ? ` = ${show(this.result)}` : ''}`
        : `${this.kind} ${show(v[0])}->${this.name} = ${show(v[1])}`;
    }
    return this.opText;
  }
}


function show(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (isArrayValue(v)) return `[${arrayItems(v).map(show).join(', ')}]`;
  const i = v.indexOf(':');
  return i < 0 ? v : v.slice(i + 1);
}

