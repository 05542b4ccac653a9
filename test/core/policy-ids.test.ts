// The forms of account ids, regions and VPC ids a policy takes, whole values only: a pattern that loses
// an anchor or an alternative must fail a row here.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parsePolicy } from "../../shared/policy/load-policy";
import { PolicyError } from "../../shared/policy/policy-error";

/** A one-rule policy whose accepter selector has `field` set to `[value]`. */
const withAccepter = (field: "accounts" | "regions" | "vpcs", value: string) =>
  stringify({
    version: 1,
    rules: [
      {
        name: "only",
        accepter: { accounts: ["111111111111"], [field]: [value] },
        requester: { accounts: ["222222222222"], cidrs: ["10.16.0.0/12"] },
      },
    ],
  });

const loads = (field: "accounts" | "regions" | "vpcs", value: string) => {
  try {
    return parsePolicy(withAccepter(field, value), "ids.yml").rules[0]?.accepter[field];
  } catch (error) {
    if (error instanceof PolicyError) return error.message;
    throw error;
  }
};

describe("policy ids and regions", () => {
  it.each([
    ["accounts", "123456789012"],
    ["regions", "us-east-1"],
    ["regions", "ap-southeast-2"],
    ["regions", "us-gov-west-1"],
    ["regions", "us-gov-east-1"],
    ["regions", "us-iso-east-1"],
    ["regions", "us-isob-east-1"],
    ["regions", "eu-isoe-west-1"],
    ["vpcs", "vpc-0f9e8d7c6b5a40001"],
    // The 8-hex form of VPCs created before 2018 is still in use.
    ["vpcs", "vpc-1a2b3c4d"],
  ] as const)("takes %s %s", (field, value) => {
    expect(loads(field, value)).toEqual([value]);
  });

  it.each([
    ["accounts", "1234567890123", "a 13-digit account id"],
    ["accounts", "12345678901", "an 11-digit account id"],
    ["accounts", "x123456789012", "an account id with a prefix"],
    ["accounts", "123456789012x", "an account id with a suffix"],
    ["regions", "US-EAST-1", "capitals"],
    ["regions", "us-east", "no number"],
    ["regions", "us-east-1a", "an availability zone"],
    ["regions", "xus-east-1", "a prefix"],
    ["regions", "us-gov-west-12", "two digits"],
    ["regions", "us-foo-west-1", "a partition that is not one"],
    ["vpcs", "vpc-1a2b3c4d5", "9 hex digits"],
    ["vpcs", "vpc-0f9e8d7c6b5a4000", "16 hex digits"],
    ["vpcs", "vpc-0f9e8d7c6b5a400012", "18 hex digits"],
    ["vpcs", "vpc-0F9E8D7C6B5A40001", "capitals"],
    ["vpcs", "xvpc-1a2b3c4d", "a prefix"],
    ["vpcs", "subnet-1a2b3c4d", "another resource's id"],
  ] as const)("refuses %s %s (%s), naming the field", (field, value, _why) => {
    expect(loads(field, value)).toMatch(new RegExp(`field accepter\\.${field}\\[0\\]: must be`));
  });
});

/** A one-rule policy whose rule is called `name`: its name back, or the PolicyError's message. */
const loadsName = (name: string) => {
  const text = stringify({
    version: 1,
    rules: [
      {
        name,
        accepter: { accounts: ["111111111111"] },
        requester: { accounts: ["222222222222"], cidrs: ["10.16.0.0/12"] },
      },
    ],
  });
  try {
    return parsePolicy(text, "names.yml").rules[0]?.name;
  } catch (error) {
    if (error instanceof PolicyError) return error.message;
    throw error;
  }
};

describe("rule names", () => {
  it.each([
    ["a", "one character"],
    ["9", "a digit"],
    ["payments-to-shared", "dashes"],
    ["Partner_Analytics.v2", "capitals, '_' and '.'"],
    [`a${"b".repeat(62)}`, "63 characters"],
  ])("takes %s (%s)", (name, _why) => {
    expect(loadsName(name)).toBe(name);
  });

  it.each([
    ["", "empty"],
    ["-payments", "a leading dash"],
    [".payments", "a leading dot"],
    ["payments to shared", "a space"],
    ["payments!", "a character after the allowed ones"],
    ["payments\n", "a trailing newline"],
    ["payments/shared", "a slash"],
    [`a${"b".repeat(63)}`, "64 characters"],
  ])("refuses %j (%s), naming the field", (name, _why) => {
    expect(loadsName(name)).toMatch(/field name: must be 1-63 letters, digits, '\.', '_' or '-'/);
  });
});
