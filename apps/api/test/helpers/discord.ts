import { randomBytes, randomInt } from 'node:crypto';
import type { RecordedDiscordCall } from '@dumpstation/testing';

function callsUrl(): string {
  const api = process.env.TEST_DISCORD_API;
  if (!api)
    throw new Error('TEST_DISCORD_API is unset: run tests through jest (global-setup starts the Discord stand-in)');
  return api.replace(/\/api$/, '/__calls');
}

/** Everything the API has sent to the Discord stand-in so far (shared by all test files). */
export async function discordCalls(): Promise<RecordedDiscordCall[]> {
  return (await (await fetch(callsUrl())).json()) as RecordedDiscordCall[];
}

/**
 * A webhook URL of Discord's shape that no other test uses; its calls land on the stand-in.
 * `tokenPrefix` picks a behaviour of the stand-in: `fail-2-` answers 500 twice, `fail-always-` always.
 */
export function uniqueWebhook(tokenPrefix = ''): { url: string; path: string } {
  const id = `${randomInt(100_000, 999_999)}${randomInt(100_000_000, 999_999_999)}`;
  const token = tokenPrefix + randomBytes(12).toString('base64url');
  return { url: `https://discord.com/api/webhooks/${id}/${token}`, path: `/webhooks/${id}/${token}` };
}

const CODE = /sign-in code for \*\*([^*]+)\*\*: \*\*(\d{6})\*\*/;

/** The codes delivered to `path` (a webhook or a DM channel) for `username`, oldest first. */
export async function deliveredCodes(path: string, username: string): Promise<string[]> {
  return (await discordCalls())
    .filter((call) => call.path.startsWith(path))
    .map((call) => CODE.exec(String((call.body as { content?: string } | null)?.content ?? '')))
    .filter((match): match is RegExpExecArray => match !== null && match[1] === username)
    .map((match) => match[2]);
}

/** The calls that reached webhook `path` so far. */
export async function webhookCalls(path: string): Promise<RecordedDiscordCall[]> {
  return (await discordCalls()).filter((call) => call.path === path);
}

/** Waits for a code newer than the `known` ones (delivery runs in the background). */
export async function waitForCode(
  path: string,
  username: string,
  known: string[] = [],
  timeoutMs = 5_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const codes = await deliveredCodes(path, username);
    if (codes.length > known.length) return codes[codes.length - 1];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no sign-in code for ${username} reached ${path} within ${timeoutMs} ms`);
}
