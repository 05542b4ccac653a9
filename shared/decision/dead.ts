/** The statuses of a connection that carries no traffic and never will again: what it left is cleaned up. */
const DEAD = new Set(["deleted", "rejected", "expired", "failed"]);

export function isDead(status: string): boolean {
  return DEAD.has(status);
}
