type Stoppable = { stop(): Promise<unknown> };

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { __servers?: Stoppable[] }).__servers ?? [];
  await Promise.all(servers.map((server) => server.stop()));
}
