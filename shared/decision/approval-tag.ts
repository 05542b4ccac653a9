/** The key a person tags a pending connection with to answer it; outside the service's own prefix. */
export const APPROVAL_TAG = "peering-approval";

/** What the `peering-approval` tag says: case and surrounding spaces do not matter. */
export type ApprovalAnswer =
  | { kind: "none" }
  | { kind: "approve" }
  | { kind: "deny" }
  | { kind: "unclear"; value: string };

export function readApprovalTag(tags: Record<string, string>): ApprovalAnswer {
  const value = tags[APPROVAL_TAG];
  if (value === undefined) return { kind: "none" };
  const answer = value.trim().toLowerCase();
  if (answer === "approve" || answer === "deny") return { kind: answer };
  return { kind: "unclear", value };
}
