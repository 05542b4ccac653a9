/** Counter-based ids that look like AWS ones (prefix, "0", 16 hex digits), so test output is stable. */
export class IdSequence {
  private readonly counters = new Map<string, number>();

  next(prefix: string): string {
    const count = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, count);
    return `${prefix}-0${count.toString(16).padStart(16, "0")}`;
  }
}
