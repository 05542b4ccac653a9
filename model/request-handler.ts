import {
  AcceptVpcPeeringConnection$,
  AuthorizeSecurityGroupIngress$,
  CreateRoute$,
  CreateTags$,
  DeleteRoute$,
  DeleteSubnet$,
  DeleteTags$,
  DeleteVpcPeeringConnection$,
  DescribeRouteTables$,
  DescribeSecurityGroupRules$,
  DescribeSecurityGroups$,
  DescribeSubnets$,
  DescribeVpcPeeringConnections$,
  DescribeVpcs$,
  ModifyVpcPeeringConnectionOptions$,
  RejectVpcPeeringConnection$,
  RevokeSecurityGroupIngress$,
} from "@aws-sdk/client-ec2";
import { AssumeRole$, GetCallerIdentity$ } from "@aws-sdk/client-sts";
import { type HttpHandler, type HttpRequest, HttpResponse } from "@smithy/core/protocols";
import {
  acceptVpcPeeringConnection,
  deleteVpcPeeringConnection,
  rejectVpcPeeringConnection,
} from "./ec2/answer-peering";
import { describeVpcPeeringConnections } from "./ec2/describe-peerings";
import { modifyVpcPeeringConnectionOptions } from "./ec2/peering-options";
import { describeRouteTables } from "./ec2/route-tables";
import { createRoute, deleteRoute } from "./ec2/routes";
import {
  authorizeSecurityGroupIngress,
  describeSecurityGroupRules,
  describeSecurityGroups,
  revokeSecurityGroupIngress,
} from "./ec2/security-groups";
import { deleteSubnet, describeSubnets } from "./ec2/subnets";
import { createTags, deleteTags } from "./ec2/tags";
import { describeVpcs } from "./ec2/vpcs";
import { perform } from "./perform";
import { element, escapeXml, readQuery, writeXml } from "./query-codec";
import type { Caller, CallRecord } from "./state";
import { assumeRole, getCallerIdentity } from "./sts";
import type { World } from "./world";

type OperationSchema = typeof AcceptVpcPeeringConnection$;
type Run = (world: World, caller: Caller, input: never) => object;

const EC2_OPERATIONS: Record<string, [OperationSchema, Run]> = {
  AcceptVpcPeeringConnection: [AcceptVpcPeeringConnection$, acceptVpcPeeringConnection],
  AuthorizeSecurityGroupIngress: [AuthorizeSecurityGroupIngress$, authorizeSecurityGroupIngress],
  CreateRoute: [CreateRoute$, createRoute],
  CreateTags: [CreateTags$, createTags],
  DeleteRoute: [DeleteRoute$, deleteRoute],
  DeleteSubnet: [DeleteSubnet$, deleteSubnet],
  DeleteTags: [DeleteTags$, deleteTags],
  DeleteVpcPeeringConnection: [DeleteVpcPeeringConnection$, deleteVpcPeeringConnection],
  DescribeRouteTables: [DescribeRouteTables$, describeRouteTables],
  DescribeSecurityGroupRules: [DescribeSecurityGroupRules$, describeSecurityGroupRules],
  DescribeSecurityGroups: [DescribeSecurityGroups$, describeSecurityGroups],
  DescribeSubnets: [DescribeSubnets$, describeSubnets],
  DescribeVpcPeeringConnections: [DescribeVpcPeeringConnections$, describeVpcPeeringConnections],
  DescribeVpcs: [DescribeVpcs$, describeVpcs],
  ModifyVpcPeeringConnectionOptions: [ModifyVpcPeeringConnectionOptions$, modifyVpcPeeringConnectionOptions],
  RejectVpcPeeringConnection: [RejectVpcPeeringConnection$, rejectVpcPeeringConnection],
  RevokeSecurityGroupIngress: [RevokeSecurityGroupIngress$, revokeSecurityGroupIngress],
};
const STS_OPERATIONS: Record<string, [OperationSchema, Run]> = {
  AssumeRole: [AssumeRole$, assumeRole],
  GetCallerIdentity: [GetCallerIdentity$, getCallerIdentity],
};

const EC2_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

/**
 * The model as the SDK's HTTP handler (a client's `requestHandler` option), for EC2 and STS: the whole
 * client stack above it runs as in production (serialising to the Query protocol, endpoints, SigV4
 * signing, the retry strategy, parsing the XML answer); only the network is replaced. The caller is read
 * from the signature's credential scope (access key and region), the operation and its input from the
 * form-encoded body. The model's answer goes back as EC2's or STS's XML (errors with their HTTP status);
 * a network fault (`Fault.kind` "network", e.g. ECONNRESET after the call took effect: a lost answer)
 * rejects as Node's HTTP handler does, so the SDK's retry strategy sees what it would see in AWS.
 */
export class ModelRequestHandler implements HttpHandler {
  constructor(private readonly world: World) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
      String(request.headers.authorization ?? ""),
    );
    if (!scope) throw new Error("the model answers only SigV4-signed requests");
    const [, accessKeyId = "", region = "", signingName] = scope;
    const service: CallRecord["service"] | undefined =
      signingName === "ec2" ? "EC2" : signingName === "sts" ? "STS" : undefined;
    if (!service) throw new Error(`the model does not answer ${signingName} over HTTP`);
    const params = new URLSearchParams(bodyText(request.body));
    const action = params.get("Action") ?? "";
    const modelled = (service === "EC2" ? EC2_OPERATIONS : STS_OPERATIONS)[action];
    if (!modelled) throw new Error(`the model does not answer ${service} ${action} over HTTP`);
    const [schema, run] = modelled;
    const input = readQuery(schema[4], params, service === "EC2");
    const session = this.world.issuedCredentials.get(accessKeyId);
    const caller: Caller = { account: session?.account ?? this.world.homeAccount, region, session };
    const requestId = `model-request-${this.world.calls.length + 1}`;
    try {
      const output = await perform(this.world, service, action, input as never, async () => caller, run);
      return xmlResponse(200, success(service, action, writeXml(schema[5], output), requestId));
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // No status: no answer came back (a network fault, or the invocation crashed).
      if (status === undefined) throw error;
      const { name, message } = error as Error;
      return xmlResponse(status, failure(service, name, message, status, requestId));
    }
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

function bodyText(body: unknown): string {
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error("the model reads only string or byte request bodies");
}

function success(service: CallRecord["service"], action: string, xml: string, requestId: string): string {
  return service === "EC2"
    ? `<${action}Response xmlns="${EC2_NAMESPACE}"><requestId>${requestId}</requestId>${xml}</${action}Response>`
    : `<${action}Response xmlns="${STS_NAMESPACE}">${element(`${action}Result`, xml)}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

function failure(
  service: CallRecord["service"],
  code: string,
  message: string,
  status: number,
  requestId: string,
): string {
  const error = `${element("Code", escapeXml(code))}${element("Message", escapeXml(message))}`;
  return service === "EC2"
    ? `<Response><Errors><Error>${error}</Error></Errors><RequestID>${requestId}</RequestID></Response>`
    : `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>${status >= 500 ? "Receiver" : "Sender"}</Type>${error}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

function xmlResponse(statusCode: number, xml: string): { response: HttpResponse } {
  return {
    response: new HttpResponse({
      statusCode,
      headers: { "content-type": "text/xml;charset=UTF-8" },
      body: new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`),
    }),
  };
}
