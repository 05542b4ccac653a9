import { EC2ServiceException } from "@aws-sdk/client-ec2";
import { STSServiceException } from "@aws-sdk/client-sts";

// Errors shaped like the SDK's own: `name` is the AWS error code, as handlers will compare it.

export function ec2Error(code: string, message: string): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    $fault: "client",
    message,
    $metadata: { httpStatusCode: 400 },
  });
}

export function stsError(code: string, message: string): STSServiceException {
  return new STSServiceException({
    name: code,
    $fault: "client",
    message,
    $metadata: { httpStatusCode: 403 },
  });
}

export function peeringNotFound(id: string): EC2ServiceException {
  return ec2Error(
    "InvalidVpcPeeringConnectionID.NotFound",
    `The vpcPeeringConnection ID '${id}' does not exist`,
  );
}

export function vpcNotFound(id: string | undefined): EC2ServiceException {
  return ec2Error("InvalidVpcID.NotFound", `The vpc ID '${id}' does not exist`);
}
