import { main } from "./main";

// The service runs on Node 22; this CLI may run on Node 20, where the AWS SDK warns when it loads.
// main loads the SDK only for live explanations, after this line has run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

process.exitCode = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
