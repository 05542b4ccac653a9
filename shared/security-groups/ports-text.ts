/** A rule's ports as people read them: `443`, `8000-8100`, or `all` for a protocol without ports. */
export function portsText(fromPort: number, toPort: number): string {
  if (fromPort < 0) return "all";
  return fromPort === toPort ? `${fromPort}` : `${fromPort}-${toPort}`;
}
