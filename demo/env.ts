// Imported first: the handler's modules read these when they load. The demo needs no AWS account;
// these stand for the function's own credentials, which the in-memory model maps to its home account.
process.env.AWS_ACCESS_KEY_ID ??= "AKIADEMOFUNCTION0001";
process.env.AWS_SECRET_ACCESS_KEY ??= "demo-secret";
process.env.AWS_REGION ??= "us-east-1";
// The handlers read the same policy as the demo; an empty variable means the default, as in the CLI.
process.env.POLICY_PATH ||= "policy.yml";
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
process.env.WAIT_MIN_DELAY_SECONDS ??= "0.05";
// The functions print their metrics (CloudWatch embedded metric format) as JSON lines: noise here.
process.env.POWERTOOLS_METRICS_DISABLED ||= "true";
