import { loadConfig } from '../../src/config/app-config';
import { Clock } from '../../src/modules/schedules/clock';
import { ScheduleCalculator } from '../../src/modules/schedules/schedule-calculator';
import { TEST_ENCRYPTION_KEY } from '../helpers/app';

class FixedClock extends Clock {
  constructor(private readonly at: string) {
    super();
  }
  now(): Date {
    return new Date(this.at);
  }
}

const config = loadConfig({
  NODE_ENV: 'test',
  DATABASE_URL: 'postgresql://u@localhost/db',
  APP_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
});
const runs = (at: string, schedule: string, zone: string) =>
  new ScheduleCalculator(new FixedClock(at), config).preview(schedule, zone);

// The rule of docs/operations.md ("Schedules and DST"): a skipped wall time runs once, shifted by
// the gap; a repeated one runs once, at its first occurrence; runs on other days are untouched.
describe('next runs across DST changes, with a fixed clock', () => {
  it('Europe/Berlin, spring forward (2027-03-28, 02:00 → 03:00): the 02:30 slot runs once, at 03:30 CEST', () => {
    expect(runs('2027-03-26T12:00:00Z', '30 2 * * *', 'Europe/Berlin')).toEqual({
      schedule_description: 'At 02:30',
      next_runs: [
        '2027-03-27T02:30:00+01:00',
        '2027-03-28T03:30:00+02:00',
        '2027-03-29T02:30:00+02:00',
        '2027-03-30T02:30:00+02:00',
        '2027-03-31T02:30:00+02:00',
      ],
    });
  });

  it('Europe/Berlin, fall back (2027-10-31, 03:00 → 02:00): the repeated 02:30 runs once, at its first occurrence (CEST)', () => {
    expect(runs('2027-10-29T12:00:00Z', '30 2 * * *', 'Europe/Berlin').next_runs).toEqual([
      '2027-10-30T02:30:00+02:00',
      '2027-10-31T02:30:00+02:00',
      '2027-11-01T02:30:00+01:00',
      '2027-11-02T02:30:00+01:00',
      '2027-11-03T02:30:00+01:00',
    ]);
  });

  it('America/New_York: 02:30 on the spring-forward day runs at 03:30 EDT; 01:30 on the fall-back day once, in EDT', () => {
    expect(runs('2027-03-12T12:00:00Z', '30 2 * * *', 'America/New_York').next_runs).toEqual([
      '2027-03-13T02:30:00-05:00',
      '2027-03-14T03:30:00-04:00',
      '2027-03-15T02:30:00-04:00',
      '2027-03-16T02:30:00-04:00',
      '2027-03-17T02:30:00-04:00',
    ]);
    expect(runs('2027-11-05T12:00:00Z', '30 1 * * *', 'America/New_York').next_runs).toEqual([
      '2027-11-06T01:30:00-04:00',
      '2027-11-07T01:30:00-04:00',
      '2027-11-08T01:30:00-05:00',
      '2027-11-09T01:30:00-05:00',
      '2027-11-10T01:30:00-05:00',
    ]);
  });

  it('every 30 minutes: slots in the skipped hour fold onto the real ones, the repeated hour runs once', () => {
    expect(runs('2027-03-28T00:10:00Z', '*/30 * * * *', 'Europe/Berlin').next_runs).toEqual([
      '2027-03-28T01:30:00+01:00',
      '2027-03-28T03:00:00+02:00',
      '2027-03-28T03:30:00+02:00',
      '2027-03-28T04:00:00+02:00',
      '2027-03-28T04:30:00+02:00',
    ]);
    expect(runs('2027-10-31T00:10:00Z', '*/30 * * * *', 'Europe/Berlin').next_runs).toEqual([
      '2027-10-31T02:30:00+02:00',
      '2027-10-31T03:00:00+01:00',
      '2027-10-31T03:30:00+01:00',
      '2027-10-31T04:00:00+01:00',
      '2027-10-31T04:30:00+01:00',
    ]);
  });

  it('UTC and day-of-month/day-of-week as cron reads them (either restricted day field matches)', () => {
    expect(runs('2027-03-28T00:10:00Z', '0 0 29 2 *', 'UTC').next_runs.slice(0, 2)).toEqual([
      '2028-02-29T00:00:00+00:00',
      '2032-02-29T00:00:00+00:00',
    ]);
    expect(runs('2027-03-28T00:10:00Z', '0 9 1 * MON', 'Asia/Kolkata').next_runs).toEqual([
      '2027-03-29T09:00:00+05:30',
      '2027-04-01T09:00:00+05:30',
      '2027-04-05T09:00:00+05:30',
      '2027-04-12T09:00:00+05:30',
      '2027-04-19T09:00:00+05:30',
    ]);
  });
});
