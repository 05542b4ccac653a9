// The deployment parameters that decide who the service trusts, checked before anything is packaged or
// deployed (serverless.yml reads them through `${file(./build/deployment-parameters.cjs):…}`). The
// Framework loads this file with require(), hence CommonJS.
//
// A deployment must not run with a publicly known external id, nor with a bus that admits no member
// account without saying so: both used to be the defaults, and both deploy without any error.

// The characters STS accepts in an external id; 16 or more of them so that it cannot be guessed.
const EXTERNAL_ID = /^[\w+=,.@:/-]{16,1224}$/;
// The placeholder earlier versions shipped as the default: it is public, so it protects nothing.
const PUBLIC_EXTERNAL_IDS = new Set(["peering-autopilot"]);
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** A parameter error without the Framework's stack trace: the message is all a user needs. */
function parameterError(message) {
  const error = new Error(message);
  error.stack = message;
  return error;
}

async function param(resolveVariable, name) {
  return String((await resolveVariable(`param:${name}`)) ?? "").trim();
}

/** `externalId`: required, at least 16 characters, never the public placeholder. */
async function externalId({ resolveVariable }) {
  const id = await param(resolveVariable, "externalId");
  if (id === "") {
    throw parameterError(
      'the "externalId" parameter is required: every execution role in the member accounts requires it. ' +
        'Generate one (openssl rand -hex 24), keep it in your secrets store and pass --param="externalId=<id>"',
    );
  }
  if (PUBLIC_EXTERNAL_IDS.has(id)) {
    throw parameterError(`the "externalId" parameter "${id}" is a public placeholder: generate your own`);
  }
  if (!EXTERNAL_ID.test(id)) {
    throw parameterError(
      'the "externalId" parameter must be 16 to 1224 characters of A-Z a-z 0-9 + = , . @ : / _ -',
    );
  }
  return id;
}

/** `eventConcurrency`: the cap of each event queue's mapping, which SQS takes from 2 to 1000. */
async function eventConcurrency({ resolveVariable }) {
  const text = await param(resolveVariable, "eventConcurrency");
  const value = Number(text);
  if (!Number.isInteger(value) || value < 2 || value > 1000) {
    throw parameterError(
      `the "eventConcurrency" parameter must be a whole number from 2 to 1000, not "${text}"`,
    );
  }
  return value;
}

// A request left pending expires after 7 days: no time to route is longer.
const MAX_TIME_TO_ROUTE_SECONDS = 7 * 24 * 3600;

/** `timeToRouteAlarmSeconds`: the time-to-route alarm's threshold, whole seconds up to 7 days. */
async function timeToRouteAlarmSeconds({ resolveVariable }) {
  const text = await param(resolveVariable, "timeToRouteAlarmSeconds");
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > MAX_TIME_TO_ROUTE_SECONDS) {
    throw parameterError(
      `the "timeToRouteAlarmSeconds" parameter must be a whole number of seconds from 1 to ${MAX_TIME_TO_ROUTE_SECONDS} (7 days), not "${text}"`,
    );
  }
  return value;
}

/** A quota parameter: a whole number of at least 1 (AWS raises quotas, so no upper bound is assumed). */
async function quota({ resolveVariable }, name, what) {
  const text = await param(resolveVariable, name);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) {
    throw parameterError(
      `the "${name}" parameter must be a whole number of ${what}, at least 1, not "${text}"`,
    );
  }
  return value;
}

/** `routeTableQuota`: the routes a route table may hold (local routes aside), checked before accepting. */
function routeTableQuota(resolvers) {
  return quota(resolvers, "routeTableQuota", "routes per route table");
}

/** `activePeeringQuota`: the active peering connections a VPC may have, checked before accepting. */
function activePeeringQuota(resolvers) {
  return quota(resolvers, "activePeeringQuota", "active peering connections per VPC");
}

/** `securityGroupRuleQuota`: the inbound rules a security group may hold, per IP family, checked before opening. */
function securityGroupRuleQuota(resolvers) {
  return quota(resolvers, "securityGroupRuleQuota", "inbound rules per security group");
}

// EventBridge's rate expressions: a singular unit for 1, a plural one for more.
const RATE = /^rate\((\d+) (minute|hour|day)(s?)\)$/;
const UNIT_SECONDS = { minute: 60, hour: 3600, day: 86400 };
// The calls-not-sent alarm looks at three periods of the reconcile rate; CloudWatch evaluates at most a
// day of periods shorter than an hour, and at most seven days of longer ones.
const CALLS_NOT_SENT_PERIODS = 3;
const evaluationLimit = (period) => (period < 3600 ? 86400 : 604800);

/**
 * `reconcileRate` in seconds: the period of the alarm on full passes that end with calls not sent, one
 * full pass a period when the reconciler keeps up.
 */
async function reconcilePeriodSeconds({ resolveVariable }) {
  const rate = await param(resolveVariable, "reconcileRate");
  const match = RATE.exec(rate);
  const count = Number(match?.[1]);
  if (!match || count < 1 || (count === 1) !== (match[3] === "")) {
    throw parameterError(
      `the "reconcileRate" parameter must be a rate such as "rate(5 minutes)" or "rate(1 hour)", not "${rate}": ` +
        "the alarm on passes that end with calls not sent takes its period from it",
    );
  }
  const seconds = count * UNIT_SECONDS[match[2]];
  if (seconds * CALLS_NOT_SENT_PERIODS > evaluationLimit(seconds)) {
    throw parameterError(
      `the "reconcileRate" parameter "${rate}" is too slow: the alarm on passes that end with calls not sent ` +
        `looks at ${CALLS_NOT_SENT_PERIODS} of its periods, longer than CloudWatch evaluates`,
    );
  }
  return seconds;
}

/**
 * Who may put events on the service's bus, as the bus's resource policy: the organisation (`orgId`),
 * the listed accounts (`memberAccounts`), or, in the explicit single-account mode, this account only.
 */
async function busPolicy({ resolveVariable }) {
  const orgId = await param(resolveVariable, "orgId");
  const accounts = (await param(resolveVariable, "memberAccounts"))
    .split(",")
    .map((account) => account.trim())
    .filter(Boolean);
  const singleAccount = await param(resolveVariable, "singleAccount");
  if (!["true", "false"].includes(singleAccount)) {
    throw parameterError(`the "singleAccount" parameter must be true or false, not "${singleAccount}"`);
  }
  if (orgId !== "" && !ORG_ID.test(orgId)) {
    throw parameterError(`the "orgId" parameter "${orgId}" is not an organisation id (o-…)`);
  }
  const badAccount = accounts.find((account) => !ACCOUNT_ID.test(account));
  if (badAccount !== undefined) {
    throw parameterError(
      `the "memberAccounts" parameter holds "${badAccount}", which is not a 12-digit account id`,
    );
  }
  const admitsMembers = orgId !== "" || accounts.length > 0;
  if (singleAccount === "true" && admitsMembers) {
    throw parameterError(
      '"singleAccount=true" admits no member account: drop it, or drop "orgId" and "memberAccounts"',
    );
  }
  if (singleAccount !== "true" && !admitsMembers) {
    throw parameterError(
      'set "orgId" (the organisation whose accounts forward their peering events to the service) or ' +
        '"memberAccounts" (a comma-separated list of account ids); or, to run in this account only with ' +
        'no member account forwarding events, set "singleAccount=true"',
    );
  }
  // The bus's own ARN, spelled out: a GetAtt of the bus inside its own policy would be a cycle.
  const busName = await resolveVariable("self:custom.busName");
  const bus = {
    "Fn::Sub": `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${busName}`,
  };
  const statement = (sid, principal, condition) => ({
    Sid: sid,
    Effect: "Allow",
    Principal: principal,
    Action: "events:PutEvents",
    Resource: bus,
    ...(condition && { Condition: condition }),
  });
  const statements = [];
  if (orgId !== "") {
    statements.push(
      statement("OrganisationPutEvents", "*", { StringEquals: { "aws:PrincipalOrgID": orgId } }),
    );
  }
  if (accounts.length > 0) {
    statements.push(statement("MemberAccountsPutEvents", { AWS: accounts }));
  }
  if (singleAccount === "true") {
    statements.push(statement("ThisAccountPutEvents", { AWS: { Ref: "AWS::AccountId" } }));
  }
  return { Version: "2012-10-17", Statement: statements };
}

module.exports = {
  externalId,
  eventConcurrency,
  timeToRouteAlarmSeconds,
  routeTableQuota,
  activePeeringQuota,
  securityGroupRuleQuota,
  reconcilePeriodSeconds,
  busPolicy,
};
