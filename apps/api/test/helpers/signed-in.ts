import request from 'supertest';
import { startTestApp, type TestApp } from './app';
import { bearer, signIn, type Session } from './auth';
import { uniqueWebhook } from './discord';

export interface SignedInApp {
  api: TestApp;
  /** The instance admin, owner of the first tenant. */
  root: Session;
  /** Where members' codes go (DISCORD_DEFAULT_WEBHOOK_URL). */
  membersHook: { url: string; path: string };
  http(): ReturnType<typeof request>;
  /** A new member of the first tenant with `role`, signed in. */
  member(username: string, role: string): Promise<Session>;
  /** A new tenant made by the instance admin, and the admin's session in it (its owner). */
  newTenant(name: string, slug: string): Promise<Session>;
  /** Signs an existing user in again (codes come from the stand-in). */
  signIn(username: string, options?: { twoFactor?: string; tenantId?: string }): Promise<Session>;
}

/** The app on a fresh database with its instance admin signed in: the start of most resource tests. */
export async function startSignedIn(env: Record<string, string | undefined> = {}): Promise<SignedInApp> {
  const rootHook = uniqueWebhook();
  const membersHook = uniqueWebhook();
  const api = await startTestApp({
    env: {
      SYSTEM_USERNAME: 'root',
      SYSTEM_DISCORD_WEBHOOK_URL: rootHook.url,
      DISCORD_DEFAULT_WEBHOOK_URL: membersHook.url,
      ...env,
    },
  });
  const root = await signIn(api, 'root', rootHook.path);
  const http = () => request(api.app.getHttpServer());
  return {
    api,
    root,
    membersHook,
    http,
    signIn: (username, options) =>
      signIn(api, username, username === 'root' ? rootHook.path : membersHook.path, options),
    async newTenant(name, slug) {
      const tenant = await http()
        .post('/api/v1/tenants')
        .set(bearer(root.access_token))
        .send({ name, slug })
        .expect(201);
      const switched = await http()
        .post('/api/v1/auth/switch-tenant')
        .set(bearer(root.access_token))
        .send({ tenant_id: tenant.body.id })
        .expect(200);
      return switched.body as Session;
    },
    async member(username, role) {
      await http()
        .post('/api/v1/members')
        .set(bearer(root.access_token))
        .send({ username, email: `${username}@example.com`, role })
        .expect(202);
      // A user created by an invitation accepts it at their first sign-in.
      return signIn(api, username, membersHook.path);
    },
  };
}
