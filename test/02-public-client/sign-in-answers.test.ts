// Step 02.4: what the tool answers when the person must sign in, to three SDK clients over the linked
// in-memory transports: one that declares URL elicitation (MCP 2025-11-25), one that declares form
// elicitation only, and one that declares none. The sign-in each call needs is the check's own.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ErrorCode, McpError, type ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { expect, onTestFinished, vi } from 'vitest';
import { checksFor } from '#shared/workbook/check.ts';
import { mcpServer, signInModule, type SignInPrompt } from './helpers.ts';
import lab from './lab.ts';
import { toolText } from './stdio-server.ts';

const check = checksFor(lab);

/** A code a person could be asked to enter: eight letters and digits, new each time. */
const newCode = () => randomBytes(6).toString('base64url').toUpperCase().replace(/[^A-Z0-9]/g, '7').slice(0, 8);

function deviceCodePrompt(page: string): SignInPrompt {
  const userCode = newCode();
  return {
    id: randomUUID(),
    method: 'device-code',
    url: page,
    userCode,
    message: `To sign in, use a web browser to open the page ${page} and enter the code ${userCode} to authenticate.`,
    expiresAt: Date.now() + 900_000,
  };
}

/** The learner's server, whose tool needs `prompt`'s sign-in, and an SDK client with `capabilities`. */
async function connect(prompt: () => SignInPrompt, capabilities: ClientCapabilities): Promise<Client> {
  const { createMcpServer } = await mcpServer();
  const { SignInRequiredError } = await signInModule();
  const server = createMcpServer(async () => {
    throw new SignInRequiredError(prompt());
  });
  const client = new Client({ name: 'lab-02-check', version: '1.0.0' }, { capabilities });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  onTestFinished(() => client.close());
  return client;
}

const CALL = { name: 'GetUserDetailsFromGraph', arguments: {} };

check('02.4.4', async () => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  onTestFinished(() => void vi.restoreAllMocks());
  let prompt = deviceCodePrompt('https://microsoft.com/devicelogin');
  const current = () => prompt;
  const urlClient = await connect(current, { elicitation: { url: {} } });
  const formClient = await connect(current, { elicitation: { form: {} } });
  const plainClient = await connect(current, {});

  for (const page of ['https://microsoft.com/devicelogin', 'https://localhost:8443/devicelogin']) {
    prompt = deviceCodePrompt(page);
    const refused = await urlClient.callTool(CALL).then(
      (result) => new Error(`a client that declares URL elicitation got a tool result instead of a URLElicitationRequiredError: ${toolText(result)}`),
      (error: Error) => error,
    );
    expect(refused instanceof McpError && refused.code, `a client that declares URL elicitation gets a URLElicitationRequiredError (${ErrorCode.UrlElicitationRequired}), not: ${refused.message}`).toBe(ErrorCode.UrlElicitationRequired);
    const [elicitation, ...more] = ((refused as McpError).data as { elicitations?: Array<Record<string, string>> }).elicitations ?? [];
    expect(more, 'one elicitation: the sign-in').toEqual([]);
    expect(elicitation, "it names the page to open (the prompt's url), as a URL elicitation with the prompt's id").toMatchObject({ mode: 'url', url: page, elicitationId: prompt.id });
    expect(elicitation?.message, 'its message says which code to enter').toContain(prompt.userCode);

    for (const [client, which] of [
      [plainClient, 'a client that declares no elicitation'],
      [formClient, 'a client that declares form elicitation only'],
    ] as const) {
      const answer = await client.callTool(CALL).catch((error: Error) => {
        throw new Error(`${which} must never be sent a URL elicitation it did not declare; it got: ${error.message}`, { cause: error });
      });
      const text = toolText(answer);
      expect(answer.isError, `${which} gets a tool error (isError: true): the chat shows it as the tool's answer`).toBe(true);
      expect(text, `${which}: the tool error names the page to open`).toContain(page);
      expect(text, `${which}: and the code to enter`).toContain(prompt.userCode);
      expect(text, `${which}: and says to call the tool again afterwards`).toMatch(/again/i);
    }
  }

  // The browser sign-in: the server opened the browser itself; there is no page for a client to open.
  prompt = { id: randomUUID(), method: 'browser', message: 'A browser window opened to sign you in at login.microsoftonline.com: sign in there.', expiresAt: Date.now() + 900_000 };
  const browser = await urlClient.callTool(CALL).catch((error: Error) => {
    throw new Error(`with the browser sign-in there is no page for the client to open (the browser was opened for the person), so even a client that declares URL elicitation gets a tool error; it got: ${error.message}`, { cause: error });
  });
  expect(browser.isError, 'the browser sign-in: a tool error').toBe(true);
  expect(toolText(browser), "with the prompt's message").toContain(prompt.message);
});
