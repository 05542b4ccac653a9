export type { ClientWithConfig } from "./caller";
export {
  apiCallEvent,
  approvalTagEvent,
  createPeeringEvent,
  peeringCallEvent,
  vpcCidrEvent,
} from "./cloudtrail-events";
export { ec2Error, stsError } from "./errors";
export { faultError, SimulatedCrash } from "./faults";
export { installModel } from "./install";
export { type BucketShape, type Ec2RateLimitShapes, Ec2RateLimits } from "./rate-limits";
export { ModelRequestHandler } from "./request-handler";
export { requestPeering } from "./request-peering";
export { deliverQueued, type QueuedFunction, sqsBatch } from "./sqs-delivery";
export type * from "./state";
export {
  EXECUTION_ROLE_NAME,
  type PeeringSpec,
  type RouteTableSpec,
  type RuleSpec,
  type SecurityGroupSpec,
  type SubnetSpec,
  type VpcSpec,
  World,
  type WorldOptions,
} from "./world";
