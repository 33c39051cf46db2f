import { maxAgeMs, protectionOf, type ProtectionInput } from './protection';

const now = new Date('2027-03-10T12:00:00Z');
const hours = (h: number) => new Date(now.getTime() - h * 3_600_000);
const base: ProtectionInput = {
  schedule: '0 * * * *',
  timezone: 'UTC',
  enabled: true,
  maxAgeHours: null,
  scheduledSince: hours(100),
  lastSuccessAt: hours(1),
  lastFinishedStatus: 'success',
};

describe('protection', () => {
  it('derives the maximum age as twice the schedule interval; max_age_hours wins', () => {
    expect(maxAgeMs(base, now)).toBe(2 * 3_600_000);
    expect(maxAgeMs({ ...base, schedule: '30 3 * * *' }, now)).toBe(2 * 86_400_000);
    expect(maxAgeMs({ ...base, maxAgeHours: 5 }, now)).toBe(5 * 3_600_000);
    expect(maxAgeMs({ ...base, schedule: null }, now)).toBeNull();
    expect(maxAgeMs({ ...base, enabled: false }, now)).toBeNull();
  });

  it('ok, stale, failing and unscheduled', () => {
    expect(protectionOf(base, now)).toBe('ok');
    expect(protectionOf({ ...base, lastSuccessAt: hours(2.5) }, now)).toBe('stale');
    expect(protectionOf({ ...base, lastFinishedStatus: 'failed' }, now)).toBe('failing');
    expect(protectionOf({ ...base, schedule: null }, now)).toBe('unscheduled');
    expect(protectionOf({ ...base, schedule: null, maxAgeHours: 1, lastSuccessAt: hours(2) }, now)).toBe('stale');
    // Never backed up: stale only once the schedule has applied longer than the maximum age.
    expect(
      protectionOf({ ...base, lastSuccessAt: null, lastFinishedStatus: null, scheduledSince: hours(1) }, now),
    ).toBe('ok');
    expect(
      protectionOf({ ...base, lastSuccessAt: null, lastFinishedStatus: null, scheduledSince: hours(3) }, now),
    ).toBe('stale');
  });
});
