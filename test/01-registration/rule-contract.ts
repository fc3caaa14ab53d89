// A settings rule reports a problem by returning its message and accepts a value by returning undefined.
// A rule that throws (`value.length` of an unset secret) or returns something else (a boolean) fails
// here with a sentence naming the call and the rule it implements: not with a raw TypeError, from the
// rule or from vitest's toMatch on a non-string, that loses the check's label.
import { todoFailure } from '#shared/workbook/check.ts';

export function keptToContract<A extends unknown[]>(name: string, rule: (...args: A) => unknown, theRule: string): (...args: A) => string | undefined {
  return (...args) => {
    const call = `${name}(${args.map((arg) => (arg === undefined ? 'undefined' : JSON.stringify(arg))).join(', ')})`;
    let verdict: unknown;
    try {
      verdict = rule(...args);
    } catch (error) {
      if (todoFailure(error)) throw error;
      const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(`${call} threw ${what}. The rule: ${theRule}. Report a problem by returning its message, never by throwing.`, { cause: error });
    }
    if (verdict !== undefined && typeof verdict !== 'string') {
      throw new Error(`${call} returned ${typeof verdict} ${String(verdict)}. The rule: ${theRule}. Return a message saying what is wrong, or undefined to accept the value.`);
    }
    return verdict;
  };
}
