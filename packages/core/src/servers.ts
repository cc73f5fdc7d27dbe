/** A server anyserver knows by name: the one built in and the official adapter packages. */
export interface KnownServer {
  /** The name `-s` takes. */
  name: string;
  /** The package that provides it. */
  packageName: string;
  /** What it runs on, in a few words. */
  description: string;
}

/** Every official server; a test keeps this list in step with `packages/adapter-*`. */
export const knownServers: readonly KnownServer[] = [
  {
    name: "node",
    packageName: "@anyserver/core",
    description: "node:http, node:https and node:http2, built in",
  },
  { name: "fastify", packageName: "@anyserver/adapter-fastify", description: "Fastify 5, with its plugins" },
  {
    name: "express",
    packageName: "@anyserver/adapter-express",
    description: "Express 5, behind your middleware",
  },
  { name: "koa", packageName: "@anyserver/adapter-koa", description: "Koa 3, behind your middleware" },
  { name: "uws", packageName: "@anyserver/adapter-uws", description: "uWebSockets.js, no node:http layer" },
  {
    name: "hyper-express",
    packageName: "@anyserver/adapter-hyper-express",
    description: "HyperExpress on uWebSockets.js",
  },
  { name: "cgi", packageName: "@anyserver/adapter-cgi", description: "CGI/1.1 program behind a web server" },
  {
    name: "fastcgi",
    packageName: "@anyserver/adapter-fastcgi",
    description: "FastCGI responder behind a web server",
  },
  {
    name: "lambda",
    packageName: "@anyserver/adapter-lambda",
    description: "AWS Lambda (API Gateway, ALB, Function URLs)",
  },
];

export function findKnownServer(name: string): KnownServer | undefined {
  return knownServers.find((server) => server.name === name);
}
