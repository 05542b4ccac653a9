/** The events the service puts on its own bus: their source and detail types, which rules match on. */
export const EVENT_SOURCE = "peering-autopilot";
export const DETAIL_TYPES = {
  decision: "Peering Decision",
  routesChanged: "Peering Routes Changed",
  reconcileSummary: "Peering Reconcile Summary",
} as const;
