import { describe, expect, it } from "vitest";
import {
  contains,
  isCidr,
  isIpv6,
  overlaps,
  parseCidr,
  prefixLength,
  sameCidr,
  toCidr,
} from "../../shared/cidr";
import { named } from "../helpers/facts";

describe("parseCidr", () => {
  it.each(
    named(
      [
        { text: "10.0.0.0/8", family: "ipv4", prefix: 8 },
        { text: "0.0.0.0/0", family: "ipv4", prefix: 0 },
        { text: "100.64.8.0/22", family: "ipv4", prefix: 22 },
        { text: "192.168.1.7/32", family: "ipv4", prefix: 32 },
        { text: "::/0", family: "ipv6", prefix: 0 },
        { text: "fd00::/8", family: "ipv6", prefix: 8 },
        { text: "fd00:16::/32", family: "ipv6", prefix: 32 },
        { text: "fd00:0016:0000:0000:0000:0000:0000:0000/32", family: "ipv6", prefix: 32 },
        { text: "2001:db8::1/128", family: "ipv6", prefix: 128 },
      ],
      (r) => `accepts ${r.text} (${r.family} /${r.prefix})`,
    ),
  )("%s", (_, { text, family, prefix }) => {
    const parsed = parseCidr(text);
    expect(parsed).toMatchObject({ ok: true, cidr: { text, family, prefix } });
    expect(isCidr(text)).toBe(true);
    expect(toCidr(text).family).toBe(family);
    expect(isIpv6(text)).toBe(family === "ipv6");
    expect(prefixLength(text)).toBe(prefix);
  });

  it.each(
    named(
      [
        { name: "IPv4 host bits set", text: "10.0.0.1/16", reason: /host bits set.*10\.0\.0\.0\/16/ },
        { name: "IPv6 host bits set", text: "fd00::1/64", reason: /host bits set.*fd00::\/64/ },
        { name: "IPv4 prefix too long", text: "10.0.0.0/33", reason: /not a CIDR block/ },
        { name: "IPv6 prefix too long", text: "fd00::/129", reason: /not a CIDR block/ },
        { name: "negative prefix", text: "10.0.0.0/-1", reason: /not a CIDR block/ },
        { name: "no prefix", text: "10.0.0.0", reason: /not a CIDR block/ },
        { name: "two prefixes", text: "10.0.0.0/8/8", reason: /not a CIDR block/ },
        { name: "octet over 255", text: "10.0.0.256/32", reason: /not a CIDR block/ },
        { name: "three-part IPv4", text: "10.0.0/8", reason: /four-part/ },
        { name: "hexadecimal IPv4", text: "0x0a.0.0.0/8", reason: /four-part/ },
        { name: "zero-padded prefix", text: "10.0.0.0/08", reason: /not a CIDR block/ },
        { name: "octal-looking IPv4", text: "010.0.0.0/8", reason: /four-part/ },
        { name: "garbage", text: "garbage", reason: /not a CIDR block: 'garbage'/ },
        { name: "empty string", text: "", reason: /not a CIDR block/ },
        { name: "leading space", text: " 10.0.0.0/8", reason: /not a CIDR block/ },
        { name: "bad IPv6 digit", text: "fd00::g/16", reason: /not a CIDR block/ },
      ],
      (r) => `rejects ${r.name}: '${r.text}'`,
    ),
  )("%s", (_, { text, reason }) => {
    const parsed = parseCidr(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
    expect(isCidr(text)).toBe(false);
    expect(() => toCidr(text)).toThrow(TypeError);
  });
});

describe("contains", () => {
  it.each(
    named(
      [
        { name: "wider IPv4 holds narrower", outer: "10.0.0.0/8", inner: "10.20.0.0/16", expected: true },
        {
          name: "narrower IPv4 does not hold wider",
          outer: "10.20.0.0/16",
          inner: "10.0.0.0/8",
          expected: false,
        },
        { name: "IPv4 block holds itself", outer: "10.20.0.0/16", inner: "10.20.0.0/16", expected: true },
        { name: "IPv4 siblings", outer: "10.20.0.0/16", inner: "10.21.0.0/16", expected: false },
        { name: "IPv4 default route holds all", outer: "0.0.0.0/0", inner: "172.20.5.0/24", expected: true },
        { name: "IPv4 /12 edge inside", outer: "10.16.0.0/12", inner: "10.31.255.0/24", expected: true },
        { name: "IPv4 /12 edge outside", outer: "10.16.0.0/12", inner: "10.32.0.0/16", expected: false },
        { name: "IPv6 compressed", outer: "fd00::/8", inner: "fd00:16::/32", expected: true },
        {
          name: "IPv6 uncompressed inner",
          outer: "fd00:16::/32",
          inner: "fd00:0016:0000:0001::/64",
          expected: true,
        },
        {
          name: "IPv6 uncompressed outer",
          outer: "fd00:0016:0000:0000:0000:0000:0000:0000/32",
          inner: "fd00:16:1::/48",
          expected: true,
        },
        { name: "IPv6 siblings", outer: "fd00:16::/32", inner: "fd00:17::/32", expected: false },
        {
          name: "IPv6 narrower does not hold wider",
          outer: "fd00:16::/48",
          inner: "fd00:16::/32",
          expected: false,
        },
        { name: "IPv6 default holds all IPv6", outer: "::/0", inner: "2001:db8::/32", expected: true },
        { name: "IPv6 default does not hold IPv4", outer: "::/0", inner: "10.0.0.0/8", expected: false },
        { name: "IPv4 default does not hold IPv6", outer: "0.0.0.0/0", inner: "::/0", expected: false },
        {
          name: "IPv4-mapped range does not hold IPv4",
          outer: "::ffff:0:0/96",
          inner: "10.0.0.0/8",
          expected: false,
        },
      ],
      (r) => `${r.name}: ${r.outer} ⊇ ${r.inner} is ${r.expected}`,
    ),
  )("%s", (_, { outer, inner, expected }) => {
    expect(contains(outer, inner)).toBe(expected);
  });
});

describe("overlaps (symmetric)", () => {
  it.each(
    named(
      [
        { name: "IPv4 nested", a: "10.0.0.0/8", b: "10.20.0.0/16", expected: true },
        { name: "IPv4 equal", a: "10.20.0.0/16", b: "10.20.0.0/16", expected: true },
        { name: "IPv4 disjoint", a: "10.20.0.0/16", b: "10.21.0.0/16", expected: false },
        { name: "IPv4 adjacent", a: "10.20.0.0/24", b: "10.20.1.0/24", expected: false },
        { name: "IPv4 host inside", a: "10.20.0.0/16", b: "10.20.3.4/32", expected: true },
        {
          name: "IPv6 nested, mixed spellings",
          a: "fd00:16::/32",
          b: "fd00:0016:0000:00ff::/64",
          expected: true,
        },
        { name: "IPv6 disjoint", a: "fd00:16::/32", b: "fd00:17::/32", expected: false },
        { name: "cross-family defaults", a: "0.0.0.0/0", b: "::/0", expected: false },
        { name: "cross-family IPv4 vs IPv6", a: "10.0.0.0/8", b: "fd00::/8", expected: false },
        { name: "cross-family IPv4-mapped", a: "::ffff:10.0.0.0/104", b: "10.0.0.0/8", expected: false },
      ],
      (r) => `${r.name}: ${r.a} and ${r.b} → ${r.expected}`,
    ),
  )("%s", (_, { a, b, expected }) => {
    expect(overlaps(a, b)).toBe(expected);
    expect(overlaps(b, a)).toBe(expected);
  });
});

describe("sameCidr", () => {
  it.each(
    named(
      [
        { name: "identical IPv4", a: "10.20.0.0/16", b: "10.20.0.0/16", expected: true },
        { name: "IPv4 different prefix", a: "10.0.0.0/8", b: "10.0.0.0/16", expected: false },
        { name: "IPv4 different network", a: "10.20.0.0/16", b: "10.21.0.0/16", expected: false },
        { name: "IPv6 compressed vs zero-padded", a: "fd00:16::/32", b: "fd00:0016:0::/32", expected: true },
        {
          name: "IPv6 compressed vs fully uncompressed",
          a: "fd00:16::/32",
          b: "fd00:0016:0000:0000:0000:0000:0000:0000/32",
          expected: true,
        },
        { name: "IPv6 upper vs lower case", a: "FD00:16::/32", b: "fd00:16::/32", expected: true },
        { name: "IPv6 different prefix", a: "fd00:16::/32", b: "fd00:16::/48", expected: false },
        { name: "IPv4 vs IPv6 defaults", a: "0.0.0.0/0", b: "::/0", expected: false },
        { name: "IPv4 vs IPv4-mapped IPv6", a: "10.0.0.0/8", b: "::ffff:10.0.0.0/104", expected: false },
      ],
      (r) => `${r.name}: ${r.a} vs ${r.b} → ${r.expected}`,
    ),
  )("%s", (_, { a, b, expected }) => {
    expect(sameCidr(a, b)).toBe(expected);
    expect(sameCidr(b, a)).toBe(expected);
  });
});
