// The system browser: whether this session has one a person can see, and how to open a page in it.
// Each OS has its own opener; each is started without a shell, so a URL is never read as a command,
// and with its output ignored, so nothing reaches stdout (the JSON-RPC channel).
//   BROWSER       a browser command of your own (the URL is its last argument); it also means "I have one"
//   LOCAL_SIGN_IN auto | browser | device-code (see the lab guide)
import { spawn } from 'node:child_process';
import type { LocalSignIn } from '#shared/settings.ts';
import type { SignInMethod } from './sign-in.ts';

/** The command that opens `url` in the default browser of `platform`. */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): [string, string[]] {
  if (env.BROWSER) return [env.BROWSER, [url]];
  if (platform === 'win32') return ['rundll32.exe', ['url.dll,FileProtocolHandler', url]];
  if (platform === 'darwin') return ['open', [url]];
  return ['xdg-open', [url]];
}

/** Opens `url` in the system browser. Resolves once the opener has started; fails if it cannot start. */
export function openSystemBrowser(url: string): Promise<void> {
  const [command, args] = browserCommand(url);
  return new Promise((resolve, reject) => {
    const opener = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true });
    opener.once('error', (error) =>
      reject(new Error(`No browser could be opened (${command}: ${error.message}). Set LOCAL_SIGN_IN=device-code, or BROWSER to your browser's command.`)),
    );
    opener.once('spawn', () => {
      opener.unref(); // the server does not wait for the browser
      resolve();
    });
  });
}

/** Whether a person at this session would see a browser window: not over SSH; on Linux, a display. */
export function hasDesktopBrowser(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.BROWSER) return true;
  if (env.SSH_CONNECTION || env.SSH_TTY) return false; // the window would open on the remote machine
  if (platform === 'win32' || platform === 'darwin') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** LOCAL_SIGN_IN as a method: `auto` is the browser where there is one, the device code elsewhere. */
export function signInMethod(setting: LocalSignIn, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): SignInMethod {
  if (setting !== 'auto') return setting;
  return hasDesktopBrowser(platform, env) ? 'browser' : 'device-code';
}
