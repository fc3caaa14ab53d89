// The browser a check drives headless (03.5.4, the fake tenant's browser test) and `doctor` reports: a
// Chrome, Chromium or Edge already on this machine, never one downloaded. Where it looks, in order:
//   1. WORKBOOK_BROWSER: a path, or a command on PATH (WORKBOOK_CHROMIUM, its old name, still works);
//   2. where packages and installers put Chromium, and the commands Linux packages add (google-chrome,
//      microsoft-edge, snap's /snap/bin/chromium), places playwright-core does not know;
//   3. playwright-core's channels `chrome` and `msedge`: where Google and Microsoft install their
//      browsers on Linux, macOS and Windows. playwright-core's registry knows, so this file asks it
//      instead of repeating its table.
// Finding one is a file check, never a launch. The search is given its machine (OS, environment, file
// checks, playwright-core's lookup), so its tests run it on made-up ones.
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import type { Browser } from 'playwright-core';

export interface FoundBrowser {
  /** Chromium, Google Chrome or Microsoft Edge (from its path, when WORKBOOK_BROWSER names it). */
  name: string;
  path: string;
  /** How it was found: `WORKBOOK_BROWSER`, `the command chromium in /usr/bin`, `playwright-core's "chrome" channel`. */
  how: string;
}

/** The variables that name a browser: the first set wins (WORKBOOK_CHROMIUM is the old name). */
export type BrowserVariable = 'WORKBOOK_BROWSER' | 'WORKBOOK_CHROMIUM';

/** The browser found, or why there is none and where the search looked; `named` when a variable chose. */
export type BrowserSearch = { found: FoundBrowser; named?: BrowserVariable } | { found?: undefined; reason: string; looked: string[]; named?: BrowserVariable };

/** playwright-core's channels for the branded browsers (its registry knows where each OS has them). */
export type Channel = 'chrome' | 'msedge';

/** What the search may look at: this machine (`thisMachine()`), or a made-up one in a test. */
export interface Machine {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  /** Whether an executable file is at this absolute path. */
  isExecutable(path: string): boolean;
  /** Where playwright-core's channel has its browser on this machine, if it is installed there. */
  channelPath(channel: Channel): string | undefined;
}

export const NO_BROWSER = 'no Chrome, Chromium or Edge found: install one, or set WORKBOOK_BROWSER to its path';

/** Linux commands in the order tried, with the browser each starts. */
const LINUX_COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ['chromium', 'Chromium'],
  ['chromium-browser', 'Chromium'],
  ['google-chrome-stable', 'Google Chrome'],
  ['google-chrome', 'Google Chrome'],
  ['microsoft-edge-stable', 'Microsoft Edge'],
  ['microsoft-edge', 'Microsoft Edge'],
];

/** Where Linux packages put those commands, looked in even when PATH lacks them (a grader's bare environment). */
const LINUX_FOLDERS = ['/usr/bin', '/snap/bin'];

const CHANNELS: ReadonlyArray<readonly [Channel, string]> = [
  ['chrome', 'Google Chrome'],
  ['msedge', 'Microsoft Edge'],
];

export function findBrowser(machine: Machine = thisMachine()): BrowserSearch {
  for (const variable of ['WORKBOOK_BROWSER', 'WORKBOOK_CHROMIUM'] satisfies BrowserVariable[]) {
    const named = machine.env[variable]?.trim();
    if (!named) continue;
    const how = variable === 'WORKBOOK_BROWSER' ? variable : 'WORKBOOK_CHROMIUM, the old name of WORKBOOK_BROWSER';
    const path = resolveNamed(named, machine);
    // A browser named on purpose is the one to use: when it is not there, say so rather than take another.
    if (path) return { found: { name: browserNameOf(path), path, how }, named: variable };
    const what = isBareCommand(named) ? 'an executable file nor a command on PATH' : 'an executable file';
    return { reason: `${variable} names ${named}, which is not ${what}: correct it, or unset it`, looked: [`${variable}=${named}`], named: variable };
  }
  const looked = ['WORKBOOK_BROWSER (not set)'];

  const usual = usualPlaces(machine).find((candidate) => machine.isExecutable(candidate.path));
  if (usual) return { found: usual };
  looked.push(usualPlacesLooked(machine));

  try {
    for (const [channel, name] of CHANNELS) {
      const path = machine.channelPath(channel);
      if (path) return { found: { name, path, how: `playwright-core's "${channel}" channel` } };
    }
    looked.push(`playwright-core's channels ${CHANNELS.map(([channel]) => channel).join(' and ')}`);
  } catch (error) {
    looked.push(`playwright-core's channels (not available: ${(error as Error).message})`);
  }
  return { reason: NO_BROWSER, looked };
}

/** Our own places for this OS, in the order tried. */
function usualPlaces(machine: Machine): FoundBrowser[] {
  const { platform, env, home } = machine;
  if (platform === 'linux') {
    const folders = [...new Set([...pathFolders(machine), ...LINUX_FOLDERS])];
    return LINUX_COMMANDS.flatMap(([command, name]) =>
      folders.map((folder) => ({ name, path: posix.join(folder, command), how: `the command ${command} in ${folder}` })),
    );
  }
  if (platform === 'darwin') {
    return ['/Applications', posix.join(home, 'Applications')].map((folder) => ({ name: 'Chromium', path: posix.join(folder, 'Chromium.app/Contents/MacOS/Chromium'), how: `Chromium.app in ${folder}` }));
  }
  if (platform === 'win32') {
    const folders = [env.LOCALAPPDATA, env.PROGRAMFILES].filter((folder): folder is string => Boolean(folder));
    return folders.map((folder) => ({ name: 'Chromium', path: win32.join(folder, 'Chromium', 'Application', 'chrome.exe'), how: `Chromium in ${folder}` }));
  }
  return [];
}

function usualPlacesLooked(machine: Machine): string {
  if (machine.platform === 'linux') return `${LINUX_COMMANDS.map(([command]) => command).join(', ')} on PATH and in ${LINUX_FOLDERS.join(', ')}`;
  return usualPlaces(machine).map((place) => place.path).join(', ') || `no usual places on ${machine.platform}`;
}

/** WORKBOOK_BROWSER's value as a path: itself, or a bare command found on PATH. */
function resolveNamed(named: string, machine: Machine): string | undefined {
  if (!isBareCommand(named)) return machine.isExecutable(named) ? named : undefined;
  const path = machine.platform === 'win32' ? win32 : posix;
  const file = machine.platform === 'win32' && !path.extname(named) ? `${named}.exe` : named;
  return pathFolders(machine).map((folder) => path.join(folder, file)).find((candidate) => machine.isExecutable(candidate));
}

const isBareCommand = (named: string): boolean => !/[\\/]/.test(named);

function pathFolders({ platform, env }: Machine): string[] {
  const path = env.PATH ?? env.Path ?? '';
  return path.split(platform === 'win32' ? ';' : ':').filter((folder) => folder.trim() !== '');
}

/** The browser a path starts, told by its name (Chromium's Windows build is chrome.exe in a Chromium folder). */
export function browserNameOf(path: string): string {
  if (/edge/i.test(path)) return 'Microsoft Edge';
  if (/chromium/i.test(path)) return 'Chromium';
  if (/chrome/i.test(path)) return 'Google Chrome';
  return 'the browser WORKBOOK_BROWSER names';
}

/** This machine: its OS, its environment, real file checks and playwright-core's registry. */
export function thisMachine(env: NodeJS.ProcessEnv = process.env): Machine {
  return { platform: process.platform, env, home: homedir(), isExecutable: isExecutableFile, channelPath: playwrightChannelPath };
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK); // on Windows: only that it exists
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

interface PlaywrightRegistry {
  findExecutable(name: string): { executablePath(): string | undefined } | undefined;
}

/**
 * Where playwright-core's channel has its browser here, from the registry `playwright-core/lib/coreBundle`
 * exports (its package.json lists that entry; the registry itself is not documented). Only a file
 * check: nothing is installed or downloaded. Throws, naming the version, if a release moves it.
 */
export function playwrightChannelPath(channel: Channel): string | undefined {
  const require = createRequire(import.meta.url);
  const { registry } = require('playwright-core/lib/coreBundle') as { registry?: { registry?: Partial<PlaywrightRegistry> } };
  const findExecutable = registry?.registry?.findExecutable?.bind(registry.registry);
  if (!findExecutable) throw new Error(`playwright-core ${(require('playwright-core/package.json') as { version: string }).version} has no registry in lib/coreBundle`);
  return findExecutable(channel)?.executablePath() ?? undefined;
}

/**
 * Chrome's flags for a headless run on a CI machine or in a container: nothing fetched in the background,
 * no GPU, no first-run pages; on Linux no sandbox (it needs user namespaces, which root and most
 * containers lack).
 */
export function headlessArgs(platform: NodeJS.Platform = process.platform): string[] {
  const quiet = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
  return platform === 'linux' ? ['--no-sandbox', ...quiet] : quiet;
}

/** Starts the browser found, headless, by its path: playwright-core downloads nothing. It loads only here, when a browser runs. */
export async function launchHeadless(browser: FoundBrowser): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: browser.path, args: headlessArgs() });
}
