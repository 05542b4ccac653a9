import { Logger } from "@aws-lambda-powertools/logger";

/** One JSON logger for the service; the level comes from POWERTOOLS_LOG_LEVEL. */
export const logger = new Logger({ serviceName: "peering-autopilot" });
