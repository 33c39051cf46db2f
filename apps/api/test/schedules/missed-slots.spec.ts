import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { createTestDatabase } from '../helpers/database';
import { scheduledCluster, sleepUntil, until } from './scheduled-cluster';

const PERIOD = 6000;
/** The first slot boundary (a multiple of 6 s) after `at`. */
const nextBoundary = (at: number) => Math.floor(at / PERIOD) * PERIOD + PERIOD;

// All processes stopped across slots, then one started again: the newest missed slot runs once at
// start-up when it is inside SCHEDULE_CATCH_UP_MINUTES (the older ones are recorded as skipped);
// outside the window every missed slot is a `skipped` row saying why.
describe('slots missed while no process ran', () => {
  let pg: RunningPostgres;
  let databaseUrl: string;
  const cluster = scheduledCluster(() => databaseUrl);

  beforeAll(async () => {
    [pg, databaseUrl] = await Promise.all([startPostgres({ major: 15 }), createTestDatabase('missed')]);
    await cluster.boot();
    await cluster.signIn();
    await cluster.scheduleDatabase(pg, '*/6 * * * * *');
    await until(async () => (await cluster.slots()).some((s) => s.status === 'success'), 'a first scheduled backup');
  }, 60_000);
  afterAll(async () => {
    await cluster.stopAll();
    await pg?.stop();
  });

  const lastSlot = async () => Math.max(...(await cluster.slots()).map((s) => s.scheduled_for.getTime()));

  it('inside the window: one catch-up run at start-up, the older missed slots skipped', async () => {
    await cluster.stopAll();
    const before = await lastSlot();
    // Two slots pass while nothing runs; start again just after the second.
    const startAt = nextBoundary(before + PERIOD) + 200;
    await sleepUntil(startAt);
    await cluster.boot({ SCHEDULE_CATCH_UP_MINUTES: '60' });
    const healthy = Date.now();
    // The start-up pass ran before the process served: what it recorded was created before `healthy`.
    const atStart = (await cluster.slots()).filter(
      (s) => s.scheduled_for.getTime() > before && s.created_at.getTime() <= healthy,
    );
    const missed = atStart.filter((s) => s.scheduled_for.getTime() < startAt);
    expect(missed.length).toBeGreaterThanOrEqual(2);
    expect(atStart.map((s) => s.rows)).toEqual(atStart.map(() => 1));
    const ran = atStart.filter((s) => s.status !== 'skipped');
    expect(ran).toHaveLength(1);
    expect(ran[0].scheduled_for).toEqual(atStart[atStart.length - 1].scheduled_for);
    for (const slot of atStart.slice(0, -1)) {
      expect(slot).toMatchObject({
        status: 'skipped',
        error_message: expect.stringMatching(/a later missed slot ran instead/),
      });
    }
    await until(
      async () =>
        (await cluster.slots()).some(
          (s) => s.scheduled_for.getTime() === ran[0].scheduled_for.getTime() && s.status === 'success',
        ),
      'the catch-up backup to succeed',
    );
  }, 60_000);

  it('outside the window: the missed slot is a skipped row with the reason; the next slot runs', async () => {
    await cluster.stopAll();
    const before = await lastSlot();
    // A window of 1.2 s; started 1.4 s after the missed slot, so it is out of it at the first pass.
    const startAt = nextBoundary(before) + 1400;
    await sleepUntil(startAt);
    await cluster.boot({ SCHEDULE_CATCH_UP_MINUTES: '0.02' });
    const missed = (await cluster.slots()).filter(
      (s) => s.scheduled_for.getTime() > before && s.scheduled_for.getTime() < startAt,
    );
    expect(missed.length).toBeGreaterThanOrEqual(1);
    for (const slot of missed) {
      expect(slot).toMatchObject({
        rows: 1,
        status: 'skipped',
        error_message: expect.stringMatching(/missed while no worker was running, and more than 0.02 minutes ago/),
      });
    }
    // Running again, the next slot is on time and runs.
    const next = nextBoundary(Date.now());
    await until(
      async () => (await cluster.slots()).some((s) => s.scheduled_for.getTime() >= next && s.status !== 'skipped'),
      'the next slot to run',
      15_000,
    );
  }, 60_000);
});
