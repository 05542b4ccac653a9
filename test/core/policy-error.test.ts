// How a policy problem reads: the one line per problem an operator sees in the logs and the CLI.
import { describe, expect, it } from "vitest";
import { describeProblem, PolicyError, type PolicyProblem } from "../../shared/policy/policy-error";
import { named } from "../helpers/facts";

describe("describeProblem: where, then what", () => {
  it.each(
    named<{ name: string; problem: PolicyProblem; expected: string }>([
      {
        name: "rule and field",
        problem: { rule: "first", field: "requester.cidrs[1]", message: "has host bits set" },
        expected: "rule 'first', field requester.cidrs[1]: has host bits set",
      },
      {
        name: "rule only",
        problem: { rule: "rules[2]", message: "unknown key(s): owner" },
        expected: "rule 'rules[2]': unknown key(s): owner",
      },
      {
        name: "field only (a top-level field)",
        problem: { field: "version", message: "expected 1" },
        expected: "field version: expected 1",
      },
      {
        name: "neither: the message alone",
        problem: { message: "Map keys must be unique at line 2, column 1" },
        expected: "Map keys must be unique at line 2, column 1",
      },
    ]),
  )("%s", (_, { problem, expected }) => {
    expect(describeProblem(problem)).toBe(expected);
  });
});

describe("PolicyError", () => {
  it.each(
    named<{ name: string; problems: PolicyProblem[]; message: string }>([
      {
        name: "one problem",
        problems: [{ message: "cannot read the file: ENOENT" }],
        message: "invalid policy policy.yml:\n  - cannot read the file: ENOENT",
      },
      {
        name: "one line per problem, in order",
        problems: [
          { field: "version", message: "expected 1" },
          { rule: "first", field: "accepter.accounts[0]", message: "must be a 12-digit AWS account id" },
          { rule: "rules[1]", message: "expected object, received null" },
        ],
        message: [
          "invalid policy policy.yml:",
          "  - field version: expected 1",
          "  - rule 'first', field accepter.accounts[0]: must be a 12-digit AWS account id",
          "  - rule 'rules[1]': expected object, received null",
        ].join("\n"),
      },
    ]),
  )("%s", (_, { problems, message }) => {
    const error = new PolicyError("policy.yml", problems);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("PolicyError");
    expect(error.message).toBe(message);
    expect(String(error)).toBe(`PolicyError: ${message}`);
    expect(error.file).toBe("policy.yml");
    expect(error.problems).toEqual(problems);
  });
});
