/**
 * `enforce` carries decisions out; `report` decides exactly as `enforce` and logs, publishes and
 * notifies what it would have done, but changes nothing in AWS (no accept, reject, route, DNS or tag).
 */
export const MODES = ["enforce", "report"] as const;
export type Mode = (typeof MODES)[number];
