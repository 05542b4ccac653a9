/** Whole lines, in order, while they fit in `max` characters; then `note`, if any line was left out. */
export function fitLines(lines: string[], max: number, note: string): string[] {
  const room = max - note.length - 1;
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    used += line.length + (kept.length > 0 ? 1 : 0);
    if (used > room) {
      // A single line too long to keep whole keeps its start.
      if (kept.length === 0 && room > 0) kept.push(line.slice(0, room));
      return [...kept, note];
    }
    kept.push(line);
  }
  return kept;
}
