// The fake world the policies are evaluated in: which account is which, and where.
import { PACKAGE_PARAMS } from "../templates/service-template";

export const PARTITION = "aws";
export const REGION = "us-east-1";
/** Another region, for inter-region peering. */
export const OTHER_REGION = "eu-west-1";
/** Where the service runs. */
export const SERVICE_ACCOUNT = "111111111111";
/** A member account of the organisation: an accepter, with the execution role. */
export const MEMBER_ACCOUNT = "222222222222";
/** The account that requested a cross-account peering connection. */
export const REQUESTER_ACCOUNT = "333333333333";
/** An account that has nothing to do with the service, outside the organisation. */
export const STRANGER_ACCOUNT = "444444444444";
/** The organisation of the service, member and requester accounts (the one the service is packaged with). */
export const ORG_ID = PACKAGE_PARAMS.orgId;
export const STRANGER_ORG_ID = "o-zzzzzzzzzz";
