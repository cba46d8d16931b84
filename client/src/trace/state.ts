/**
 * The state after each step of a trace, rebuilt from the steps' structured changes
 * (never from their prose): the trace view shows it next to the step and marks what
 * the step changed. Pure, no vscode import.
 */
import type { RunResultJson, StateChangeJson, TraceStepJson } from '../protocol.js';

export type StateValue = StateChangeJson['to'];

/** One field of one object after a step; `changedFrom` is set when this step changed it. */
export interface FieldAfterStep {
  field: string;
  value: StateValue;
  changed: boolean;
  changedFrom?: StateValue;
}

export interface ObjectAfterStep {
  object: string;
  fields: FieldAfterStep[];
}

/** Objects and fields in the order the trace first touches them. */
interface Layout {
  objects: string[];
  fields: Map<string, string[]>;
  initial: Map<string, StateValue>;
}

const key = (object: string, field: string): string => `${object}\u0000${field}`;

function layoutOf(trace: readonly TraceStepJson[]): Layout {
  const objects: string[] = [];
  const fields = new Map<string, string[]>();
  const initial = new Map<string, StateValue>();
  for (const step of trace) {
    for (const c of step.changes ?? []) {
      let list = fields.get(c.object);
      if (!list) {
        list = [];
        fields.set(c.object, list);
        objects.push(c.object);
      }
      const k = key(c.object, c.field);
      if (!initial.has(k)) {
        list.push(c.field);
        // the value before the first change is the value the run started from
        initial.set(k, c.from);
      }
    }
  }
  return { objects, fields, initial };
}

/**
 * `states[i]` is the state after trace row i: every object and field the trace ever
 * changes, with the fields row i changed marked.
 */
export function statesAfterSteps(result: Pick<RunResultJson, 'trace'>): ObjectAfterStep[][] {
  const trace = result.trace ?? [];
  const layout = layoutOf(trace);
  const current = new Map(layout.initial);
  const states: ObjectAfterStep[][] = [];
  for (const step of trace) {
    const changedHere = new Map<string, StateValue>();
    for (const c of step.changes ?? []) {
      const k = key(c.object, c.field);
      // a row that changes a field twice shows where it came from before the row
      if (!changedHere.has(k)) changedHere.set(k, current.get(k) ?? c.from);
      current.set(k, c.to);
    }
    states.push(layout.objects.map((object) => ({
      object,
      fields: (layout.fields.get(object) ?? []).map((field) => {
        const k = key(object, field);
        const f: FieldAfterStep = { field, value: current.get(k) ?? null, changed: changedHere.has(k) };
        if (f.changed) f.changedFrom = changedHere.get(k);
        return f;
      }),
    })));
  }
  return states;
}

/** How a value reads in the view: booleans as 1/0 like page flags, null as "—". */
export function showValue(v: StateValue | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}
