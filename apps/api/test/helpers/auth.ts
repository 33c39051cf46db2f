import request from 'supertest';
import type { TestApp } from './app';
import { deliveredCodes, waitForCode } from './discord';

export interface Session {
  access_token: string;
  refresh_token: string;
  tenant: { id: string; role: string };
  user: { id: string; username: string };
}

/** Asks for a code and returns it as delivered on Discord. */
export async function requestCode(api: TestApp, username: string, deliveryPath: string): Promise<string> {
  const known = await deliveredCodes(deliveryPath, username);
  const response = await request(api.app.getHttpServer()).post('/api/v1/auth/login').send({ username });
  if (response.status !== 202) throw new Error(`login answered ${response.status}: ${JSON.stringify(response.body)}`);
  return waitForCode(deliveryPath, username, known);
}

/** The whole sign-in through HTTP: login, the code from the Discord stand-in, verify. */
export async function signIn(
  api: TestApp,
  username: string,
  deliveryPath: string,
  options: { twoFactor?: string; tenantId?: string } = {},
): Promise<Session> {
  const otp = await requestCode(api, username, deliveryPath);
  const verify = request(api.app.getHttpServer())
    .post('/api/v1/auth/verify')
    .send({ username, otp, ...(options.tenantId ? { tenant_id: options.tenantId } : {}) });
  if (options.twoFactor) verify.set('X-2FA-Token', options.twoFactor);
  const response = await verify;
  if (response.status !== 200) throw new Error(`verify answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as Session;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A fresh code from POST /auth/confirmation-code, as delivered on Discord (for account changes). */
export async function confirmationCode(api: TestApp, session: Session, deliveryPath: string): Promise<string> {
  const known = await deliveredCodes(deliveryPath, session.user.username);
  const response = await request(api.app.getHttpServer())
    .post('/api/v1/auth/confirmation-code')
    .set(bearer(session.access_token));
  if (response.status !== 202) {
    throw new Error(`confirmation-code answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return waitForCode(deliveryPath, session.user.username, known);
}

/**
 * JSON calls under /api/v1 of an API process (spawned with startApiProcess), with the bearer
 * `token()` returns when it returns one; an error status throws, naming the call.
 */
export function processCaller(api: () => { url: string }, token: () => string) {
  return async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${api().url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token() ? { authorization: `Bearer ${token()}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
}
