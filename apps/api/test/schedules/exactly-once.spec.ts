import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { createTestDatabase } from '../helpers/database';
import { sql } from '../helpers/engine';
import { scheduledCluster, until } from './scheduled-cluster';

// Three API processes (roles all, worker, worker) on one service database, a schedule firing every
// 3 s (test mode allows a seconds field): every slot gets exactly one backup, none is left out.
describe('a schedule across three replicas', () => {
  let pg: RunningPostgres;
  let databaseUrl: string;
  const cluster = scheduledCluster(() => databaseUrl);

  beforeAll(async () => {
    [pg, databaseUrl] = await Promise.all([startPostgres({ major: 15 }), createTestDatabase('sched')]);
    await cluster.boot();
    await cluster.signIn();
  }, 60_000);
  afterAll(async () => {
    await cluster.stopAll();
    await pg?.stop();
  });

  it('every slot of 6 or more has exactly one backup row, and the backups run once each', async () => {
    await Promise.all([cluster.boot({ APP_ROLE: 'worker' }), cluster.boot({ APP_ROLE: 'worker' })]);
    const allUp = Date.now();
    await cluster.scheduleDatabase(pg, '*/3 * * * * *');
    await until(
      async () => (await cluster.slots()).filter((s) => s.scheduled_for.getTime() > allUp).length >= 6,
      '6 slots',
      40_000,
    );
    await cluster.stopAll();

    const slots = await cluster.slots();
    expect(slots.length).toBeGreaterThanOrEqual(6);
    // One row per slot (the unique key collapsed the other replicas' inserts)...
    expect(slots.map((s) => s.rows)).toEqual(slots.map(() => 1));
    // ... and no slot left out: consecutive slots are 3 s apart.
    const gaps = slots.slice(1).map((s, i) => s.scheduled_for.getTime() - slots[i].scheduled_for.getTime());
    expect(gaps).toEqual(gaps.map(() => 3000));
    // Each slot either ran or says why not (a backup still running); most ran and succeeded.
    for (const slot of slots.filter((s) => s.status === 'skipped')) {
      expect(slot.error_message).toMatch(/previous backup of this database was still running/);
    }
    expect(slots.filter((s) => s.status === 'success').length).toBeGreaterThanOrEqual(4);
    // The job ran once per row: one start entry per scheduled backup that was not skipped.
    const [{ starts }] = await sql(
      databaseUrl,
      `SELECT count(*)::int AS starts FROM activity_logs WHERE event = 'backup.start' AND resource_id IN
         (SELECT id::text FROM backups WHERE database_id = $1 AND status <> 'skipped')`,
      [cluster.databaseId],
    );
    expect(starts).toBe(slots.filter((s) => s.status !== 'skipped').length);
  }, 60_000);
});
