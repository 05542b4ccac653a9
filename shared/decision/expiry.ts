import type { DecisionFacts } from "../facts";
import { EXPIRY_ANNOUNCED_TAG } from "./decision-tags";

const HOUR_MS = 3_600_000;
// A day's notice: time for a person to answer before EC2 expires the request.
const NOTICE_MS = 24 * HOUR_MS;

/**
 * Whether a request left pending should be announced as expiring: less than a day left and not
 * announced yet. Without the time the facts were read, or an expiration time, nothing is judged.
 */
export function expiringSoon(facts: DecisionFacts): { reason: string } | undefined {
  const { expiresAt, tags } = facts.connection;
  if (!expiresAt || !facts.readAt || tags[EXPIRY_ANNOUNCED_TAG] !== undefined) return undefined;
  const left = Date.parse(expiresAt) - Date.parse(facts.readAt);
  if (!(left < NOTICE_MS)) return undefined;
  return { reason: `the request expires at ${expiresAt} (${timeLeft(left)}) unless it is answered` };
}

/** Time left in words a person reads at a glance: "5 h 20 min left", "expired". */
export function timeLeft(ms: number): string {
  if (ms <= 0) return "expired";
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} d ${hours} h left`;
  return `${hours} h ${minutes % 60} min left`;
}
