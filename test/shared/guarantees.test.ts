// A guide step states what to guarantee and why, and leaves the how to the learner; the hints carry the
// how, from a nudge to the exact call (issue 17). What this file can see of that:
// - a step section of an English guide shows no library call with its arguments (the hints do); the
//   lab's own functions and types may be named with their parameters: they are the fixed interface;
// - each step links the concept chapter that explains the attack it stops;
// - every gradable check has at least two hints, and the first (the one the home screen shows) is a
//   nudge that names no library function.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { sectionText } from '#shared/workbook/maintainer/mutants.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

const labs = await discoverLabs();

/** Code in a step's prose: inline spans and fenced code (diagrams and commands to type are not code to write). */
function codeOf(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].filter((match) => !['mermaid', 'bash', 'sh', 'text'].includes(match[1]!)).map((match) => match[2]!);
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const inline = [...prose.matchAll(/`([^`]+)`/g)].map((match) => match[1]!).filter((code) => !/^(node|npm|npx) /.test(code));
  return [...fenced, ...inline];
}

/**
 * The library functions and classes the labs use, whose calls (with their arguments and their order) are
 * the "how" a learner works out from a hint: msal-node, jose, the MCP SDK, the Graph client, node:crypto
 * and node:fs, express and express-rate-limit.
 */
const LIBRARY = [
  'getAuthCodeUrl', 'acquireTokenByCode', 'acquireTokenSilent', 'acquireTokenByDeviceCode', 'acquireTokenInteractive',
  'acquireTokenOnBehalfOf', 'acquireTokenByClientCredential', 'getAccountByHomeId', 'getAllAccounts', 'getTokenCache', 'generatePkceCodes',
  'jwtVerify', 'createRemoteJWKSet', 'createLocalJWKSet', 'decodeJwt', 'decodeProtectedHeader',
  'requireBearerAuth', 'mcpAuthRouter', 'checkResourceAllowed', 'StreamableHTTPServerTransport', 'SSEServerTransport', 'handleRequest',
  'handlePostMessage', 'registerTool', 'getClientCapabilities', 'elicitInput', 'InvalidTokenError', 'InvalidTargetError', 'InvalidGrantError',
  'initWithMiddleware', 'RetryHandler', 'RetryHandlerOptions', 'api',
  'createCipheriv', 'createDecipheriv', 'randomBytes', 'createHash', 'timingSafeEqual', 'setAuthTag', 'getAuthTag',
  'writeFileSync', 'renameSync', 'chmodSync', 'openSync', 'redirect', 'rateLimit',
];
const LIBRARY_CALL = new RegExp(`\\b(${LIBRARY.join('|')})\\s*\\(\\s*[^)\\s]`);
const LIBRARY_NAME = new RegExp(`\\b(${LIBRARY.filter((name) => name !== 'api' && name !== 'redirect').join('|')})\\b`);

describe.each(labs.map((lab) => [lab.id, lab] as const))('lab %s', (_id, lab) => {
  const guide = readFileSync(join(REPO_ROOT, 'labs', lab.slug, 'README.md'), 'utf8');

  test.each(lab.steps.map((step) => [step.id, step] as const))('step %s states its guarantee without dictating the call, and links the concept behind it', (_step, step) => {
    const section = sectionText(guide, step.readme);
    expect(section, `labs/${lab.slug}/README.md has the section ${step.readme}`).toBeDefined();
    const calls = codeOf(section!).filter((code) => LIBRARY_CALL.test(code));
    expect(calls, `step ${step.id} dictates calls with their arguments: move them into the hints of test/${lab.slug}/lab.ts`).toEqual([]);
    expect(section, `step ${step.id} links the chapter that explains why (../../docs/concepts/ or ../../docs/)`).toMatch(/\]\(\.\.\/\.\.\/docs\/[^)]+\.md(#[^)]*)?\)/);
  });

  test('every gradable check has hints from a nudge to the exact call; the first is a nudge', () => {
    for (const check of lab.checks.filter((candidate) => candidate.gradable)) {
      expect(check.hint.length, `${check.id} has at least two hints: a nudge first, the exact call last`).toBeGreaterThanOrEqual(2);
      expect(check.hint[0], `${check.id}'s first hint (the home screen shows it) is a nudge: it names no library function`).not.toMatch(LIBRARY_NAME);
    }
  });
});
