import { describe, expect, test } from 'vitest';
import { checksFor, todoFailure } from '#shared/workbook/check.ts';
import { defineLab } from '#shared/workbook/manifest.ts';
import { todo } from '#shared/workbook/todo.ts';

const lab = defineLab({
  id: '92',
  slug: '92-checks',
  title: 'Checks',
  summary: 'A lab only this test defines.',
  steps: [{ id: '92.1', title: 'Write a check', file: 'src/check.ts', readme: '#step-1-write-a-check' }],
  checks: [{ id: '92.1.1', step: '92.1', title: 'the meta reaches the reporter', points: 4, hint: ['First hint.', 'Second hint.'] }],
});
const check = checksFor(lab);

describe('check()', () => {
  check('92.1.1', ({ task }) => {
    expect(task.name).toBe('92.1.1 the meta reaches the reporter');
    expect(task.meta.workbook).toEqual({
      lab: '92', check: '92.1.1', step: '92.1', title: 'the meta reaches the reporter', points: 4, hint: ['First hint.', 'Second hint.'], gradable: true,
    });
  });

  test('an id the manifest does not list, or a second test for one id, is refused', () => {
    expect(() => check('92.1.7', () => {})).toThrow('test/92-checks/lab.ts lists no check 92.1.7');
    expect(() => check('92.1.1', () => {})).toThrow('written twice');
  });
});

describe('todoFailure()', () => {
  test('a TodoError becomes a failure that is the TODO text, with no stack', () => {
    const failure = todoFailure(todo('92.1'));
    expect(failure?.name).toBe('TodoError');
    expect(failure?.message).toBe('TODO(92.1) Write a check: see labs/92-checks/README.md, step 1 (src/check.ts)');
    expect(failure?.stack).toBe(`TodoError: ${failure?.message}`);
  });

  test('the TODO text is found in a cause or in another message (a child process, a tool result)', () => {
    const wrapped = new Error('tool call failed', { cause: todo('92.1') });
    expect(todoFailure(wrapped)?.message).toMatch(/^TODO\(92\.1\) Write a check/);
    const relayed = new Error('MCP error -32603: TODO(03.2) Redeem the code: see labs/03-x/README.md, step 2\n    at stack');
    expect(todoFailure(relayed)?.message).toBe('TODO(03.2) Redeem the code: see labs/03-x/README.md, step 2');
  });

  test("a TODO of another lab (one this lab builds on) says that lab is not finished, before its TODO text", () => {
    const earlier = new Error('MCP error -32603: TODO(03.1) Start the sign-in: see labs/03-x/README.md, step 1');
    expect(todoFailure(earlier, lab)?.message).toBe('Lab 92 runs on lab 03, which is not finished: TODO(03.1) Start the sign-in: see labs/03-x/README.md, step 1');
    expect(todoFailure(todoFailure(earlier, lab), lab)?.message, 'said once, however often it is applied').toMatch(/^Lab 92 runs on lab 03, which is not finished: TODO\(03\.1\)/);
    expect(todoFailure(todo('92.1'), lab)?.message, "the lab's own TODO reads as it is").toMatch(/^TODO\(92\.1\)/);
  });

  test("a TODO of a later step of the check's own lab says plainly that the check needs that step too", () => {
    const twoSteps = { id: '03', steps: [{ id: '03.4', title: 'Serve', file: 'src/a.ts', readme: '#a' }, { id: '03.5', title: 'Call Graph', file: 'src/b.ts', readme: '#b' }] };
    const later = new Error('TODO(03.5) Call Graph: see labs/03-x/README.md, step 5 (src/b.ts)');
    const failure = todoFailure(later, twoSteps, { id: '03.4.2', step: '03.4' });
    expect(failure?.message, 'a check of step 4 stopped by step 5').toBe('03.4.2 needs step 03.5 too: TODO(03.5) Call Graph: see labs/03-x/README.md, step 5 (src/b.ts)');
    expect(failure?.name, 'still "not started"').toBe('TodoError');
    expect(todoFailure(failure, twoSteps, { id: '03.4.2', step: '03.4' })?.message, 'said once').toMatch(/^03\.4\.2 needs step 03\.5 too: TODO\(03\.5\)/);
    const own = new Error('TODO(03.4) Serve: see labs/03-x/README.md, step 4 (src/a.ts)');
    expect(todoFailure(own, twoSteps, { id: '03.4.2', step: '03.4' })?.message, "the check's own step reads as it is").toMatch(/^TODO\(03\.4\)/);
    expect(todoFailure(later, twoSteps, { id: '03.5.1', step: '03.5' })?.message, 'nor does an earlier one').toMatch(/^TODO\(03\.5\)/);
  });

  test('any other error is left alone', () => {
    expect(todoFailure(new Error('expected 401, got 200'))).toBeUndefined();
    expect(todoFailure('not an error')).toBeUndefined();
  });
});
