/** Text from a record on one line: line breaks and control characters (from a tag value, say) become spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ");
}

/** Every string in a plain value made one line, so that no field can add lines of its own to a message. */
export function withStringsOnOneLine<T>(value: T): T {
  if (typeof value === "string") return oneLine(value) as T;
  if (Array.isArray(value)) return value.map(withStringsOnOneLine) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withStringsOnOneLine(item)]),
    ) as T;
  }
  return value;
}
