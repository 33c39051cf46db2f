import { join } from 'node:path';
import { SCREENSHOTS, setUpConsoleWithPostgres, storedSession } from './support';

// Issue 15 at 390×844: a database's page shows its backup history first, and each backup's
// status and actions are on screen without scrolling sideways.
describe('the console on a phone', () => {
  const env = setUpConsoleWithPostgres('phone');

  it('puts the backup history first and keeps every backup’s status and actions in view', async () => {
    const { page, stack, pg15 } = env;
    const session = (await storedSession(page))!;
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${stack.api.url}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    };
    const storage = await api<{ id: string }>('POST', '/storage', { name: 'phone-disk', provider: 'local' });
    const database = await api<{ id: string }>('POST', '/databases', {
      name: 'a-database-with-a-long-name-on-a-phone',
      host: pg15.host,
      port: pg15.port,
      dbname: 'postgres',
      user: pg15.user,
      password: pg15.password,
      sslmode: 'disable',
      storage_id: storage.id,
    });
    for (let i = 0; i < 2; i++) {
      const started = await api<{ id: string }>('POST', `/databases/${database.id}/backup`);
      for (let status = 'pending'; status === 'pending' || status === 'running';) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        status = (await api<{ status: string }>('GET', `/backups/${started.id}`)).status;
      }
    }

    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${stack.webUrl}/databases/${database.id}`);
      const rows = page.locator('[data-testid^="backup-row-"][data-status="success"]');
      await rows.nth(1).waitFor({ timeout: 20_000 });

      // History before the settings.
      const history = (await page.getByTestId('backup-history').boundingBox())!;
      const settings = (await page.getByTestId('database-settings').boundingBox())!;
      expect(history.y).toBeLessThan(settings.y);

      // Nothing wider than the screen, and each row's status and buttons inside it.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const region = page.getByRole('region', { name: 'Backup history' });
      expect(await region.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
      for (let i = 0; i < 2; i++) {
        const row = rows.nth(i);
        const status = (await row.getByText('Success', { exact: true }).first().boundingBox())!;
        expect(status.x).toBeGreaterThanOrEqual(0);
        expect(status.x + status.width).toBeLessThanOrEqual(390);
        const buttons = row.getByRole('button');
        expect(await buttons.count()).toBeGreaterThan(0);
        for (let b = 0; b < (await buttons.count()); b++) {
          const box = (await buttons.nth(b).boundingBox())!;
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width).toBeLessThanOrEqual(390);
        }
      }
      await page.screenshot({ path: join(SCREENSHOTS, 'phone-database.png'), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });
});
