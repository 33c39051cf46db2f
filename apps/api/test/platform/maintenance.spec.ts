import { startApiProcess, type ApiProcess } from '@dumpstation/testing';
import { randomBytes } from 'node:crypto';
import { defaultMigrationsDir, Migrator } from '../../src/prisma/migrator';
import { createTestDatabase } from '../helpers/database';
import { sql } from '../helpers/engine';

const OLD = 12_000; // more than one DELETE batch (10,000)
const RECENT = 5;

async function until(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

interface RunRow {
  created_at: Date;
  details: { activity_logs_removed: number; invitations_removed: number; retention_days: number };
}

// The daily clean-up on a cron firing every minute, with two workers on one service database:
// entries older than ACTIVITY_LOG_RETENTION_DAYS (60) go, newer ones stay, expired invitations
// go, and each cron slot runs once for the cluster (one maintenance.run entry), not once per worker.
describe('the daily clean-up across two workers', () => {
  let databaseUrl: string;
  const processes: ApiProcess[] = [];
  const tenantId = '2b0d8f6e-3a57-4c1e-9a53-6d0f1c2b7e41';

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('maint');
    await new Migrator({ databaseUrl, migrationsDir: defaultMigrationsDir(), log: () => undefined }).migrate();
    // Before any worker runs: the first clean-up happens as soon as they are up (the current slot).
    await sql(
      databaseUrl,
      `INSERT INTO activity_logs (id, action, event, details, created_at)
       SELECT gen_random_uuid(), 'Update', 'test.old', jsonb_build_object('i', i), now() - interval '61 days'
         FROM generate_series(1, ${OLD}) AS i`,
    );
    await sql(
      databaseUrl,
      `INSERT INTO activity_logs (id, action, event, created_at)
       SELECT gen_random_uuid(), 'Update', 'test.recent', now() - interval '59 days' FROM generate_series(1, ${RECENT})`,
    );
    await sql(databaseUrl, `INSERT INTO tenants (id, name, slug, updated_at) VALUES ($1, 'maint', $2, now())`, [
      tenantId,
      `maint-${randomBytes(4).toString('hex')}`,
    ]);
    await sql(
      databaseUrl,
      `INSERT INTO invitations (id, tenant_id, username, email, role, expires_at, updated_at) VALUES
         (gen_random_uuid(), $1, 'expired', 'expired@example.com', 'viewer', now() - interval '1 day', now()),
         (gen_random_uuid(), $1, 'open', 'open@example.com', 'viewer', now() + interval '7 days', now())`,
      [tenantId],
    );
  }, 30_000);

  afterAll(async () => {
    await Promise.all(processes.splice(0).map((api) => api.stop()));
  });

  const count = async (event: string) =>
    (await sql(databaseUrl, `SELECT count(*)::int AS n FROM activity_logs WHERE event = $1`, [event]))[0].n as number;
  const runs = async () =>
    (await sql(
      databaseUrl,
      `SELECT created_at, details, tenant_id, action, outcome FROM activity_logs
        WHERE event = 'maintenance.run' ORDER BY created_at`,
    )) as unknown as (RunRow & { tenant_id: string | null; action: string; outcome: string })[];

  it('removes entries older than 60 days once per cron slot, whatever the number of workers', async () => {
    const boot = () =>
      startApiProcess({
        databaseUrl,
        env: {
          APP_ROLE: 'worker',
          LOG_LEVEL: 'warn',
          MAINTENANCE_CRON: '* * * * *',
          JOB_CRON_CHECK_SECONDS: '1',
          JOB_POLL_SECONDS: '0.5',
        },
      });
    processes.push(...(await Promise.all([boot(), boot()])));

    // The slot current when the workers came up runs at once.
    await until(async () => (await count('test.old')) === 0 && (await runs()).length > 0, 'the first clean-up', 30_000);
    expect(await count('test.recent')).toBe(RECENT);
    const invitations = await sql(databaseUrl, `SELECT username FROM invitations ORDER BY username`);
    expect(invitations.map((row) => row.username)).toEqual(['open']);

    // The next minute's slot: exactly one more run, however many workers raced to send it.
    const boundary = Math.ceil(Date.now() / 60_000) * 60_000;
    await until(
      async () => (await runs()).some((run) => run.created_at.getTime() >= boundary),
      'the next slot',
      boundary + 20_000 - Date.now(),
    );
    // Each worker looks at the schedule every second: long enough for a duplicate to show.
    await sleepUntil(Math.max(Date.now() + 5_000, boundary + 10_000));
    const all = await runs();
    expect(all.filter((run) => run.created_at.getTime() >= boundary)).toHaveLength(1);
    // Before the boundary: the slot current at boot (and, when the workers came up at its very
    // end, the late delivery of that slot can fall just after it; still one run per slot).
    expect(all.length).toBeLessThanOrEqual(3);
    const details = all.map((run) => run.details);
    expect(details.reduce((sum, d) => sum + d.activity_logs_removed, 0)).toBe(OLD);
    expect(details.reduce((sum, d) => sum + d.invitations_removed, 0)).toBe(1);
    expect(details.map((d) => d.retention_days)).toEqual(all.map(() => 60));
    // A cluster-level entry: no tenant, a success.
    expect(all.map((run) => [run.tenant_id, run.action, run.outcome])).toEqual(
      all.map(() => [null, 'Update', 'success']),
    );
    expect(await count('test.recent')).toBe(RECENT);
  }, 90_000);
});
