import { periodKey, planRetention, type RetentionCandidate, type RetentionPolicy } from './retention-policy';

const NOW = new Date('2026-12-01T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One backup every `stepMs` going back from NOW, newest first: b0 is the newest. */
function history(statuses: string[], stepMs = DAY): RetentionCandidate[] {
  return statuses.map((status, i) => ({
    id: `b${i}`,
    name: `backup-${i}`,
    createdAt: new Date(NOW.getTime() - i * stepMs),
    status,
  }));
}

const plan = (backups: RetentionCandidate[], policy: RetentionPolicy | null, timeZone?: string) =>
  planRetention(backups, policy, { now: NOW, timeZone });
const kept = (decisions: ReturnType<typeof plan>) => decisions.filter((d) => d.keep).map((d) => d.id);
const removed = (decisions: ReturnType<typeof plan>) => decisions.filter((d) => !d.keep).map((d) => d.id);
const reasonOf = (decisions: ReturnType<typeof plan>, id: string) => decisions.find((d) => d.id === id)!.reasons;

describe('planRetention', () => {
  it('keeps everything without a policy', () => {
    const decisions = plan(history(['success', 'success', 'failed']), null);
    expect(removed(decisions)).toEqual([]);
    expect(reasonOf(decisions, 'b0')).toEqual(['no retention policy']);
  });

  describe('count', () => {
    it('keeps exactly the newest N successes; failures are neither counted nor removed', () => {
      const backups = history(['success', 'failed', 'success', 'success', 'failed', 'success', 'success']);
      const decisions = plan(backups, { type: 'count', value: 3 });
      expect(kept(decisions)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
      expect(removed(decisions)).toEqual(['b5', 'b6']);
      expect(reasonOf(decisions, 'b0')).toEqual(['newest success', 'newest 3']);
      expect(reasonOf(decisions, 'b1')).toEqual(['failed: retention removes only successful backups']);
      expect(reasonOf(decisions, 'b6')).toEqual(['beyond the newest 3']);
    });

    it('orders by creation time whatever the input order', () => {
      const backups = history(['success', 'success', 'success']).reverse();
      expect(removed(plan(backups, { type: 'count', value: 1 }))).toEqual(['b1', 'b2']);
    });

    it('never touches pending or running backups, nor lists deleted ones', () => {
      const backups = history(['running', 'pending', 'success', 'success', 'deleted']);
      const decisions = plan(backups, { type: 'count', value: 1 });
      expect(decisions.map((d) => d.id)).toEqual(['b0', 'b1', 'b2', 'b3']);
      expect(removed(decisions)).toEqual(['b3']);
      expect(reasonOf(decisions, 'b0')).toEqual(['not finished']);
    });

    it('keeps a busy backup this time', () => {
      const backups = history(['success', 'success', 'success']);
      backups[2].busy = true;
      const decisions = plan(backups, { type: 'count', value: 1 });
      expect(removed(decisions)).toEqual(['b1']);
      expect(reasonOf(decisions, 'b2')[0]).toMatch(/being restored/);
    });

    it('says when a removal is a retry of a failed one', () => {
      const backups = history(['success', 'success']);
      backups[1].deletionError = 'storage: 503';
      expect(reasonOf(plan(backups, { type: 'count', value: 1 }), 'b1')).toEqual([
        'beyond the newest 1',
        'retrying: the last removal failed (storage: 503)',
      ]);
    });
  });

  describe('days', () => {
    it('removes successes older than N days and keeps the rest', () => {
      const backups = history(['success', 'success', 'success', 'success', 'success'], 6 * HOUR * 4 + HOUR); // every 25 h
      const decisions = plan(backups, { type: 'days', value: 2 });
      // b0 now, b1 25 h, b2 50 h (> 48 h), b3 75 h, b4 100 h
      expect(kept(decisions)).toEqual(['b0', 'b1']);
      expect(removed(decisions)).toEqual(['b2', 'b3', 'b4']);
      expect(reasonOf(decisions, 'b1')).toEqual(['within 2 days']);
      expect(reasonOf(decisions, 'b3')).toEqual(['older than 2 days']);
    });

    it('a run of failures never empties the history: the newest success stays however old', () => {
      const backups = history(['failed', 'failed', 'failed', 'success', 'success'], 10 * DAY);
      const decisions = plan(backups, { type: 'days', value: 7 });
      expect(kept(decisions)).toEqual(['b0', 'b1', 'b2', 'b3']);
      expect(removed(decisions)).toEqual(['b4']);
      expect(reasonOf(decisions, 'b3')).toEqual(['newest success']);
    });

    it('min_keep keeps the newest N successes beyond the rule', () => {
      const backups = history(['failed', 'success', 'failed', 'success', 'success', 'success'], 10 * DAY);
      const decisions = plan(backups, { type: 'days', value: 7, minKeep: 3 });
      expect(removed(decisions)).toEqual(['b5']);
      expect(reasonOf(decisions, 'b1')).toEqual(['newest success']);
      expect(reasonOf(decisions, 'b3')).toEqual(['min_keep 3']);
      expect(reasonOf(decisions, 'b4')).toEqual(['min_keep 3']);
    });
  });

  describe('gfs', () => {
    it('keeps keep_last plus the newest per day, ISO week, month and year', () => {
      // One success a day at 12:00 UTC for 400 days back from 2026-12-01.
      const backups = history(Array.from({ length: 400 }, () => 'success'));
      const decisions = plan(backups, { type: 'gfs', value: 2, daily: 7, weekly: 4, monthly: 6, yearly: 2 });
      const keptNames = decisions.filter((d) => d.keep).map((d) => d.createdAt.toISOString().slice(0, 10));
      expect(keptNames).toEqual([
        // daily: 2026-12-01 … 2026-11-25 (keep_last 2 are among them)
        '2026-12-01',
        '2026-11-30',
        '2026-11-29', // Sunday: newest of ISO week 2026-W48
        '2026-11-28',
        '2026-11-27',
        '2026-11-26',
        '2026-11-25',
        '2026-11-22', // weekly 2026-W47
        '2026-11-15', // weekly 2026-W46
        '2026-10-31', // monthly 2026-10
        '2026-09-30',
        '2026-08-31',
        '2026-07-31', // monthly: 2026-12 … 2026-07 = 6
        '2025-12-31', // yearly 2025
      ]);
      expect(reasonOf(decisions, 'b0')).toEqual([
        'newest success',
        'keep_last 2',
        'daily 2026-12-01',
        'weekly 2026-W49',
        'monthly 2026-12',
        'yearly 2026',
      ]);
      expect(reasonOf(decisions, 'b2')).toEqual(['daily 2026-11-29', 'weekly 2026-W48']);
      const dropped = decisions.find((d) => d.createdAt.toISOString().startsWith('2026-11-24'))!;
      expect(dropped.keep).toBe(false);
      expect(dropped.reasons).toEqual(['not in keep_last 2 nor daily 7, weekly 4, monthly 6, yearly 2']);
      expect(kept(decisions)).toHaveLength(14);
    });

    it('hourly buckets, and failures never fill a bucket', () => {
      // Every 20 minutes for 4 hours: 13 backups; the newest of 12:00 is a failure.
      const statuses = ['failed', 'success', 'success', 'success', 'success', 'success', 'success'];
      const backups = history(statuses, 20 * 60_000);
      const decisions = plan(backups, { type: 'gfs', value: 1, hourly: 2 });
      // b0 12:00 failed (kept, as a failure), b1 11:40, b2 11:20, b3 11:00, b4 10:40, b5 10:20, b6 10:00
      expect(kept(decisions)).toEqual(['b0', 'b1', 'b4']);
      expect(reasonOf(decisions, 'b1')).toEqual(['newest success', 'keep_last 1', 'hourly 2026-12-01 11:00']);
      expect(reasonOf(decisions, 'b4')).toEqual(['hourly 2026-12-01 10:00']);
    });

    it('reads the buckets in the database time zone', () => {
      // 23:30 UTC on Nov 30 is already Dec 1 in Paris.
      expect(periodKey('daily', new Date('2026-11-30T23:30:00Z'), 'Europe/Paris')).toBe('2026-12-01');
      expect(periodKey('daily', new Date('2026-11-30T23:30:00Z'))).toBe('2026-11-30');
      expect(periodKey('weekly', new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53');
      expect(periodKey('weekly', new Date('2026-01-01T12:00:00Z'))).toBe('2026-W01');
    });

    it('min_keep and the newest success hold under gfs too', () => {
      const backups = history(['failed', 'failed', 'success', 'success', 'success', 'success'], HOUR);
      const decisions = plan(backups, { type: 'gfs', value: 1, minKeep: 3 });
      expect(kept(decisions)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
      expect(reasonOf(decisions, 'b4')).toEqual(['min_keep 3']);
      expect(removed(decisions)).toEqual(['b5']);
    });
  });

  it('only successes ever go, and at least one success always stays (random histories)', () => {
    const statuses = ['success', 'failed', 'skipped', 'running', 'pending'];
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const policies: RetentionPolicy[] = [
      { type: 'count', value: 1 },
      { type: 'days', value: 1 },
      { type: 'gfs', value: 1, daily: 1, weekly: 1 },
      { type: 'count', value: 2, minKeep: 4 },
    ];
    for (let run = 0; run < 200; run++) {
      const backups = history(
        Array.from({ length: 1 + Math.floor(random() * 12) }, () => statuses[Math.floor(random() * statuses.length)]),
        Math.floor(random() * 5 * DAY) + 1,
      );
      const policy = policies[run % policies.length];
      const decisions = plan(backups, policy);
      const successes = backups.filter((b) => b.status === 'success');
      for (const d of decisions.filter((x) => !x.keep)) expect(d.status).toBe('success');
      const keptSuccesses = decisions.filter((d) => d.keep && d.status === 'success').map((d) => d.id);
      expect(keptSuccesses.length).toBeGreaterThanOrEqual(Math.min(successes.length, policy.minKeep ?? 1));
      if (successes.length) expect(keptSuccesses).toContain(successes[0].id);
    }
  });
});
