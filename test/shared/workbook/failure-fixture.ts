// A failed assertion as vitest serializes it (colours included), for the tests of what a learner sees.
export const green = (text: string) => `\u001b[32m${text}\u001b[39m`;
export const red = (text: string) => `\u001b[31m${text}\u001b[39m`;
export const dim = (text: string) => `\u001b[2m${text}\u001b[22m`;

/** What vitest serializes for a failed toMatchObject on an AuthInfo with expiresAt in milliseconds. */
export const authInfoFailure = {
  name: 'AssertionError',
  message: 'the session token expires in seconds, as the SDK reads expiresAt: expected { token: \'abc\', …(4) } to match object { token: \'abc\', …(3) }',
  expected: '{\n  "expiresAt": 1700000000,\n  "extra": {\n    "oid": "o",\n    "tid": "x",\n  },\n  "token": "abc",\n}',
  actual: '{\n  "expiresAt": 1700000000000,\n  "extra": {\n    "oid": "o",\n    "tid": "t",\n  },\n  "token": "abc",\n}',
  diff: [
    green('- Expected'), red('+ Received'), '', '\u001b[33m@@ -1,10 +1,10 @@\u001b[39m', dim('  {'),
    green('-   "expiresAt": 1700000000,'), red('+   "expiresAt": 1700000000000,'),
    dim('    "extra": {'), dim('      "oid": "o",'), green('-     "tid": "x",'), red('+     "tid": "t",'), dim('    },'),
    dim('    "scopes": ['), dim('      "a",'), dim('    ],'), dim('    "token": "abc",'),
  ].join('\n'),
};

