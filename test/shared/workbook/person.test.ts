import { expect, test } from 'vitest';
import { catchRedirect, NEEDS_PERSON, noPersonReason, personTimeoutMs } from '#shared/workbook/person.ts';

test('a live check waits for a person only when WORKBOOK_INTERACTIVE=1 says one is there', () => {
  expect(noPersonReason({ WORKBOOK_MODE: 'mock' }), 'mock mode needs nobody').toBeUndefined();
  expect(noPersonReason({ WORKBOOK_MODE: 'live' })).toBe(NEEDS_PERSON);
  expect(noPersonReason({ WORKBOOK_MODE: 'live', WORKBOOK_INTERACTIVE: '1' })).toBeUndefined();
});

test('the wait is bounded: WORKBOOK_PERSON_TIMEOUT seconds, 180 by default or when nonsense', () => {
  expect(personTimeoutMs({})).toBe(180_000);
  expect(personTimeoutMs({ WORKBOOK_PERSON_TIMEOUT: '30' })).toBe(30_000);
  expect(personTimeoutMs({ WORKBOOK_PERSON_TIMEOUT: 'soon' })).toBe(180_000);
});

test('the loopback listener catches the browser coming back, and gives up after the timeout', async () => {
  const catcher = await catchRedirect(5_000);
  try {
    expect(catcher.redirectUri, 'a registered http://localhost matches it, whatever the port').toMatch(/^http:\/\/localhost:\d+$/);
    const page = await fetch(`${catcher.redirectUri}?code=abc&state=xyz`);
    expect(await page.text()).toContain('You can close this tab');
    const arrived = await catcher.arrival;
    expect(arrived.searchParams.get('code')).toBe('abc');
  } finally {
    await catcher.close();
  }
  const nobody = await catchRedirect(50);
  await expect(nobody.arrival).rejects.toThrow(/Nobody signed in within 0.05 s/);
  await nobody.close();
});
