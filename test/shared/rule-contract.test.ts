// Lab 01's settings rules fail with the rule they implement when they throw or return a non-message,
// never with a raw TypeError that loses the check's label.
import { expect, test } from 'vitest';
import { todo } from '#shared/workbook/todo.ts';
import { keptToContract } from '../01-registration/rule-contract.ts';

const RULE = 'a confidential client needs a secret of at least 16 characters';

test('a rule that throws fails with the call, what it threw and the rule', () => {
  const rule = keptToContract('clientSecretProblem', (value: string | undefined) => (value!.length < 16 ? 'too short' : undefined), RULE);
  expect(() => rule(undefined), 'the call, the TypeError and the rule').toThrow(/^clientSecretProblem\(undefined\) threw TypeError: .*The rule: a confidential client needs a secret of at least 16 characters\./);
});

test('a rule that returns a boolean fails with the rule, not with toMatch on a boolean', () => {
  const rule = keptToContract('clientSecretProblem', (value: string) => value.length >= 16, RULE);
  expect(() => rule('short~secret'), 'what it returned and the rule').toThrow('clientSecretProblem("short~secret") returned boolean false. The rule: a confidential client needs a secret of at least 16 characters.');
});

test('a message or undefined passes through, and a TODO stays a TODO', () => {
  const rule = keptToContract('clientSecretProblem', (value: string) => (value.length < 16 ? 'too short' : undefined), RULE);
  expect([rule('short'), rule('x'.repeat(16))], 'the verdicts unchanged').toEqual(['too short', undefined]);
  const starter = keptToContract('tenantIdProblem', () => { throw todo('01.1'); }, 'a tenant is a GUID');
  expect(() => starter(), 'the starter still says TODO(01.1)').toThrow(/^TODO\(01\.1\)/);
});
