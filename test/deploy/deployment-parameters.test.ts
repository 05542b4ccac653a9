import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { PACKAGE_PARAMS, paramArgs, runServerless } from "./templates/service-template";

interface Resolvers {
  resolveVariable: (address: string) => Promise<unknown>;
}
const parameters = createRequire(import.meta.url)("../../build/deployment-parameters.cjs") as {
  externalId: (resolvers: Resolvers) => Promise<string>;
  eventConcurrency: (resolvers: Resolvers) => Promise<number>;
  timeToRouteAlarmSeconds: (resolvers: Resolvers) => Promise<number>;
  routeTableQuota: (resolvers: Resolvers) => Promise<number>;
  activePeeringQuota: (resolvers: Resolvers) => Promise<number>;
  securityGroupRuleQuota: (resolvers: Resolvers) => Promise<number>;
  reconcilePeriodSeconds: (resolvers: Resolvers) => Promise<number>;
  busPolicy: (resolvers: Resolvers) => Promise<{ Statement: Record<string, unknown>[] }>;
};

/** The Framework's resolver over serverless.yml's defaults, with these parameters given. */
function given(params: Record<string, string>): Resolvers {
  const defaults: Record<string, string> = {
    externalId: "",
    orgId: "",
    memberAccounts: "",
    singleAccount: "false",
    eventConcurrency: "5",
    timeToRouteAlarmSeconds: "600",
    routeTableQuota: "500",
    activePeeringQuota: "50",
    securityGroupRuleQuota: "60",
    reconcileRate: "rate(5 minutes)",
  };
  return {
    resolveVariable: async (address) => {
      if (address === "self:custom.busName") return "peering-autopilot-ci";
      const name = address.replace(/^param:/, "");
      return { ...defaults, ...params }[name];
    },
  };
}

const EXTERNAL_ID = "4c1f0b9e2d7a6358";

describe("externalId", () => {
  it("is taken when it is long enough and made of the characters STS accepts", async () => {
    await expect(parameters.externalId(given({ externalId: EXTERNAL_ID }))).resolves.toBe(EXTERNAL_ID);
    const allCharacters = "Aa0+=,.@:/_-Aa0+=,";
    await expect(parameters.externalId(given({ externalId: allCharacters }))).resolves.toBe(allCharacters);
  });

  it.each([
    ["none", "", /"externalId" parameter is required/],
    ["the old public default", "peering-autopilot", /public placeholder/],
    ["one too short", "short-id-123", /16 to 1224 characters/],
    ["one with spaces", "has spaces in it 1234", /16 to 1224 characters/],
    ["one too long", "x".repeat(1225), /16 to 1224 characters/],
  ])("refuses %s", async (_, externalId, message) => {
    await expect(parameters.externalId(given({ externalId }))).rejects.toThrow(message);
  });
});

describe("eventConcurrency", () => {
  it("is a whole number from 2, the least SQS allows a mapping, to 1000", async () => {
    await expect(parameters.eventConcurrency(given({}))).resolves.toBe(5);
    await expect(parameters.eventConcurrency(given({ eventConcurrency: "2" }))).resolves.toBe(2);
    await expect(parameters.eventConcurrency(given({ eventConcurrency: "1000" }))).resolves.toBe(1000);
  });

  it.each(["1", "0", "1001", "2.5", "five", ""])("refuses %j", async (eventConcurrency) => {
    await expect(parameters.eventConcurrency(given({ eventConcurrency }))).rejects.toThrow(
      /"eventConcurrency" parameter must be a whole number from 2 to 1000/,
    );
  });
});

describe("timeToRouteAlarmSeconds", () => {
  it("is whole seconds, 600 unless given, up to the 7 days a request lives", async () => {
    await expect(parameters.timeToRouteAlarmSeconds(given({}))).resolves.toBe(600);
    await expect(parameters.timeToRouteAlarmSeconds(given({ timeToRouteAlarmSeconds: "1" }))).resolves.toBe(
      1,
    );
    await expect(
      parameters.timeToRouteAlarmSeconds(given({ timeToRouteAlarmSeconds: "604800" })),
    ).resolves.toBe(604_800);
  });

  it.each(["0", "604801", "1.5", "-600", "10 minutes", ""])("refuses %j", async (timeToRouteAlarmSeconds) => {
    await expect(parameters.timeToRouteAlarmSeconds(given({ timeToRouteAlarmSeconds }))).rejects.toThrow(
      /"timeToRouteAlarmSeconds" parameter must be a whole number of seconds from 1 to 604800/,
    );
  });
});

describe.each([
  { name: "routeTableQuota", fallback: 500, what: "routes per route table" },
  { name: "activePeeringQuota", fallback: 50, what: "active peering connections per VPC" },
  { name: "securityGroupRuleQuota", fallback: 60, what: "inbound rules per security group" },
] as const)("$name", ({ name, fallback, what }) => {
  it(`is a whole number from 1, ${fallback} unless given, with no upper bound (AWS raises quotas)`, async () => {
    await expect(parameters[name](given({}))).resolves.toBe(fallback);
    await expect(parameters[name](given({ [name]: "1" }))).resolves.toBe(1);
    await expect(parameters[name](given({ [name]: "5000" }))).resolves.toBe(5_000);
  });

  it.each(["0", "-5", "2.5", "1e3", "fifty", ""])("refuses %j", async (value) => {
    await expect(parameters[name](given({ [name]: value }))).rejects.toThrow(
      `the "${name}" parameter must be a whole number of ${what}, at least 1, not "${value}"`,
    );
  });
});

describe("reconcilePeriodSeconds", () => {
  it.each([
    ["rate(5 minutes)", 300],
    ["rate(1 minute)", 60],
    ["rate(59 minutes)", 3_540],
    ["rate(1 hour)", 3_600],
    ["rate(8 hours)", 28_800],
    ["rate(56 hours)", 201_600],
    ["rate(2 days)", 172_800],
  ])("is the seconds of %s", async (reconcileRate, seconds) => {
    await expect(parameters.reconcilePeriodSeconds(given({ reconcileRate }))).resolves.toBe(seconds);
  });

  // EventBridge requires the singular unit for 1 and the plural for more; a cron has no period.
  it.each([
    "rate(1 minutes)",
    "rate(5 minute)",
    "rate(0 minutes)",
    "rate(30 seconds)",
    "cron(0/5 * * * ? *)",
    "",
  ])("refuses %j", async (reconcileRate) => {
    await expect(parameters.reconcilePeriodSeconds(given({ reconcileRate }))).rejects.toThrow(
      /"reconcileRate" parameter must be a rate such as "rate\(5 minutes\)"/,
    );
  });

  // Three periods of the alarm: at most a day of periods under an hour, seven days of longer ones.
  it.each(["rate(57 hours)", "rate(3 days)"])(
    "refuses %s, whose three periods CloudWatch would not evaluate",
    async (reconcileRate) => {
      await expect(parameters.reconcilePeriodSeconds(given({ reconcileRate }))).rejects.toThrow(
        /is too slow: the alarm on passes that end with calls not sent looks at 3 of its periods/,
      );
    },
  );
});

describe("busPolicy", () => {
  const bus = {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
    "Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/peering-autopilot-ci",
  };

  it("admits the organisation", async () => {
    const policy = await parameters.busPolicy(given({ orgId: "o-a1b2c3d4e5" }));
    expect(policy.Statement).toEqual([
      {
        Sid: "OrganisationPutEvents",
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Resource: bus,
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      },
    ]);
  });

  it("admits the listed accounts, or both the organisation and the accounts", async () => {
    const accounts = await parameters.busPolicy(given({ memberAccounts: "111111111111, 222222222222" }));
    expect(accounts.Statement).toEqual([
      expect.objectContaining({ Principal: { AWS: ["111111111111", "222222222222"] }, Resource: bus }),
    ]);
    const both = await parameters.busPolicy(given({ orgId: "o-a1b2c3d4e5", memberAccounts: "333333333333" }));
    expect(both.Statement.map((s) => s.Sid)).toEqual(["OrganisationPutEvents", "MemberAccountsPutEvents"]);
  });

  it("admits only this account in the explicit single-account mode", async () => {
    const policy = await parameters.busPolicy(given({ singleAccount: "true" }));
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Sid: "ThisAccountPutEvents", Principal: { AWS: { Ref: "AWS::AccountId" } } }),
    ]);
  });

  it.each([
    [{}, /set "orgId" .* or "memberAccounts" .*"singleAccount=true"/],
    [{ orgId: "my-org" }, /"orgId" parameter "my-org" is not an organisation id/],
    [{ memberAccounts: "111111111111,12345" }, /holds "12345", which is not a 12-digit account id/],
    [{ singleAccount: "true", orgId: "o-a1b2c3d4e5" }, /admits no member account/],
    [{ singleAccount: "yes" }, /must be true or false/],
  ])("refuses %j", async (params, message) => {
    await expect(parameters.busPolicy(given(params))).rejects.toThrow(message);
  });
});

/** What `serverless` printed when it failed (it prints its errors on stdout). */
async function failureOf(args: string[]): Promise<string> {
  const error = await runServerless(["package", "--package", "/nonexistent", ...args]).then(
    () => Promise.reject(new Error("serverless package succeeded")),
    (failure: { stdout: string; stderr: string }) => failure,
  );
  return `${error.stdout}${error.stderr}`;
}

describe("serverless package", () => {
  // These fail while resolving variables, before anything is built: a few seconds each.
  it("refuses to package without an external id, and says how to make one", async () => {
    const output = await failureOf(paramArgs({ orgId: "o-a1b2c3d4e5" }));
    expect(output).toMatch(/"externalId" parameter is required.*openssl rand -hex 24/);
  });

  it("refuses to package a bus that admits no member account, naming both parameters", async () => {
    const output = await failureOf(paramArgs({ externalId: PACKAGE_PARAMS.externalId }));
    expect(output).toMatch(/set "orgId" .* or "memberAccounts"/);
    expect(output).not.toMatch(/externalId/);
  });

  it("refuses an alarm threshold that is not whole seconds, and a reconcile rate the alarm cannot take", async () => {
    const threshold = await failureOf(paramArgs({ ...PACKAGE_PARAMS, timeToRouteAlarmSeconds: "ten" }));
    expect(threshold).toMatch(/"timeToRouteAlarmSeconds" parameter must be a whole number of seconds/);
    const rate = await failureOf(paramArgs({ ...PACKAGE_PARAMS, reconcileRate: "cron(0/5 * * * ? *)" }));
    expect(rate).toMatch(/"reconcileRate" parameter must be a rate/);
  });

  it("hands the quotas to the functions' environment, and refuses one that is not a whole number", async () => {
    const { stdout } = await runServerless([
      "print",
      "--format",
      "json",
      ...paramArgs({ ...PACKAGE_PARAMS, routeTableQuota: "1000", securityGroupRuleQuota: "200" }),
    ]);
    const { provider } = JSON.parse(stdout.slice(stdout.indexOf("{")));
    expect(provider.environment).toMatchObject({
      ROUTE_TABLE_QUOTA: "1000",
      ACTIVE_PEERING_QUOTA: "50",
      SECURITY_GROUP_RULE_QUOTA: "200",
    });
    const refused = await failureOf(paramArgs({ ...PACKAGE_PARAMS, activePeeringQuota: "0" }));
    expect(refused).toMatch(/"activePeeringQuota" parameter must be a whole number of active peering/);
  }, 60_000);
});
