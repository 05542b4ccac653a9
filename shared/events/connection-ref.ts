/**
 * A connection as an event or a sweep names it, and where to look it up: enough to find it, nothing
 * to trust. For a request that is the accepter's account and region; for a deletion, whichever side
 * made the call.
 */
export interface ConnectionRef {
  connectionId: string;
  account: string;
  region: string;
  /** Who tagged the connection with `peering-approval`, when that tag's event is the trigger. */
  answeredBy?: string;
}
