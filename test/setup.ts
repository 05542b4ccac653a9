import { afterEach, vi } from "vitest";

// The SDK's default credential chain must resolve without a network: these stand for the
// function's own credentials, which the in-memory model maps to its home account.
process.env.AWS_ACCESS_KEY_ID = "AKIAHOMEACCOUNT00001";
process.env.AWS_SECRET_ACCESS_KEY = "home-secret";
process.env.AWS_REGION = "us-east-1";
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";

afterEach(() => {
  vi.restoreAllMocks();
});
