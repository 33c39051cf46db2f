import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Observable, Subject } from 'rxjs';
import type { SseMessage } from '../../common/http/sse';
import { EventsRepository, type ListenConnection } from './events.repository';
import { EVENTS_CHANNEL, TENANT_EVENT_NAMES, type EventEnvelope, type TenantEventName } from './events.types';

/** How many events each process keeps for clients that reconnect with Last-Event-ID. */
export const REPLAY_BUFFER_SIZE = 1_000;
/** A comment line this often keeps proxies from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

interface StoredEvent {
  /** Its number among its tenant's events. */
  seq: number;
  tenantId: string;
  event: TenantEventName;
  data: Record<string, unknown>;
}

type HubSignal = { kind: 'event'; event: StoredEvent } | { kind: 'reset' };

/** Where a tenant's numbering stands: its last event's number, and the last one no longer kept. */
interface Counter {
  seq: number;
  floor: number;
}

/**
 * The events of every tenant as this process hears them: one dedicated connection LISTENs on
 * the service database (reconnecting with backoff; the API serves meanwhile), and each event is
 * numbered and fanned out to the open streams of its tenant.
 *
 * Event ids are `<epoch>-<n>`: n counts the events of that tenant this process heard (so an id
 * says nothing about other tenants), the epoch is random per process and changes when the
 * listener lost its connection (events may have been missed then). The last REPLAY_BUFFER_SIZE
 * events are kept. A stream opened with a Last-Event-ID this process knows gets what came after
 * it first; an id it does not know (another process's or epoch's, or too old) gets a `reset`:
 * refetch everything.
 */
@Injectable()
export class EventHub implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventHub.name);
  private epoch = randomBytes(4).toString('hex');
  /** By tenant: every event of it numbered above `floor` (up to `seq`) is in `buffer`. */
  private readonly counters = new Map<string, Counter>();
  private readonly buffer: StoredEvent[] = [];
  private readonly signals = new Subject<HubSignal>();
  private connection: ListenConnection | undefined;
  private stopping = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly events: EventsRepository) {}

  onModuleInit(): void {
    // Not awaited: the API comes up even while its database is down, and listens once it is back.
    this.running = this.listenForever().catch(() => undefined);
  }

  /** Before the HTTP server closes (it waits for open responses): every stream ends, clients reconnect elsewhere. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.signals.complete();
    await this.connection?.close();
    await this.running;
  }

  private async listenForever(): Promise<void> {
    let failures = 0;
    let everConnected = false;
    while (!this.stopping) {
      try {
        const connection = await this.events.listen(EVENTS_CHANNEL, (payload) => this.receive(payload));
        this.connection = connection;
        if (this.stopping) break;
        if (everConnected) {
          // Whatever was sent while this process was not listening is lost: streams refetch.
          this.logger.log('listening for events again');
          this.forgetHistory();
        }
        everConnected = true;
        failures = 0;
        const reason = await connection.closed;
        this.connection = undefined;
        if (this.stopping) break;
        await connection.close();
        this.logger.warn({ reason: reason.message }, 'event listener lost its connection; reconnecting');
      } catch (error) {
        if (this.stopping) break;
        if (failures % 15 === 0)
          this.logger.warn({ reason: (error as Error).message }, 'cannot listen for events yet; retrying');
        failures++;
      }
      await this.sleep(Math.min(RECONNECT_MIN_MS * 2 ** failures, RECONNECT_MAX_MS));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** A NOTIFY payload: numbered, kept, fanned out. Anything malformed is ignored. */
  receive(payload: string): void {
    let envelope: EventEnvelope;
    try {
      envelope = JSON.parse(payload) as EventEnvelope;
    } catch {
      this.logger.debug('malformed event ignored');
      return;
    }
    if (
      typeof envelope?.t !== 'string' ||
      !TENANT_EVENT_NAMES.includes(envelope.e) ||
      typeof envelope.d !== 'object' ||
      envelope.d === null
    ) {
      this.logger.debug('malformed event ignored');
      return;
    }
    const counter = this.counterOf(envelope.t);
    const event: StoredEvent = { seq: ++counter.seq, tenantId: envelope.t, event: envelope.e, data: envelope.d };
    this.buffer.push(event);
    if (this.buffer.length > REPLAY_BUFFER_SIZE) {
      const dropped = this.buffer.shift()!;
      this.counterOf(dropped.tenantId).floor = dropped.seq;
    }
    this.signals.next({ kind: 'event', event });
  }

  private counterOf(tenantId: string): Counter {
    let counter = this.counters.get(tenantId);
    if (!counter) this.counters.set(tenantId, (counter = { seq: 0, floor: 0 }));
    return counter;
  }

  /** Events may have been missed: a new epoch, so that no id from before resumes. */
  private forgetHistory(): void {
    this.buffer.length = 0;
    this.counters.clear();
    this.epoch = randomBytes(4).toString('hex');
    this.signals.next({ kind: 'reset' });
  }

  private idOf(seq: number): string {
    return `${this.epoch}-${seq}`;
  }

  /** The tenant's events after `lastEventId`, or null when this process cannot say what came after it. */
  private after(tenantId: string, lastEventId: string): StoredEvent[] | null {
    const match = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId.trim());
    if (!match || match[1] !== this.epoch) return null;
    const seq = Number(match[2]);
    const counter = this.counters.get(tenantId) ?? { seq: 0, floor: 0 };
    if (!Number.isSafeInteger(seq) || seq < counter.floor || seq > counter.seq) return null;
    return this.buffer.filter((event) => event.tenantId === tenantId && event.seq > seq);
  }

  private messageOf(event: StoredEvent): SseMessage {
    return { id: this.idOf(event.seq), event: event.event, data: event.data };
  }

  /** The id a stream of `tenantId` resumes from now. */
  private currentId(tenantId: string): string {
    return this.idOf(this.counters.get(tenantId)?.seq ?? 0);
  }

  private reset(tenantId: string, reason: string): SseMessage {
    return { id: this.currentId(tenantId), event: 'reset', data: { reason } };
  }

  /**
   * The stream of one tenant: what it missed since `lastEventId` (or `reset`), then `ready`
   * (with the current id), then its events as they come, and a heartbeat comment every HEARTBEAT_MS.
   */
  stream(tenantId: string, lastEventId: string | undefined): Observable<SseMessage> {
    return new Observable<SseMessage>((subscriber) => {
      // All synchronous: nothing can arrive between the replay and the subscription.
      if (lastEventId) {
        const missed = this.after(tenantId, lastEventId);
        if (missed === null) subscriber.next(this.reset(tenantId, 'unknown or expired Last-Event-ID: refetch'));
        else for (const event of missed) subscriber.next(this.messageOf(event));
      }
      subscriber.next({ id: this.currentId(tenantId), event: 'ready', data: {} });
      const subscription = this.signals.subscribe({
        next: (signal) => {
          if (signal.kind === 'reset') subscriber.next(this.reset(tenantId, 'events may have been missed: refetch'));
          else if (signal.event.tenantId === tenantId) subscriber.next(this.messageOf(signal.event));
        },
        complete: () => subscriber.complete(),
      });
      const heartbeat = setInterval(() => subscriber.next({ comment: 'heartbeat' }), HEARTBEAT_MS);
      heartbeat.unref();
      return () => {
        clearInterval(heartbeat);
        subscription.unsubscribe();
      };
    });
  }
}
