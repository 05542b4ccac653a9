import { ec2Error } from "../errors";

const TOKEN_PREFIX = "model-next-";

/** MaxResults/NextToken paging over a stable list, with the bounds EC2 enforces. */
export function paginate<T>(
  items: T[],
  input: { MaxResults?: number | undefined; NextToken?: string | undefined },
  bounds: { min: number; max: number },
): { page: T[]; nextToken: string | undefined } {
  const { MaxResults: maxResults, NextToken: token } = input;
  if (maxResults !== undefined && (maxResults < bounds.min || maxResults > bounds.max)) {
    throw ec2Error("InvalidParameterValue", `MaxResults must be between ${bounds.min} and ${bounds.max}`);
  }
  const start = token === undefined ? 0 : Number(token.slice(TOKEN_PREFIX.length));
  if (token !== undefined && (!token.startsWith(TOKEN_PREFIX) || !Number.isInteger(start))) {
    throw ec2Error("InvalidParameterValue", `Invalid NextToken: ${token}`);
  }
  const end = maxResults === undefined ? items.length : start + maxResults;
  return {
    page: items.slice(start, end),
    nextToken: end < items.length ? `${TOKEN_PREFIX}${end}` : undefined,
  };
}
