// SNS takes a subject of ASCII text that begins with a letter, number or punctuation mark, has no line
// breaks or control characters, and is less than 100 characters long.
export const SUBJECT_MAX = 99;
const ELLIPSIS = "...";
const FALLBACK = "peering-autopilot notification";

/** Any text made into a subject SNS accepts: other characters replaced, cut at a word where it can be. */
export function toSnsSubject(text: string): string {
  const ascii = text
    .replace(/[\s\p{C}]+/gu, " ")
    .replace(/[^\x20-\x7e]/g, "?")
    .trim();
  if (ascii.length === 0) return FALLBACK;
  if (ascii.length <= SUBJECT_MAX) return ascii;
  const room = SUBJECT_MAX - ELLIPSIS.length;
  const cut = ascii.slice(0, room + 1);
  const atWord = cut.lastIndexOf(" ");
  // A cut inside the last word keeps most of the line when the word is long (an ARN, say).
  const kept = atWord > room / 2 ? cut.slice(0, atWord) : cut.slice(0, room);
  return `${kept.trimEnd()}${ELLIPSIS}`;
}
