import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ADMIN_WEBHOOK_PATH,
  SCREENSHOTS,
  signIn,
  startConsoleStack,
  storedSession,
  type ConsoleStack,
} from './support';

// Finding 8 of issue 9: a user of another tenant joins only by accepting an invitation, in the
// console's header; the inviting admin sees it pending on the members page until then.
describe('member invitations in Chromium', () => {
  let stack: ConsoleStack;
  let admin: Page;
  let zoe: Page;
  const pageErrors: string[] = [];

  async function api(token: string, method: string, path: string, body?: unknown) {
    const response = await fetch(`${stack.api.url}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? null : await response.json() };
  }

  beforeAll(async () => {
    // Members' codes go to the same stand-in webhook as the admin's (told apart by username).
    stack = await startConsoleStack({
      apiEnv: { DISCORD_DEFAULT_WEBHOOK_URL: `https://discord.com/api${ADMIN_WEBHOOK_PATH}` },
    });
    admin = stack.page;
    admin.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(admin, stack);

    // zoe belongs to another tenant, Acme, only.
    const token = (await storedSession(admin))!.accessToken;
    const acme = await api(token, 'POST', '/tenants', { name: 'Acme', slug: 'acme' });
    expect(acme.status).toBe(201);
    const inAcme = await api(token, 'POST', '/auth/switch-tenant', { tenant_id: acme.body.id });
    expect(inAcme.status).toBe(200);
    expect(
      (
        await api(inAcme.body.access_token, 'POST', '/members', {
          username: 'zoe',
          email: 'zoe@example.com',
          role: 'viewer',
        })
      ).status,
    ).toBe(202);
    zoe = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    zoe.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(zoe, stack, 'zoe');
    expect(await zoe.getByTestId('tenant-switcher').inputValue()).toBe('Acme');
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows the admin a pending invitation, not a member', async () => {
    await admin.goto(`${stack.webUrl}/settings/members`);
    await admin.getByText('Who can use Default').waitFor({ timeout: 20_000 });
    await admin.getByLabel(/^Username/).fill('zoe');
    await admin.getByLabel(/^Email/).fill('zoe@example.com');
    await admin.getByRole('button', { name: 'Invite' }).click();
    await admin.getByTestId('invite-sent').waitFor({ timeout: 10_000 });
    await admin.getByTestId('invitations-table').getByText('zoe@example.com').waitFor({ timeout: 10_000 });
    expect(await admin.getByTestId('members-table').innerText()).not.toContain('zoe@example.com');
    await admin.screenshot({ path: join(SCREENSHOTS, 'members-invitations.png'), fullPage: true });
  });

  it('lets the admin revoke a pending invitation', async () => {
    await admin.getByLabel(/^Username/).fill('bob');
    await admin.getByLabel(/^Email/).fill('bob@example.com');
    await admin.getByRole('button', { name: 'Invite' }).click();
    const table = admin.getByTestId('invitations-table');
    await table.getByText('bob@example.com').waitFor({ timeout: 10_000 });
    await admin.getByRole('button', { name: 'Revoke the invitation of bob' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await table.getByText('bob@example.com').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await table.innerText()).toContain('zoe@example.com');
  });

  it('lets the invited user accept in the header, and opens the tenant', async () => {
    await zoe.reload();
    await zoe.getByTestId('invitations-button').click({ timeout: 20_000 });
    const list = zoe.getByTestId('invitations-list');
    await list.getByText('Default').waitFor();
    await zoe.screenshot({ path: join(SCREENSHOTS, 'invitations-menu.png') });
    await zoe.getByRole('button', { name: 'Accept the invitation to Default' }).click();
    await zoe.waitForFunction(
      () => JSON.parse(window.localStorage.getItem('dumpstation.session') ?? '{}').tenant?.name === 'Default',
      undefined,
      { timeout: 10_000 },
    );
    await zoe.getByTestId('invitations-button').waitFor({ state: 'detached', timeout: 10_000 });
    expect((await storedSession(zoe))?.tenant.name).toBe('Default');

    // The admin now sees zoe as a member, with the invited role, and no pending invitation.
    await admin.reload();
    await admin.getByTestId('members-table').getByText('zoe@example.com').waitFor({ timeout: 20_000 });
    expect(await admin.getByTestId('invitations-table').count()).toBe(0);
  });
});
