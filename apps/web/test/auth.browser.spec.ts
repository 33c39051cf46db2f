import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import {
  ADMIN_WEBHOOK_PATH,
  SCREENSHOTS,
  deliveredCodes,
  enterUsernameAndCode,
  startConsoleStack,
  storedSession,
  waitForCode,
  type ConsoleStack,
} from './support';

// Sign-in with a Discord code, TOTP setup, API tokens and sign-out, in Chromium against the real API.
describe('identity and access in Chromium', () => {
  let stack: ConsoleStack;
  let page: Page;
  let totpSecret: string;
  let recoveryCodes: string[];
  /** Uncaught errors in the page (React's hydration and render errors included). */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    stack = await startConsoleStack();
    page = stack.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function openUserMenuItem(name: string): Promise<void> {
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name }).click();
  }

  it('sends a visitor without a session to the sign-in page', async () => {
    await page.goto(`${stack.webUrl}/settings/tokens`);
    await page.waitForURL(/\/login(\?|$)/, { timeout: 20_000 });
    await page.getByLabel('Username or email').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'login.png'), fullPage: true });
  });

  it('signs in with the one-time code sent on Discord and lands on the overview', async () => {
    await page.goto(`${stack.webUrl}/login`);
    await enterUsernameAndCode(page, stack);
    await page.waitForURL(`${stack.webUrl}/`, { timeout: 20_000 });
    await page.getByTestId('health-card').waitFor({ timeout: 20_000 });
    const session = await storedSession(page);
    expect(session?.accessToken).toBeTruthy();
    expect(session?.refreshToken).toMatch(/^dsr_/);
    expect(await page.getByTestId('tenant-switcher').inputValue()).toBe('Default');
  });

  it('sets up two-factor authentication from the QR code and shows 10 recovery codes once', async () => {
    await openUserMenuItem('Security');
    await page.waitForURL(`${stack.webUrl}/settings/security`);
    expect(await page.getByTestId('two-factor-status').textContent()).toBe('Off');

    await page.getByRole('button', { name: 'Set up' }).click();
    const qr = page.getByTestId('totp-qr');
    await qr.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="totp-qr"]');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    totpSecret = (await page.getByTestId('totp-secret').innerText()).trim();
    expect(totpSecret).toMatch(/^[A-Z2-7]+=*$/);
    await page.screenshot({ path: join(SCREENSHOTS, '2fa-setup.png'), fullPage: true });

    await page.getByLabel('Code from your app').fill(await generate({ secret: totpSecret }));
    // Turning 2FA on is confirmed with a fresh code sent where sign-in codes go now.
    const known = deliveredCodes(stack.discord).length;
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByTestId('confirmation-code-sent').waitFor({ timeout: 10_000 });
    await page.getByLabel(/^Confirmation code/).fill(await waitForCode(stack.discord, known));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByTestId('recovery-codes').waitFor({ timeout: 10_000 });
    const codes = await page.getByTestId('recovery-code').allInnerTexts();
    recoveryCodes = codes;
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(await page.getByTestId('two-factor-status').textContent()).toBe('On');
    await page.screenshot({ path: join(SCREENSHOTS, 'recovery-codes.png'), fullPage: true });
    // They can be saved as a text file, one a line.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 10_000 }),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('dumpstation-recovery-codes.txt');
    const lines = (await readFile(await download.path(), 'utf8')).split('\n');
    for (const code of codes) expect(lines).toContain(code);

    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByTestId('recovery-codes').waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'Disable' }).isVisible()).toBe(true);
  });

  it('creates an API token and shows its secret once', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'API tokens' }).click();
    await page.waitForURL(`${stack.webUrl}/settings/tokens`);
    await page.getByLabel(/^Name/).fill('ci-nightly');
    await page.getByRole('button', { name: 'Create token' }).click();

    const secretBox = page.getByTestId('new-token-secret');
    await secretBox.waitFor({ timeout: 10_000 });
    const secret = (await secretBox.innerText()).trim();
    expect(secret).toMatch(/^dst_/);
    // The secret works as a bearer credential against the API.
    const members = await fetch(`${stack.api.url}/api/v1/members`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(members.status).toBe(200);

    const table = page.getByTestId('api-tokens-table');
    await table.getByText('ci-nightly').waitFor();
    expect(await table.innerText()).toContain(secret.slice(0, 12));

    await page.getByRole('button', { name: 'Done' }).click();
    await secretBox.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await page.getByTestId('api-tokens-table').getByText('ci-nightly').waitFor({ timeout: 20_000 });
    expect(await page.content()).not.toContain(secret);
  });

  it('refreshes a refused access token once for concurrent requests, and retries them', async () => {
    const before = await storedSession(page);
    // An access token the API refuses, still "valid" by its stored expiry: only a 401 reveals it.
    await page.evaluate(() => {
      const session = JSON.parse(window.localStorage.getItem('dumpstation.session')!) as Record<string, unknown>;
      window.localStorage.setItem('dumpstation.session', JSON.stringify({ ...session, accessToken: 'not.a.jwt' }));
    });
    const refreshes: string[] = [];
    const listener = (request: { url(): string }) => {
      if (request.url().endsWith('/api/v1/auth/refresh')) refreshes.push(request.url());
    };
    page.on('request', listener);
    try {
      // Members and the header's tenant list load together, both with the refused token.
      await page.goto(`${stack.webUrl}/settings/members`);
      await page.getByTestId('members-table').getByText('admin@dumpstation.local').waitFor({ timeout: 20_000 });
    } finally {
      page.off('request', listener);
    }
    expect(refreshes).toHaveLength(1);
    const after = await storedSession(page);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe('not.a.jwt');
  });

  it('refreshes an access token about to expire before sending it', async () => {
    const before = await storedSession(page);
    // Still valid on the API, but within seconds of its stored expiry.
    await page.evaluate(() => {
      const session = JSON.parse(window.localStorage.getItem('dumpstation.session')!) as Record<string, unknown>;
      window.localStorage.setItem(
        'dumpstation.session',
        JSON.stringify({ ...session, accessExpiresAt: Date.now() + 5_000 }),
      );
    });
    const refreshes: string[] = [];
    const refused: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().endsWith('/api/v1/auth/refresh')) refreshes.push(request.url());
    };
    const onResponse = (response: { url(): string; status(): number }) => {
      if (response.status() === 401) refused.push(response.url());
    };
    page.on('request', onRequest);
    page.on('response', onResponse);
    try {
      await page.goto(`${stack.webUrl}/settings/members`);
      await page.getByTestId('members-table').getByText('admin@dumpstation.local').waitFor({ timeout: 20_000 });
    } finally {
      page.off('request', onRequest);
      page.off('response', onResponse);
    }
    expect(refreshes).toHaveLength(1);
    expect(refused).toEqual([]);
    const after = await storedSession(page);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.accessExpiresAt).toBeGreaterThan(Date.now() + 60_000);
  });

  it('edits the profile, manages members and shows the activity log, with API field errors under inputs', async () => {
    await openUserMenuItem('Profile');
    await page.waitForURL(`${stack.webUrl}/settings/profile`);
    await page.getByLabel(/^Discord webhook URL/).fill('https://example.com/not-discord');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page
      .getByText('Discord webhook URL must be a webhook URL copied from Discord (https://discord.com/api/webhooks/…).')
      .waitFor({ timeout: 10_000 });
    await page.getByLabel(/^Discord webhook URL/).fill('');
    await page.getByLabel(/^Display name/).fill('Ada Admin');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved.').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('user-menu').innerText()).toContain('Ada Admin');

    // Moving where codes go needs proof of the current factor (2FA is on: a recovery code).
    await page.getByLabel(/^Discord webhook URL/).fill(`https://discord.com/api${ADMIN_WEBHOOK_PATH}`);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Confirmation code is required: a current TOTP code or a recovery code.').waitFor({
      timeout: 10_000,
    });
    await page.getByLabel(/^Confirmation code/).fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved.').waitFor({ timeout: 10_000 });

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(`${stack.webUrl}/settings/members`);
    await page.getByLabel(/^Username/).fill('bob');
    await page.getByLabel(/^Email/).fill('not-an-email');
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByText('Email must be an email address.').waitFor({ timeout: 10_000 });
    await page.getByLabel(/^Email/).fill('bob@example.com');
    await page.getByRole('button', { name: 'Invite' }).click();
    // An invitation, not a member: bob joins once he accepts (invitations.browser.spec.ts).
    const invitations = page.getByTestId('invitations-table');
    await invitations.getByText('bob@example.com').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('members-table').innerText()).not.toContain('bob@example.com');
    await page.getByRole('button', { name: 'Revoke the invitation of bob' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await invitations.getByText('bob@example.com').waitFor({ state: 'detached', timeout: 10_000 });

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Activity' }).click();
    await page.waitForURL(`${stack.webUrl}/activity`);
    const log = page.getByTestId('activity-table');
    await log.waitFor({ timeout: 10_000 });
    const text = await log.innerText();
    for (const action of ['auth.login', 'auth.2fa.enable', 'api_token.create', 'user.profile.update']) {
      expect(text).toContain(action);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'activity.png'), fullPage: true });
  });

  it('switches tenant from the header, then refetches for the new tenant', async () => {
    const before = await storedSession(page);
    // The instance admin creates a second tenant (and becomes its owner).
    const created = await fetch(`${stack.api.url}/api/v1/tenants`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${before!.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Acme', slug: 'acme' }),
    });
    expect(created.status).toBe(201);

    await page.goto(`${stack.webUrl}/settings/members`);
    await page.getByText('Who can use Default').waitFor({ timeout: 20_000 });
    await page.getByTestId('tenant-switcher').click();
    await page.getByRole('option', { name: 'Acme' }).click();
    await page.getByText('Who can use Acme').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('tenant-switcher').inputValue()).toBe('Acme');
    const after = await storedSession(page);
    expect(after?.tenant.name).toBe('Acme');

    // The session it replaced is revoked.
    const reuse = await fetch(`${stack.api.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: before!.refreshToken }),
    });
    expect(reuse.status).toBe(401);
  });

  it('signs out from the user menu', async () => {
    await page.goto(stack.webUrl);
    await page.getByTestId('health-card').waitFor({ timeout: 20_000 });
    await openUserMenuItem('Sign out');
    await page.waitForURL(`${stack.webUrl}/login`);
    expect(await storedSession(page)).toBeNull();
    await page.goto(stack.webUrl);
    await page.waitForURL(/\/login(\?|$)/, { timeout: 20_000 });
  });

  it('signs in again with the Discord code plus an authenticator code', async () => {
    await page.goto(`${stack.webUrl}/login`);
    await enterUsernameAndCode(page, stack);
    const secondFactor = page.getByLabel('Authenticator or recovery code');
    await secondFactor.waitFor({ timeout: 10_000 });

    // A wrong second factor is reported under the field.
    await secondFactor.fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Invalid or already used two-factor code').waitFor({ timeout: 10_000 });

    // Each TOTP time step is accepted once, and setup used the current one: use the next step.
    const code = await generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) + 30 });
    await secondFactor.fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${stack.webUrl}/`, { timeout: 20_000 });
    await page.getByTestId('health-card').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('health-status').innerText()).toMatch(/operational/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'signed-in-overview.png'), fullPage: true });
  });

  it('sends the browser to sign in again when the session cannot be refreshed', async () => {
    await page.evaluate(() => {
      const session = JSON.parse(window.localStorage.getItem('dumpstation.session')!) as Record<string, unknown>;
      window.localStorage.setItem(
        'dumpstation.session',
        JSON.stringify({ ...session, accessToken: 'not.a.jwt', refreshToken: 'dsr_revoked' }),
      );
    });
    await page.goto(`${stack.webUrl}/settings/members`);
    await page.waitForURL(/\/login\?next=%2Fsettings%2Fmembers&expired=1$/, { timeout: 20_000 });
    await page.getByText('Your session ended').waitFor();
    expect(await storedSession(page)).toBeNull();
  });
});
