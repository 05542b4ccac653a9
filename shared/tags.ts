/** Whether a resource's tags carry every tag `wanted` names, with its value: how selectors pick by tags. */
export function carriesTags(tags: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => tags[key] === value);
}

/** Tags as people write them: `Tier=app, Env=prod`. */
export function tagList(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");
}
