import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../../config/app-config';
import { PrismaService } from '../../prisma/prisma.service';

/** A LISTEN connection; `closed` resolves (with the reason) when it drops. */
export interface ListenConnection {
  closed: Promise<Error>;
  close(): Promise<void>;
}

/**
 * PostgreSQL NOTIFY / LISTEN on the service database: the way events cross processes. NOTIFY
 * goes through the Prisma pool; each process holds one dedicated connection that LISTENs.
 */
@Injectable()
export class EventsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
  ) {}

  async notify(channel: string, payload: string): Promise<void> {
    await this.prisma.$queryRaw`SELECT pg_notify(${channel}, ${payload})`;
  }

  /** Opens a connection that LISTENs on `channel` and hands every payload to `onPayload`. */
  async listen(channel: string, onPayload: (payload: string) => void): Promise<ListenConnection> {
    const client = new Client({
      connectionString: this.config.env.DATABASE_URL,
      application_name: `dumpstation-${this.config.env.APP_ROLE}-events`,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    let resolveClosed!: (reason: Error) => void;
    const closed = new Promise<Error>((resolve) => (resolveClosed = resolve));
    client.on('error', (error) => resolveClosed(error));
    client.on('end', () => resolveClosed(new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return { closed, close: () => client.end().catch(() => undefined) };
  }
}
