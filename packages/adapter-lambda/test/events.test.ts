import { describe, expect, it } from "vitest";
import { lambda } from "../src/index.ts";
import { albSingleValue, echo, events, lambdaContext } from "./_events.ts";

const handler = lambda(echo);
const jsonHead = { "content-type": "application/json" };
const b64 = (text: string) => Buffer.from(text).toString("base64");

/** The result with its JSON body parsed, to compare whole. */
async function call(event: unknown): Promise<any> {
  const result: any = await handler(event as any, lambdaContext());
  return { ...result, body: JSON.parse(result.body) };
}

describe("lambda adapter: real AWS events in", () => {
  it("reads an API Gateway REST (v1) event: method, path, multi-value query and headers, body, source IP", async () => {
    const result = await call(events.restV1());
    expect(result).toEqual({
      statusCode: 200,
      multiValueHeaders: { "content-type": ["application/json"] },
      isBase64Encoded: false,
      body: {
        method: "POST",
        url: "https://gy415nuibc.execute-api.us-east-1.amazonaws.com/hello/world?name=me",
        headers: {
          accept: "*/*",
          "accept-encoding": "gzip, deflate",
          "cache-control": "no-cache",
          "cloudfront-forwarded-proto": "https",
          "cloudfront-is-desktop-viewer": "true",
          "cloudfront-is-mobile-viewer": "false",
          "cloudfront-is-smarttv-viewer": "false",
          "cloudfront-is-tablet-viewer": "false",
          "cloudfront-viewer-country": "US",
          "content-type": "application/json",
          headername: "headerValue",
          host: "gy415nuibc.execute-api.us-east-1.amazonaws.com",
          "postman-token": "9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f",
          "user-agent": "PostmanRuntime/2.4.5",
          via: "1.1 d98420743a69852491bbdea73f7680bd.cloudfront.net (CloudFront)",
          "x-amz-cf-id": "pn-PWIJc6thYnZm5P0NMgOUglL1DYtl0gdeJky8tqsg8iS_sgsKD1A==",
          "x-forwarded-for": "54.240.196.186, 54.182.214.83",
          "x-forwarded-port": "443",
          "x-forwarded-proto": "https",
        },
        body: b64('{\r\n\t"a": 1\r\n}'),
        remoteAddress: "192.168.196.186",
        adapter: "lambda",
        aborted: false,
      },
    });
  });

  it("reads an HTTP API (v2) event: rawPath, no body, http.sourceIp", async () => {
    const result = await call(events.httpV2());
    expect(result).toEqual({
      statusCode: 200,
      headers: jsonHead,
      isBase64Encoded: false,
      body: {
        method: "GET",
        url: "https://aaaaaaaaaa.execute-api.us-west-2.amazonaws.com/",
        headers: {
          accept: "*/*",
          "content-length": "0",
          host: "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com",
          "user-agent": "curl/7.58.0",
          "x-amzn-trace-id": "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c",
          "x-forwarded-for": "1.2.3.4",
          "x-forwarded-port": "443",
          "x-forwarded-proto": "https",
        },
        body: "",
        remoteAddress: "1.2.3.4",
        adapter: "lambda",
        aborted: false,
      },
    });
  });

  it("reads a Function URL event: repeated query keys from rawQueryString, the cookies array as one Cookie header", async () => {
    const result = await call(events.functionUrl());
    expect(result).toEqual({
      statusCode: 200,
      headers: jsonHead,
      isBase64Encoded: false,
      body: {
        method: "POST",
        // The sample's domainName is a placeholder ("<url-id>…") that is no host name, and it has no Host header.
        url: "https://localhost/my/path?parameter1=value1&parameter1=value2&parameter2=value",
        headers: { cookie: "cookie1; cookie2", header1: "value1", header2: "value1,value2" },
        body: b64("Hello from client!"),
        remoteAddress: "123.123.123.123",
        adapter: "lambda",
        aborted: false,
      },
    });
    const seen = new URL(result.body.url).searchParams;
    expect(seen.getAll("parameter1")).toEqual(["value1", "value2"]);
  });

  it("reads an ALB event with multi-value headers and answers with multiValueHeaders and statusDescription", async () => {
    const result = await call(events.albMulti());
    expect(result).toEqual({
      statusCode: 200,
      statusDescription: "200 OK",
      multiValueHeaders: { "content-type": ["application/json"] },
      isBase64Encoded: false,
      body: {
        method: "GET",
        url: "http://lambda-test-alb-1234567.us-east-1.elb.amazonaws.com/?key=hello",
        headers: {
          accept: "*/*",
          connection: "keep-alive",
          host: "lambda-test-alb-1234567.us-east-1.elb.amazonaws.com",
          "user-agent": "curl/7.54.0",
          "x-amzn-trace-id": "Root=1-5c34e7d4-00ca239424b68028d4c56d68",
          "x-forwarded-for": "72.21.198.67",
          "x-forwarded-port": "80",
          "x-forwarded-proto": "http",
          "x-imforwards": "20",
          "x-myheader": "123",
        },
        body: "",
        remoteAddress: "72.21.198.67",
        adapter: "lambda",
        aborted: false,
      },
    });
  });

  it("reads the ALB sample carrying both header maps from the multi-value one, as the ALB sends it when enabled", async () => {
    const result = await call(events.alb());
    expect(result.multiValueHeaders).toEqual({ "content-type": ["application/json"] });
    expect(result.headers).toBeUndefined();
    expect(result.body.url).toBe("https://lambda-999999999-us-east-2.elb.amazonaws.com/?name=me");
    expect(result.body.headers["content-type"]).toBe("application/json");
    // The ALB appends the address it saw: the last X-Forwarded-For entry is the client.
    expect(result.body.remoteAddress).toBe("54.182.214.83");
    // A GET's body ("Who there?") cannot ride on a fetch Request, as on every adapter.
    expect(result.body.body).toBe("");
  });

  it("reads an ALB event with single-value headers and answers with headers", async () => {
    const result = await call(albSingleValue());
    expect(result).toMatchObject({ statusCode: 200, statusDescription: "200 OK", headers: jsonHead });
    expect(result.multiValueHeaders).toBeUndefined();
    expect(result.body).toMatchObject({
      method: "GET",
      url: "https://lambda-999999999-us-east-2.elb.amazonaws.com/?testparam=true",
      remoteAddress: "72.21.198.66",
    });
    expect(result.body.headers).toMatchObject({ cookie: "cookies", "content-type": "text/plain" });
  });

  it("answers an ALB health check, which has no Host header", async () => {
    const result = await call(events.albHealthCheck());
    expect(result.statusCode).toBe(200);
    expect(result.body).toMatchObject({
      method: "GET",
      url: "https://localhost/",
      headers: { "user-agent": "ELB-HealthChecker/2.0" },
    });
    expect(result.body.remoteAddress).toBeUndefined();
  });

  it("gives the app the event and the Lambda context through context.native", async () => {
    const seen: any[] = [];
    const native = lambda((_request, context) => {
      seen.push(context.native);
      return new Response("ok");
    });
    const event = events.restV1();
    const ctx = lambdaContext();
    await native(event, ctx);
    expect(seen[0].event).toBe(event);
    expect(seen[0].lambdaContext).toBe(ctx);
    expect(seen[0].event.requestContext.requestId).toBe("deef4878-7910-11e6-8f14-25afc3e9ae33");
  });
});
