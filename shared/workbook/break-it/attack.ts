// attack(): one move of a lab's "Break it" section. It is a vitest test that sends a provided attack at
// the learner's own code and records what it sent and what came back, so `npm start -- break NN` can tell
// it as a story and name the check that guards the same rule on every run.
//   const attack = attacksFor(lab);
//   attack('03.2.1', 'replay the callback URL of a finished sign-in', async (say) => { ...; expect(...) });
// The test passes when the code held. An expect that fails is the attack getting through; its label says
// what got through.
import { test } from 'vitest';
import { todoFailure } from '../check.ts';
import type { Lab } from '../manifest.ts';

/** What the story of one attack carries to `npm start -- break NN`, attached to its vitest test. */
export interface AttackMeta {
  lab: string;
  /** The check that proves the same rule on every run of `npm test`. */
  proves: string;
  title: string;
  /** What was sent (→), what came back (←) and what it means (·), secrets already hidden. */
  lines: string[];
}

declare module 'vitest' {
  interface TaskMeta {
    breakIt?: AttackMeta;
  }
}

/**
 * The attacker's notebook. Every line goes through `hide` first: a value given to `secret()` (a code, a
 * state, a token) is shown by its name in ‹angle quotes›, never as itself, even when the code under attack
 * leaks it into an answer.
 */
export interface Narrator {
  /** What the attacker sends. */
  send(text: string): void;
  /** What came back. */
  answer(text: string): void;
  /** What that means, or what the attacker knows beforehand. */
  note(text: string): void;
  /** From now on, `value` is printed as ‹name›. Returns the value, for use inline. */
  secret<T extends string>(value: T, name: string): T;
}

export type AttackFunction = (say: Narrator) => unknown;

export function attacksFor(lab: Lab): (proves: string, title: string, fn: AttackFunction) => void {
  return function attack(proves, title, fn) {
    const check = lab.checks.find((candidate) => candidate.id === proves);
    if (!check) throw new Error(`attack('${proves}'): test/${lab.slug}/lab.ts lists no check ${proves}`);
    const meta: AttackMeta = { lab: lab.id, proves, title, lines: [] };
    test(title, { meta: { breakIt: meta } }, async () => {
      try {
        await fn(narrator(meta.lines));
      } catch (error) {
        // An unfinished step is not a hole in the learner's code: the attack has nothing to attack yet.
        throw todoFailure(error, lab) ?? error;
      }
    });
  };
}

/** A notebook that writes into `lines` (exported for its own test). */
export function narrator(lines: string[]): Narrator {
  const secrets = new Map<string, string>();
  const hide = (text: string) => {
    let shown = text;
    for (const [value, name] of secrets) shown = shown.replaceAll(value, `‹${name}›`);
    return shown;
  };
  return {
    send: (text) => lines.push(`→ ${hide(text)}`),
    answer: (text) => lines.push(`← ${hide(text)}`),
    note: (text) => lines.push(`· ${hide(text)}`),
    secret(value, name) {
      // Longest first, so a value that contains a shorter secret is hidden whole.
      if (value.length >= 8) secrets.set(value, name);
      const sorted = [...secrets].sort(([a], [b]) => b.length - a.length);
      secrets.clear();
      for (const [key, label] of sorted) secrets.set(key, label);
      return value;
    },
  };
}

/** An HTTP answer in one line: its status, then its Location, or else the start of its body. */
export async function answerLine(response: Response, bodyChars = 120): Promise<string> {
  const location = response.headers.get('location');
  if (location) return `${response.status}  Location: ${location}`;
  const body = (await response.clone().text()).replace(/\s+/g, ' ').trim();
  const shownBody = body.length > bodyChars ? `${body.slice(0, bodyChars)}…` : body;
  return shownBody ? `${response.status}  ${shownBody}` : `${response.status}`;
}
