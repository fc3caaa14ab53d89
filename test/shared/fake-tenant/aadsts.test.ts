// The fake tenant's AADSTS catalogue (shared/fake-tenant/entra/aadsts.ts) and the page that documents it
// (docs/fake-tenant.md, and its Chinese twin) say the same: every code the catalogue has is in the page's
// table with each of its `error` values, and every code the page names is one the tenant answers with.
// No handler writes a code of its own: they all go through the catalogue.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AADSTS, AADSTS_ON_SIGN_IN_PAGE, aadsts, signInPageError } from '#shared/fake-tenant/entra/aadsts.ts';
import { EntraError } from '#shared/fake-tenant/entra/errors.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { prose } from '../markdown.ts';

/** code -> the `error` values the tenant sends with it (none for a code only the sign-in page shows). */
function catalogue(): Map<number, Set<string>> {
  const codes = new Map<number, Set<string>>();
  for (const { code, error } of Object.values(AADSTS)) codes.set(code, (codes.get(code) ?? new Set()).add(error));
  for (const { code } of Object.values(AADSTS_ON_SIGN_IN_PAGE)) codes.set(code, codes.get(code) ?? new Set());
  return codes;
}

/** The page's table of codes: its rows `| code | `error`, ... | when |`, under the heading that holds "AADSTS". */
function documentedCodes(markdown: string): Map<number, Set<string>> {
  const section = /^## .*AADSTS.*$([\s\S]*?)(?=^## )/m.exec(markdown)?.[1] ?? '';
  const codes = new Map<number, Set<string>>();
  for (const [, code, errors] of section.matchAll(/^\| (\d+) \| ([^|]*) \|/gm)) {
    codes.set(Number(code), new Set([...errors!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)));
  }
  return codes;
}

/** Every AADSTS code a page names in its prose: `AADSTS50011`, or a 5-7 digit number such as (54005). */
function codesNamed(markdown: string): number[] {
  return [...prose(markdown).matchAll(/(?:AADSTS|\b)(\d{5,7})\b/g)].map((match) => Number(match[1]));
}

const asObject = (codes: Map<number, Set<string>>) => Object.fromEntries([...codes].map(([code, errors]) => [code, [...errors].sort()]));

const PAGES = ['docs/fake-tenant.md', 'docs/zh-CN/fake-tenant.md'];

describe.each(PAGES)('%s documents the AADSTS catalogue', (page) => {
  const markdown = readFileSync(join(REPO_ROOT, page), 'utf8');

  test('its table has every code of the catalogue, with the same error values, and no other', () => {
    expect(asObject(documentedCodes(markdown)), `${page}: the table under "AADSTS codes" against shared/fake-tenant/entra/aadsts.ts`).toEqual(asObject(catalogue()));
  });

  test('every code it names is one the tenant answers with', () => {
    const unknown = codesNamed(markdown).filter((code) => !catalogue().has(code));
    expect(unknown, `${page} names codes the catalogue does not have`).toEqual([]);
  });
});

test('the comparison catches a missing row, a wrong error value and an extra code', () => {
  const table = (rows: string) => `## The AADSTS codes\n| code | error | when |\n| --- | --- | --- |\n${rows}\n## Next\n`;
  expect(asObject(documentedCodes(table('| 54005 | `invalid_grant` | twice |\n| 70016 | `slow_down` | fast |')))).toEqual({
    54005: ['invalid_grant'],
    70016: ['slow_down'],
  });
  const full = asObject(catalogue());
  expect(full[70016], 'both error values of 70016').toEqual(['authorization_pending', 'slow_down']);
  expect(asObject(documentedCodes(table('| 54005 | `invalid_grant` | twice |')))).not.toEqual(full);
  expect(codesNamed('a replayed code (54005), `AADSTS50076`\n```ts\nfailNextToken(12345)\n```\n')).toEqual([54005, 50076]);
});

test('the catalogue makes the errors the handlers throw, word for word', () => {
  const failure = aadsts('unknownClient', 'abc', 'contoso');
  expect(failure).toBeInstanceOf(EntraError);
  expect(failure).toMatchObject({ code: 700016, error: 'unauthorized_client', status: 400 });
  expect(failure.message).toMatch(/^AADSTS700016: Application with identifier 'abc' was not found in the directory 'contoso'\./);
  expect(aadsts('invalidClientSecret', 'abc')).toMatchObject({ code: 7000215, error: 'invalid_client', status: 401 });
  expect(aadsts('refreshTokenRevoked', 0)).toMatchObject({ code: 50173, suberror: 'bad_token', description: expect.stringContaining("issued on '1970-01-01T00:00:00.000Z'") });
  expect(aadsts('unknownUser').description).toBe('The user account does not exist in this directory.');
  expect(aadsts('unknownUser', 'x@contoso.onmicrosoft.com').description).toBe('The user account x@contoso.onmicrosoft.com does not exist in this directory.');
  expect(signInPageError('wrongPassword')).toBe('AADSTS50126: Error validating credentials due to invalid username or password.');
});

test('no handler of the fake tenant writes an AADSTS code of its own', () => {
  const dir = join(REPO_ROOT, 'shared', 'fake-tenant');
  const inline = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const source = readFileSync(join(dir, file), 'utf8');
      if (source.includes('export const AADSTS = {')) return []; // the catalogue itself
      const code = source.replace(/^\s*(\/\/|\*|\/\*).*$/gm, ''); // comments may name codes
      return /new EntraError\(\s*\d|['"`]AADSTS\d/.test(code) ? [file] : [];
    });
  expect(inline, 'files that write an AADSTS code instead of using entra/aadsts.ts').toEqual([]);
});
