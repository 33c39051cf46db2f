import type { IncomingMessage } from 'node:http';

// server.js is plain CommonJS (it runs without a build step).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { setClientAddress, trustFrom } = require('../server.js') as {
  setClientAddress(req: IncomingMessage, trust: (address: string, hop: number) => boolean): void;
  trustFrom(value: string | undefined): (address: string, hop: number) => boolean;
};

function incoming(remoteAddress: string, headers: Record<string, string>): IncomingMessage {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { headers: lower, socket: { remoteAddress }, connection: { remoteAddress } } as unknown as IncomingMessage;
}

const claims = { 'X-Forwarded-For': '203.0.113.9, 198.51.100.7', Forwarded: 'for=192.0.2.1', 'X-Real-IP': '192.0.2.2' };

describe("the console server's client address", () => {
  it('is the connecting address when no proxy is trusted (the default), whatever the client claims', () => {
    const req = incoming('192.0.2.50', claims);
    setClientAddress(req, trustFrom(undefined));
    expect(req.headers).toEqual({ 'x-forwarded-for': '192.0.2.50' });
  });

  it('is the address a trusted reverse proxy reported, never what the client wrote before it', () => {
    const req = incoming('10.0.0.5', { 'X-Forwarded-For': '203.0.113.9, 198.51.100.7' });
    setClientAddress(req, trustFrom('10.0.0.0/8'));
    expect(req.headers['x-forwarded-for']).toBe('198.51.100.7');
  });

  it('ignores forwarding headers from a peer that is not a trusted proxy', () => {
    const req = incoming('192.0.2.50', claims);
    setClientAddress(req, trustFrom('10.0.0.0/8'));
    expect(req.headers['x-forwarded-for']).toBe('192.0.2.50');
  });

  it('refuses a malformed TRUSTED_PROXIES', () => {
    expect(() => trustFrom('proxy.example.com')).toThrow(/TRUSTED_PROXIES/);
  });
});
