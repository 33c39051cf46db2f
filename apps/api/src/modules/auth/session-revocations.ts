import { Injectable } from '@nestjs/common';
import { RevokedSessionsRepository } from './auth.repositories';

/** How long a "not revoked" answer is trusted; another replica's logout takes effect within it. */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Whether a session (refresh-token family, the `sid` of its access JWTs) was ended. Checked on
 * every JWT request, so answers are cached briefly; a revocation in this process applies at once.
 */
@Injectable()
export class SessionRevocations {
  private readonly checked = new Map<string, { revoked: boolean; at: number }>();

  constructor(private readonly revokedSessions: RevokedSessionsRepository) {}

  async isRevoked(sessionId: string): Promise<boolean> {
    const cached = this.checked.get(sessionId);
    if (cached && (cached.revoked || Date.now() - cached.at < CACHE_TTL_MS)) return cached.revoked;
    const revoked = await this.revokedSessions.exists(sessionId);
    this.remember(sessionId, revoked);
    return revoked;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.revokedSessions.add(sessionId);
    this.remember(sessionId, true);
  }

  private remember(sessionId: string, revoked: boolean): void {
    if (this.checked.size >= CACHE_MAX_ENTRIES) this.checked.clear();
    this.checked.set(sessionId, { revoked, at: Date.now() });
  }
}
