// The MCP sessions open on this server. Each one holds a transport and an McpServer in memory, so none
// may outlive its reason to exist: it belongs to the user who opened it, under the sign-in (the session
// token's grant) they opened it with; it closes when that sign-in ends (revoked, expired, replayed, the
// user signed out everywhere), when nobody has used it for a while, and when its user opens too many.
import type { SessionIdentity } from './auth-provider.ts';
import { nowSeconds } from './secrets.ts';

export const MCP_SESSION_LIMITS = {
  /** An MCP session nobody has used for this long is closed; the client simply starts a new one. */
  idleSeconds: 30 * 60,
  /** Open sessions per user; opening one more closes that user's oldest. */
  perUser: 20,
};

const CLOSE_GRACE_MS = 500;

interface OpenSession<T> {
  transport: T;
  /** The user who opened it, and the grant (token-store session) they opened it under. */
  oid: string;
  grantId: string;
  lastSeen: number;
}

export class OpenSessions<T extends { close(): Promise<void> }> {
  // Insertion order: the oldest session comes first.
  private readonly open = new Map<string, OpenSession<T>>();

  /** Remembers a new session for its caller; first closes idle ones and, past the cap, the caller's oldest. */
  add(id: string, transport: T, caller: SessionIdentity): void {
    this.closeIdle();
    const own = [...this.open].filter(([, session]) => session.oid === caller.user.oid);
    for (const [oldId] of own.slice(0, Math.max(0, own.length - MCP_SESSION_LIMITS.perUser + 1))) this.close(oldId);
    this.open.set(id, { transport, oid: caller.user.oid, grantId: caller.sessionId, lastSeen: nowSeconds() });
  }

  /** The caller's own session, or undefined: another user's session id is as unknown as a made-up one. */
  find(id: unknown, caller: SessionIdentity | undefined): T | undefined {
    const session = typeof id === 'string' ? this.open.get(id) : undefined;
    if (!session || session.oid !== caller?.user.oid) return undefined;
    session.lastSeen = nowSeconds();
    return session.transport;
  }

  /** Forgets a session that closed by itself (the client ended it, the stream dropped). */
  forget(id: string): void {
    this.open.delete(id);
  }

  /** Closes every session opened under a grant that has ended. */
  closeGrant(grantId: string): void {
    for (const [id, session] of this.open) if (session.grantId === grantId) this.close(id);
  }

  get size(): number {
    return this.open.size;
  }

  private closeIdle(): void {
    const oldest = nowSeconds() - MCP_SESSION_LIMITS.idleSeconds;
    for (const [id, session] of this.open) if (session.lastSeen < oldest) this.close(id);
  }

  /** Forgotten at once, so no new request reaches it; closed a moment later, so an answer in flight (the
   *  tool call that ended the sign-in, say) still goes out. */
  private close(id: string): void {
    const session = this.open.get(id);
    if (!session) return;
    this.open.delete(id);
    setTimeout(() => void session.transport.close().catch(() => {}), CLOSE_GRACE_MS).unref();
  }
}
