export const HELP = `anyserver — write one web app, run it on any JavaScript server

Usage:
  anyserver serve [entry] [options]   serve the app in entry (default: ./app.ts, ./app.js, ./src/app.ts …)
  anyserver servers                   list the servers: installed or not, version, what each supports
  anyserver bench [entry] [options]   run the app on several servers in turn under load and compare them
  anyserver reload [PID] [--pid FILE] reload the workers of a running anyserver serve -w (sends it SIGHUP)
  anyserver --help | --version

Options of serve:
  -s, --server NAME         node, fastify, hyper-express, uws, express, koa, …, a package or a path (default: node)
  -i, --ip, --host ADDR     address to bind (default: 127.0.0.1)
  -p, --port N              port, 0 = any free port (default: $PORT or 8000)
      --socket PATH         listen on this unix socket instead (servers that support it: fastcgi)
      --tls-cert FILE       serve HTTPS with this PEM certificate …
      --tls-key FILE        … and this PEM key
      --http2               speak HTTP/2 to clients that offer it over TLS, HTTP/1.1 to the others (node, fastify, koa)
      --trust-proxy         believe X-Forwarded-For/-Proto/-Host (only behind your own proxy)
      --graceful-timeout T  how long shutdown waits for in-flight requests: 30s, 500ms (default: 30s)
      --body-limit SIZE     largest request body: 1mb, 512kb (default: no limit)
      --watch               restart when a file the app imports changes (development; graceful timeout 1s)
      --health PATH         answer PATH with 200 while serving, 503 once stopping (for load balancers)
      --config FILE         settings from FILE (default: ./anyserver.config.{ts,mts,js,mjs,json} if there)
      --no-NAME             ignore the config file's NAME (--no-trust-proxy, --no-workers): its default applies
      --no-config           ignore ./anyserver.config.* altogether

Workers (a supervisor runs with -w, $WEB_CONCURRENCY, or any of these flags):
  -w, --workers N|auto      worker processes sharing the port; auto = one per CPU (default: $WEB_CONCURRENCY or 1)
      --timeout T           replace a worker whose event loop is blocked this long; 0 = never (default: 30s)
      --max-requests N      replace a worker after N requests; 0 = never (default: 0)
      --max-requests-jitter J  each worker adds a random 0…J to --max-requests (default: 0)
      --max-memory SIZE     replace a worker whose memory (RSS) grows past SIZE: 512mb, 1gb (default: off)
      --pid FILE            write the supervisor's pid to FILE, for anyserver reload --pid FILE

Logs, metrics, profiler (every server; with -w, over all workers):
  -l, --log [FILE]          access log, one line per request: to stdout, or appended to FILE (SIGUSR1 reopens it)
      --log-format F        combined (Apache/nginx + rt= pid=), common, or json (also for server lines) (default: combined)
      --log-level L         server lines: info, warn, error, silent (default: info)
  -q, --quiet               server lines: warnings and errors only (--log-level warn)
      --metrics [PATH]      Prometheus metrics at PATH (default: /metrics), loopback clients only …
      --metrics-allow LIST  … and these: addresses, CIDR ranges (10.0.0.0/8,fd00::/8), or any
  -P, --profiler DIR        CPU profile saved to DIR at shutdown; summary, reset, download at /__profile__
      --profiler-path PATH  where the profile page answers (default: /__profile__), loopback clients only …
      --profiler-allow LIST … and these, as for --metrics-allow
  -h, --help                this help
  -v, --version             the version

Options of bench:
  -s, --server A,B,C        servers to compare (default: every installed one)
  -d, --duration T          load per server: 10s, 500ms (default: 10s)
      --warmup T            load before each measured run, not counted; 0 for none (default: 2s)
  -c, --connections N       concurrent connections (default: 50)
      --path PATH           request path (default: /)
  -m, --method M            request method (default: GET, or POST with --body)
      --body FILE           request body from FILE
  -H, --header "K: V"       request header (repeatable)
  -o, --out DIR             where the JSON and HTML reports go (default: ./anyserver-bench)
                            Ctrl-C stops the run: the server under load is stopped, the servers measured so far reported

The entry exports its app: export default { fetch(request, context) { return new Response("Hi") } }
SIGINT or SIGTERM stops the server gracefully: in-flight requests finish, then it exits 0.
With workers: SIGHUP reloads them with no downtime (new ones first), SIGTTIN adds one, SIGTTOU removes one.
SIGUSR1 reopens the access log FILE (after logrotate moved it).
A config file holds the long flags in camelCase, and entry: export default { entry: "src/app.ts", port: 8080,
workers: "auto", log: "access.log" }. Flags win over $PORT and $WEB_CONCURRENCY, which win over the file.
`;
