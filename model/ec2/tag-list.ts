import type { Tag } from "@aws-sdk/client-ec2";

export function toTagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
