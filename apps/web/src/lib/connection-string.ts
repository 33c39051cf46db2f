import type { SslMode } from '@/components/Databases/options';

/** What a pasted `postgresql://user:password@host:port/dbname?sslmode=…` says, as the form's fields. */
export interface ParsedConnection {
  host: string;
  port?: number;
  dbname?: string;
  user?: string;
  password?: string;
  sslmode?: SslMode;
}

const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** A libpq connection URI (postgres:// or postgresql://), or null when `text` is not one. */
export function parseConnectionString(text: string): ParsedConnection | null {
  const trimmed = text.trim();
  if (!/^postgres(?:ql)?:\/\//i.test(trimmed)) return null;
  let url: URL;
  try {
    // URL parses a custom scheme's authority only after "//": give it one it knows the shape of.
    url = new URL(trimmed.replace(/^postgres(?:ql)?:/i, 'http:'));
  } catch {
    return null;
  }
  const host = decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1');
  if (!host) return null;
  const parsed: ParsedConnection = { host };
  if (url.port) parsed.port = Number(url.port);
  const dbname = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (dbname) parsed.dbname = dbname;
  if (url.username) parsed.user = decodeURIComponent(url.username);
  if (url.password) parsed.password = decodeURIComponent(url.password);
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode && (SSL_MODES as readonly string[]).includes(sslmode)) parsed.sslmode = sslmode as SslMode;
  return parsed;
}
