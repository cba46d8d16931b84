/**
 * Whether a header is compiled at all: architectures pick headers by configuration
 * (`#ifdef CONFIG_X86_32 / #include <asm/atomic64_32.h> / #else / #include
 * <asm/atomic64_64.h>`, `#ifdef CONFIG_SLAB / #include <linux/slab_def.h>`). Two headers
 * defining the same inline function are told apart by the conditions around the
 * `#include` lines that name them, read line by line (no parse).
 */
import { evalCondition, type PreprocEnv } from '../lift/index.js';

type Tri = boolean | undefined;

const and = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : a === undefined || b === undefined ? undefined : true);
const not = (a: Tri): Tri => (a === undefined ? undefined : !a);
const or = (a: Tri, b: Tri): Tri => (a === true || b === true ? true : a === undefined || b === undefined ? undefined : false);

interface Group {
  /** some earlier branch of the group was taken */
  taken: Tri;
  /** this branch is taken */
  current: Tri;
}

/**
 * Whether `text` includes a header whose include path ends with `suffix` (`asm/atomic64_32.h`)
 * in a compiled branch: true if some such #include is compiled, false if every one is
 * ruled out, undefined when there is none or the conditions are not settled.
 */
export function includeCompiled(text: string, suffix: string, env: PreprocEnv): Tri {
  if (!text.includes(suffix)) return undefined;
  const lines = text.replace(/\\\r?\n/g, ' ').split('\n');
  const stack: Group[] = [];
  const here = (): Tri => stack.reduce<Tri>((acc, g) => and(acc, g.current), true);
  let result: Tri | 'none' = 'none';
  const condOf = (kind: string, rest: string, next: string | undefined): Tri => {
    if (kind === 'if' || kind === 'elif') return evalCondition(rest, env);
    const name = rest.trim().split(/\s+/)[0] ?? '';
    const v = env.macro(name);
    if (v === undefined) {
      // an include guard: #ifndef X followed by #define X
      if (kind === 'ifndef' && next && new RegExp(`^\\s*#\\s*define\\s+${name}\\b`).test(next)) return true;
      return undefined;
    }
    const defined = v !== null && v !== 'm';
    return kind === 'ifdef' ? defined : !defined;
  };
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*#\s*(ifdef|ifndef|if|elif|else|endif|include)\b(.*)$/.exec(lines[i]);
    if (!m) continue;
    const [, kind, rest] = m;
    if (kind === 'if' || kind === 'ifdef' || kind === 'ifndef') {
      const c = condOf(kind, rest, lines[i + 1]);
      stack.push({ taken: c, current: c });
    } else if (kind === 'elif') {
      const g = stack[stack.length - 1];
      if (!g) continue;
      const c = condOf('elif', rest, undefined);
      g.current = and(not(g.taken), c);
      g.taken = or(g.taken, c);
    } else if (kind === 'else') {
      const g = stack[stack.length - 1];
      if (!g) continue;
      g.current = not(g.taken);
      g.taken = true;
    } else if (kind === 'endif') {
      stack.pop();
    } else if (kind === 'include') {
      const target = /[<"]([^>"]+)[>"]/.exec(rest)?.[1];
      if (!target || !(target === suffix || target.endsWith(`/${suffix}`) || suffix.endsWith(`/${target}`))) continue;
      const c = here();
      result = result === 'none' ? c : or(result, c);
    }
  }
  return result === 'none' ? undefined : result;
}
