import { Injectable } from '@nestjs/common';

/** What time it is: the scheduler and the next-run computation ask this, so tests can fix it. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
