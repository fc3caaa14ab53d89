// A failure on structured values shows the fields that differ, under their keys; nothing more.
import { expect, test } from 'vitest';
import { compactDiff } from '#shared/workbook/failure-diff.ts';
import { failureMessage } from '#shared/workbook/outcomes.ts';
import { authInfoFailure, dim, green, red } from './failure-fixture.ts';

test('the differing fields, with the objects that hold them and no unchanged field', () => {
  expect(compactDiff(authInfoFailure), 'expiresAt and extra.tid, under their parents').toEqual([
    'expected (-) and received (+), the fields that differ:',
    '  {',
    '-   "expiresAt": 1700000000,',
    '+   "expiresAt": 1700000000000,',
    '    "extra": {',
    '-     "tid": "x",',
    '+     "tid": "t",',
  ]);
});

test('the failure message carries the label, the first line and the diff below them', () => {
  const message = failureMessage(authInfoFailure, '/repo');
  expect(message.split('\n')[0], 'the label first').toMatch(/^the session token expires in seconds, as the SDK reads expiresAt: expected/);
  expect(message, 'the wrong field is named').toContain('\n  -   "expiresAt": 1700000000,\n  +   "expiresAt": 1700000000000,');
});

test('no diff for primitives (the message has them) nor for the Expected/Received form that prints a whole text', () => {
  const primitive = { expected: '200', actual: '401', diff: `${green('- Expected')}\n${red('+ Received')}\n\n${green('- 200')}\n${red('+ 401')}` };
  expect(compactDiff(primitive), 'a number is in the message already').toEqual([]);
  const secret = 'S3cr3t-value-very-secret-1234567890';
  const contained = { expected: secret, actual: `line one\nclient_secret=${secret}`, diff: `Expected: ${green(`"${secret}"`)}\nReceived: ${red(`"line one\\nclient_secret=${secret}"`)}` };
  expect(compactDiff(contained), 'a log that holds a secret is never printed whole').toEqual([]);
  const same = { expected: '{\n  "a": 1,\n}', actual: '{\n  "a": 1,\n}', diff: dim('Compared values have no visual difference.') };
  expect(compactDiff(same), 'a failed not.toEqual has nothing to show').toEqual([]);
});

test('long lines are cut and many changes are counted, not printed', () => {
  const changes = Array.from({ length: 20 }, (_, index) => [green(`-   "f${index}": "${'x'.repeat(150)}",`), red(`+   "f${index}": "y",`)]).flat();
  const error = { expected: '{\n}', actual: '{\n}', diff: [green('- Expected'), red('+ Received'), '', dim('  {'), ...changes].join('\n') };
  const lines = compactDiff(error);
  expect(Math.max(...lines.map((line) => line.length)), 'no line wider than 100 characters').toBeLessThanOrEqual(100);
  expect(lines.at(-1), 'the rest counted').toBe('… (28 more changed lines)');
});
