// Finding a browser (shared/workbook/browser.ts) on made-up machines: Linux boxes, a Mac, a Windows PC,
// each with its own files, environment and playwright-core answers. No real browser is needed, and
// none is ever launched; the last tests ask the installed playwright-core for real.
import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import { browserNameOf, findBrowser, headlessArgs, NO_BROWSER, playwrightChannelPath, type Channel, type Machine } from '#shared/workbook/browser.ts';

interface MadeUp {
  env?: NodeJS.ProcessEnv;
  /** Where playwright-core's channels find their browsers. */
  channels?: Partial<Record<Channel, string>>;
  /** playwright-core's lookup fails (a release moved its registry). */
  channelsBroken?: boolean;
}

/** A machine whose only executable files are `files`; `asked` records the channels playwright-core was asked about. */
function machine(platform: NodeJS.Platform, files: string[], { env = {}, channels = {}, channelsBroken = false }: MadeUp = {}): Machine & { asked: Channel[] } {
  const asked: Channel[] = [];
  return {
    platform,
    env,
    home: platform === 'win32' ? 'C:\\Users\\ada' : platform === 'darwin' ? '/Users/ada' : '/home/ada',
    isExecutable: (path) => files.includes(path),
    channelPath: (channel) => {
      asked.push(channel);
      if (channelsBroken) throw new Error('playwright-core 9.0.0 has no registry in lib/coreBundle');
      return channels[channel];
    },
    asked,
  };
}

const LINUX_PATH = '/usr/local/bin:/usr/bin:/bin';

test("Linux: Debian's chromium, as on this course's machines, without asking playwright-core", () => {
  const debian = machine('linux', ['/usr/bin/chromium'], { env: { PATH: LINUX_PATH } });
  expect(findBrowser(debian)).toEqual({ found: { name: 'Chromium', path: '/usr/bin/chromium', how: 'the command chromium in /usr/bin' } });
  expect(debian.asked, 'a path check sufficed').toEqual([]);
});

test("Linux: GitHub's Ubuntu runners have google-chrome; a folder on PATH comes first; snap's chromium is found without /snap/bin on PATH", () => {
  const runner = machine('linux', ['/usr/bin/google-chrome', '/opt/google/chrome/chrome'], { env: { PATH: LINUX_PATH }, channels: { chrome: '/opt/google/chrome/chrome' } });
  expect(findBrowser(runner).found).toEqual({ name: 'Google Chrome', path: '/usr/bin/google-chrome', how: 'the command google-chrome in /usr/bin' });

  const own = machine('linux', ['/usr/bin/chromium', '/home/ada/bin/chromium'], { env: { PATH: `/home/ada/bin:${LINUX_PATH}` } });
  expect(findBrowser(own).found?.path).toBe('/home/ada/bin/chromium');

  const snap = machine('linux', ['/snap/bin/chromium'], { env: { PATH: '/usr/bin:/bin' } });
  expect(findBrowser(snap).found).toEqual({ name: 'Chromium', path: '/snap/bin/chromium', how: 'the command chromium in /snap/bin' });

  const edge = machine('linux', ['/usr/bin/microsoft-edge-stable'], { env: { PATH: LINUX_PATH } });
  expect(findBrowser(edge).found?.name).toBe('Microsoft Edge');
});

test("Linux: Chrome or Edge where only playwright-core's channels look (/opt), chrome first", () => {
  const opt = machine('linux', [], { env: { PATH: LINUX_PATH }, channels: { chrome: '/opt/google/chrome/chrome', msedge: '/opt/microsoft/msedge/msedge' } });
  expect(findBrowser(opt).found).toEqual({ name: 'Google Chrome', path: '/opt/google/chrome/chrome', how: 'playwright-core\'s "chrome" channel' });
  const edgeOnly = machine('linux', [], { env: { PATH: LINUX_PATH }, channels: { msedge: '/opt/microsoft/msedge/msedge' } });
  expect(findBrowser(edgeOnly).found).toMatchObject({ name: 'Microsoft Edge', how: 'playwright-core\'s "msedge" channel' });
  expect(edgeOnly.asked).toEqual(['chrome', 'msedge']);
});

test('macOS: Chromium.app in /Applications or ~/Applications; Chrome and Edge through playwright-core', () => {
  const chromium = machine('darwin', ['/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium']);
  expect(findBrowser(chromium).found).toEqual({ name: 'Chromium', path: '/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium', how: 'Chromium.app in /Users/ada/Applications' });

  const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
  expect(findBrowser(machine('darwin', [chrome], { channels: { chrome } })).found).toMatchObject({ name: 'Google Chrome', path: chrome });
  const edge = '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge';
  expect(findBrowser(machine('darwin', [edge], { channels: { msedge: edge } })).found).toMatchObject({ name: 'Microsoft Edge', path: edge });
});

test("Windows: Chromium in LOCALAPPDATA; Chrome and Edge in Program Files through playwright-core; WORKBOOK_BROWSER=msedge on PATH", () => {
  const env = { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local', PROGRAMFILES: 'C:\\Program Files', Path: 'C:\\Windows\\system32;C:\\Tools' };
  const chromium = 'C:\\Users\\ada\\AppData\\Local\\Chromium\\Application\\chrome.exe';
  expect(findBrowser(machine('win32', [chromium], { env })).found).toEqual({ name: 'Chromium', path: chromium, how: 'Chromium in C:\\Users\\ada\\AppData\\Local' });

  const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
  expect(findBrowser(machine('win32', [edge], { env, channels: { msedge: edge } })).found).toMatchObject({ name: 'Microsoft Edge', path: edge });

  const onPath = machine('win32', ['C:\\Tools\\msedge.exe'], { env: { ...env, WORKBOOK_BROWSER: 'msedge' } });
  expect(findBrowser(onPath).found).toEqual({ name: 'Microsoft Edge', path: 'C:\\Tools\\msedge.exe', how: 'WORKBOOK_BROWSER' });
});

test('WORKBOOK_BROWSER comes first; one it names that is not there is reported, never replaced by another', () => {
  const files = ['/usr/bin/chromium', '/opt/chrome-for-testing/chrome'];
  expect(findBrowser(machine('linux', files, { env: { PATH: LINUX_PATH, WORKBOOK_BROWSER: '/opt/chrome-for-testing/chrome' } })).found).toEqual({ name: 'Google Chrome', path: '/opt/chrome-for-testing/chrome', how: 'WORKBOOK_BROWSER' });
  expect(findBrowser(machine('linux', files, { env: { PATH: LINUX_PATH, WORKBOOK_BROWSER: 'chromium' } })).found).toMatchObject({ path: '/usr/bin/chromium', how: 'WORKBOOK_BROWSER' });

  const wrong = findBrowser(machine('linux', files, { env: { PATH: LINUX_PATH, WORKBOOK_BROWSER: '/opt/google/chrome/chrome' } }));
  expect(wrong).toEqual({
    reason: 'WORKBOOK_BROWSER names /opt/google/chrome/chrome, which is not an executable file: correct it, or unset it',
    looked: ['WORKBOOK_BROWSER=/opt/google/chrome/chrome'],
    named: 'WORKBOOK_BROWSER',
  });
  expect(findBrowser(machine('linux', files, { env: { PATH: LINUX_PATH, WORKBOOK_BROWSER: 'chrome' } })).found).toBeUndefined();
  expect(findBrowser(machine('linux', files, { env: { PATH: LINUX_PATH, WORKBOOK_BROWSER: 'chrome' } }))).toMatchObject({ reason: expect.stringContaining('nor a command on PATH') });
  expect(findBrowser(machine('linux', files, { env: { WORKBOOK_BROWSER: '  ' } })).found, 'blank is unset').toMatchObject({ path: '/usr/bin/chromium' });
});

test('WORKBOOK_CHROMIUM, the old name, still works and says to rename it; WORKBOOK_BROWSER wins over it', () => {
  const files = ['/usr/bin/chromium', '/opt/google/chrome/chrome'];
  expect(findBrowser(machine('linux', files, { env: { WORKBOOK_CHROMIUM: '/opt/google/chrome/chrome' } }))).toEqual({
    found: { name: 'Google Chrome', path: '/opt/google/chrome/chrome', how: 'WORKBOOK_CHROMIUM, the old name of WORKBOOK_BROWSER' },
    named: 'WORKBOOK_CHROMIUM',
  });
  expect(findBrowser(machine('linux', files, { env: { WORKBOOK_CHROMIUM: '/opt/google/chrome/chrome', WORKBOOK_BROWSER: '/usr/bin/chromium' } })).found?.how).toBe('WORKBOOK_BROWSER');
  expect(findBrowser(machine('linux', files, { env: { WORKBOOK_CHROMIUM: '/nowhere/chromium' } }))).toMatchObject({ reason: expect.stringMatching(/^WORKBOOK_CHROMIUM names \/nowhere\/chromium/) });
});

test('none found: the reason says how to name one, and where the search looked', () => {
  const bare = machine('linux', [], { env: { PATH: LINUX_PATH } });
  expect(findBrowser(bare)).toEqual({
    reason: NO_BROWSER,
    looked: [
      'WORKBOOK_BROWSER (not set)',
      'chromium, chromium-browser, google-chrome-stable, google-chrome, microsoft-edge-stable, microsoft-edge on PATH and in /usr/bin, /snap/bin',
      "playwright-core's channels chrome and msedge",
    ],
  });
  expect(NO_BROWSER).toBe('no Chrome, Chromium or Edge found: install one, or set WORKBOOK_BROWSER to its path');
  const mac = findBrowser(machine('darwin', []));
  expect(mac.found ? [] : mac.looked).toContain('/Applications/Chromium.app/Contents/MacOS/Chromium, /Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium');
  const moved = findBrowser(machine('darwin', [], { channelsBroken: true }));
  expect(moved.found ? [] : moved.looked, "a playwright-core that moved its registry is named, not a crash").toContain("playwright-core's channels (not available: playwright-core 9.0.0 has no registry in lib/coreBundle)");
});

test("a path's browser is told by its name", () => {
  expect(['/usr/bin/chromium-browser', 'C:\\Chromium\\Application\\chrome.exe', '/usr/bin/google-chrome', 'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe', '/opt/x/thing'].map(browserNameOf)).toEqual([
    'Chromium',
    'Chromium',
    'Google Chrome',
    'Microsoft Edge',
    'the browser WORKBOOK_BROWSER names',
  ]);
});

test('headless flags: no sandbox on Linux only, nothing fetched in the background anywhere', () => {
  const linux = headlessArgs('linux');
  expect(linux).toEqual(expect.arrayContaining(['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']));
  expect(headlessArgs('darwin')).not.toContain('--no-sandbox');
  expect(headlessArgs('win32')).toEqual(linux.filter((flag) => flag !== '--no-sandbox'));
});

// If a playwright-core release moves its registry, this fails here (and doctor names it), instead of
// Chrome and Edge silently going unfound on macOS and Windows.
test('the installed playwright-core answers for its chrome and msedge channels: a browser that is there, or none', () => {
  for (const channel of ['chrome', 'msedge'] as const) {
    const path = playwrightChannelPath(channel);
    expect(path === undefined || existsSync(path), `${channel}: ${path}`).toBe(true);
  }
});
