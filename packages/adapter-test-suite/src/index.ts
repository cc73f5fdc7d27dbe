import { allCases } from "./cases/index.ts";

export type { CaseContext, ConformanceCase, FixtureClient } from "./case.ts";
export { renderCompatibilityTable } from "./compat/table.ts";
export { type DescribeAdapterOptions, describeAdapter } from "./describe-adapter.ts";
export { type DescribeCliOptions, describeAdapterCli } from "./describe-cli.ts";
export { createFixtureApp, type FixtureApp, fixtureApp } from "./fixture.ts";
export { freePort } from "./free-port.ts";
export {
  header,
  headerValues,
  parseResponse,
  RawConnection,
  type RawResponse,
  rawRequest,
} from "./raw-http.ts";
export type { AdapterResults, CaseResult, CaseStatus } from "./results.ts";
export { selfSignedTls } from "./self-signed.ts";
export { clientFrame, type Received, WsClient, WsClients } from "./ws-client.ts";

/** Every conformance case: its id (the key of `unsupported`), title and area. */
export const conformanceCases: readonly { id: string; title: string; area: string }[] = allCases.map(
  ({ id, title, area }) => ({ id, title, area }),
);
