// The IAM documents of a resolved template: each role's identity and trust policies, and the resource
// policies of topics, queues, event buses and functions, merged per resource as AWS would apply them.
import type { SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import type { Json } from "../templates/cloudformation";
import type { ResolvedTemplate } from "./resolved-template";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  [key: string]: Json;
}
export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const document = (statements: Statement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});
const statementsOf = (doc: Json): Statement[] =>
  list((doc as { Statement?: Statement | Statement[] }).Statement);

/** The roles the template's Lambda functions run with, by logical id (a role shared by several, once). */
export function functionRoles(t: ResolvedTemplate): { role: string; functions: string[] }[] {
  const roles = new Map<string, string[]>();
  for (const [id, fn] of t.ofType("AWS::Lambda::Function")) {
    const role = (fn.Properties.Role as { "Fn::GetAtt"?: [string, string] } | undefined)?.["Fn::GetAtt"];
    if (role?.[1] !== "Arn") throw new Error(`${id}: its Role is not a role of this template`);
    roles.set(role[0], [...(roles.get(role[0]) ?? []), id]);
  }
  return [...roles].map(([role, functions]) => ({ role, functions }));
}

/** A role's own policies, and those of the template attached to it. Managed policies cannot be read here. */
export function identityPolicies(t: ResolvedTemplate, roleId: string): SimulationIdentityPolicy[] {
  const role = t.properties(roleId);
  if (list(role.ManagedPolicyArns as Json[]).length > 0) {
    throw new Error(`${roleId} has managed policies, which these tests cannot evaluate`);
  }
  if (role.PermissionsBoundary !== undefined)
    throw new Error(`${roleId}: permission boundaries are not evaluated`);
  const inline = list(role.Policies as { PolicyName: Json; PolicyDocument: Json }[]).map((p, i) => ({
    name: `${roleId}/${String(p.PolicyName ?? i)}`,
    policy: p.PolicyDocument,
  }));
  const roleName = String(role.RoleName ?? roleId);
  const attached = t.resources
    .filter(([, r]) =>
      ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"].includes(r.Type),
    )
    .map(([id]) => [id, t.properties(id)] as const)
    .filter(([, p]) => list(p.Roles as Json[]).includes(roleName) || p.RoleName === roleName)
    .map(([id, p]) => ({ name: id, policy: p.PolicyDocument }));
  return [...inline, ...attached];
}

export function trustPolicy(t: ResolvedTemplate, roleId: string): PolicyDocument {
  return t.properties(roleId).AssumeRolePolicyDocument as PolicyDocument;
}

/** Every statement of the template's topic policies that applies to the topic. */
export function topicPolicy(t: ResolvedTemplate, topicArn: string): PolicyDocument {
  return merged(t, "AWS::SNS::TopicPolicy", "Topics", topicArn);
}

/** Every statement of the template's queue policies that applies to the queue (queues are named by URL). */
export function queuePolicy(t: ResolvedTemplate, queueUrl: string): PolicyDocument {
  return merged(t, "AWS::SQS::QueuePolicy", "Queues", queueUrl);
}

/** The bus's policy: its own Policy property and every AWS::Events::EventBusPolicy naming it. */
export function busPolicy(t: ResolvedTemplate, busId: string): PolicyDocument {
  const name = String(t.properties(busId).Name ?? busId);
  const own = statementsOf(t.properties(busId).Policy ?? {});
  const others = t
    .ofType("AWS::Events::EventBusPolicy")
    .map(([id]) => t.properties(id))
    .filter((p) => (p.EventBusName ?? "default") === name)
    .flatMap((p) => (p.Policy ? statementsOf(p.Policy) : list(p.Statement as Statement)));
  return document([...own, ...others]);
}

/**
 * A function's resource policy: one statement per AWS::Lambda::Permission naming it, as Lambda writes
 * them (the source ARN and account become conditions). Only service principals are granted here.
 */
export function functionPolicy(t: ResolvedTemplate, functionArn: string): PolicyDocument {
  const statements = t
    .ofType("AWS::Lambda::Permission")
    .map(([id]) => [id, t.properties(id)] as const)
    // FunctionName takes the function's name or its ARN.
    .filter(
      ([, p]) =>
        p.FunctionName === functionArn || functionArn.endsWith(`:function:${String(p.FunctionName)}`),
    )
    .map(([id, p]): Statement => {
      const principal = String(p.Principal);
      if (!principal.endsWith(".amazonaws.com")) throw new Error(`${id}: grants ${principal}, not a service`);
      const condition: Record<string, Json> = {};
      if (p.SourceArn !== undefined) condition.ArnLike = { "AWS:SourceArn": p.SourceArn };
      if (p.SourceAccount !== undefined) condition.StringEquals = { "AWS:SourceAccount": p.SourceAccount };
      return {
        Sid: id,
        Effect: "Allow",
        Principal: { Service: principal },
        Action: p.Action,
        Resource: functionArn,
        ...(Object.keys(condition).length > 0 && { Condition: condition }),
      };
    });
  return document(statements);
}

function merged(t: ResolvedTemplate, type: string, key: string, target: string): PolicyDocument {
  return document(
    t
      .ofType(type)
      .map(([id]) => t.properties(id))
      .filter((p) => list(p[key] as Json[]).includes(target))
      .flatMap((p) => statementsOf(p.PolicyDocument)),
  );
}
