// Graph's `application` types are declared once, in shared/entra/graph-application.ts: lab 01 (which
// sends and reads app registrations through Graph) and the fake tenant (which keeps them) both import
// them. A second declaration would drift from the first without anyone noticing.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

const HOME = 'shared/entra/graph-application.ts';
/** What declares one of Graph's application types (or spells one out inline) rather than importing it. */
const DECLARATION = /\b(?:interface|type)\s+(?:PermissionScope|AppRole|RequiredResourceAccess|SignInAudience)\b|oauth2PermissionScopes:\s*Array<\{|appRoles\??:\s*Array<\{|passwordCredentials:\s*Array<\{|'AzureADMyOrg'\s*\|/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test("Graph's application types are declared only in shared/entra/graph-application.ts", () => {
  const files = ['shared', 'solutions', 'labs'].flatMap((dir) => sourceFiles(join(REPO_ROOT, dir)));
  const declaring = files.map((file) => relative(REPO_ROOT, file).split('\\').join('/')).filter((file) => DECLARATION.test(readFileSync(join(REPO_ROOT, file), 'utf8')));
  expect(declaring, `declare them once, in ${HOME}, and import them`).toEqual([HOME]);
});
