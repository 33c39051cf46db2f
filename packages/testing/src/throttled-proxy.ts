import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface ThrottledProxy {
  host: string;
  port: number;
  /**
   * Bytes per second from the server to its clients (what pg_dump reads); `null` lets them
   * through at full speed. Applies at once, also to connections already open.
   */
  setRate(bytesPerSecond: number | null): void;
  stop(): Promise<void>;
}

/**
 * A TCP proxy that slows what a server sends, e.g. PostgreSQL to pg_dump, so a test can watch a
 * backup while it runs however fast the machine is, then let it finish at full speed. What the
 * client sends goes through untouched.
 */
export async function startThrottledProxy(
  target: { host: string; port: number },
  bytesPerSecond: number | null,
): Promise<ThrottledProxy> {
  let rate = bytesPerSecond;
  const sockets = new Set<Socket>();
  /** Connections paused until their share of the rate is spent; setRate() wakes them early. */
  const paused = new Map<Socket, { timer: NodeJS.Timeout; resume: () => void }>();

  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const close = () => {
      const waiting = paused.get(upstream);
      if (waiting) clearTimeout(waiting.timer);
      paused.delete(upstream);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('error', close);
      socket.on('close', close);
    }
    client.pipe(upstream);
    upstream.on('end', () => client.end());

    const resume = () => {
      paused.delete(upstream);
      if (client.writableNeedDrain) client.once('drain', () => upstream.resume());
      else upstream.resume();
    };
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      upstream.pause();
      if (rate === null) return resume();
      paused.set(upstream, { timer: setTimeout(resume, (chunk.length / rate) * 1_000), resume });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    setRate(bytesPerSecond) {
      rate = bytesPerSecond;
      for (const { timer, resume } of [...paused.values()]) {
        clearTimeout(timer);
        resume();
      }
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
