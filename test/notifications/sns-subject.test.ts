import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatNotification } from "../../shared/notifications/format-notification";
import { SUBJECT_MAX, toSnsSubject } from "../../shared/notifications/sns-subject";
import { KINDS, NOW, notified } from "./decisions";

// What SNS takes: printable ASCII that begins with a letter, digit or punctuation, under 100 characters.
const SNS_SUBJECT = /^[\x21-\x7e][\x20-\x7e]{0,98}$/;

describe("subjects SNS accepts", () => {
  it.each([
    {
      name: "a subject that fits is left as it is",
      input: "Peering pcx-0123456789abcdef0 from 222222222222 eu-west-1: awaiting approval",
      output: "Peering pcx-0123456789abcdef0 from 222222222222 eu-west-1: awaiting approval",
    },
    { name: "line breaks and tabs become one space", input: "rejected\r\n\tnow", output: "rejected now" },
    { name: "characters outside ASCII are replaced", input: "règle café ✓", output: "r?gle caf? ?" },
    { name: "leading and trailing spaces go", input: "  \n approved \n", output: "approved" },
    {
      name: "nothing printable leaves a subject that says what it is",
      input: "\n\t ",
      output: "peering-autopilot notification",
    },
  ])("$name", ({ input, output }) => {
    expect(toSnsSubject(input)).toBe(output);
  });

  it("cuts a long subject at a word, marked with an ellipsis", () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");
    const subject = toSnsSubject(words);
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(subject).toMatch(/ word\d+\.\.\.$/);
    expect(words.startsWith(subject.slice(0, -3))).toBe(true);
  });

  it("cuts inside a word too long to keep whole, using all the room there is", () => {
    const subject = toSnsSubject(`Peering: ${"a".repeat(200)}`);
    expect(subject).toBe(`Peering: ${"a".repeat(SUBJECT_MAX - 3 - 9)}...`);
    expect(subject).toHaveLength(SUBJECT_MAX);
  });

  it("is always something SNS accepts, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        expect(toSnsSubject(text)).toMatch(SNS_SUBJECT);
      }),
    );
  });

  it.each(KINDS)("%s: the subject of a real decision is one SNS accepts", (kind) => {
    expect(formatNotification(notified(kind), { now: NOW }).subject).toMatch(SNS_SUBJECT);
  });
});
