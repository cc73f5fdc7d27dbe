import { type ProfileSummary, summarize } from "./profile-summary.ts";
import type { Profiler } from "./profiler.ts";

const TOP = 50;

export interface ProfilePageOptions {
  /** Where the page answers, e.g. `/__profile__`. */
  path: string;
  /** The server's name, shown and used in the download's file name. */
  server: string;
  /** The folder `save` writes to, shown on the page. */
  dir: string;
}

/**
 * The profiler's pages under `path`: the summary (HTML, or JSON at `path/summary.json`),
 * the `.cpuprofile` download at `path/profile.cpuprofile`, and POST `path/reset`, `path/save`.
 * Undefined when `pathname` is not one of them.
 */
export function profileRoute(
  profiler: Profiler,
  options: ProfilePageOptions,
  request: Request,
  pathname: string,
): (() => Promise<Response>) | undefined {
  const { path } = options;
  const method = request.method;
  const read = method === "GET" || method === "HEAD";
  if (pathname === path && read) {
    return async () => {
      const saved = new URL(request.url).searchParams.get("saved");
      return html(page(summarize(await profiler.profile()), options, saved));
    };
  }
  if (pathname === `${path}/summary.json` && read)
    return async () => Response.json(summarize(await profiler.profile()));
  if (pathname === `${path}/profile.cpuprofile` && read) {
    return async () =>
      new Response(JSON.stringify(await profiler.profile()), {
        headers: {
          "content-type": "application/json",
          "content-disposition": `attachment; filename="${options.server}-${process.pid}.cpuprofile"`,
          "cache-control": "no-store",
        },
      });
  }
  if (
    (pathname === `${path}/reset` || pathname === `${path}/save`) &&
    method === "POST" &&
    crossSite(request)
  ) {
    return async () =>
      new Response("Forbidden: cross-site request\n", {
        status: 403,
        headers: { "content-type": "text/plain" },
      });
  }
  if (pathname === `${path}/reset` && method === "POST") {
    return async () => {
      await profiler.reset();
      return redirect(path);
    };
  }
  if (pathname === `${path}/save` && method === "POST") {
    return async () => {
      const file = await profiler.save();
      return redirect(`${path}?saved=${encodeURIComponent(file)}`);
    };
  }
  if (
    [path, `${path}/summary.json`, `${path}/profile.cpuprofile`, `${path}/reset`, `${path}/save`].includes(
      pathname,
    )
  ) {
    return async () =>
      new Response("Method Not Allowed\n", { status: 405, headers: { "content-type": "text/plain" } });
  }
  return undefined;
}

/** A form posted from another site's page (a browser on this machine can reach loopback too). */
function crossSite(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return origin === "null";
  const host = request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

function page(summary: ProfileSummary, options: ProfilePageOptions, saved: string | null): string {
  const rows = summary.functions
    .slice(0, TOP)
    .map(
      (fn, i) =>
        `<tr><td>${i + 1}</td><td class="n">${ms(fn.selfMs)}</td><td class="n">${percent(fn.selfShare)}</td>` +
        `<td class="n">${ms(fn.totalMs)}</td><td class="n">${percent(fn.totalShare)}</td>` +
        `<td><b>${escapeHtml(fn.name)}</b><br><small>${escapeHtml(fn.location)}</small></td></tr>`,
    )
    .join("\n");
  const base = escapeHtml(options.path);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Profile — ${escapeHtml(options.server)} pid ${process.pid}</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}
th,td{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}small{color:#777;word-break:break-all}
form{display:inline}button,a.button{margin-right:.5em}
</style></head><body>
<h1>CPU profile: ${escapeHtml(options.server)}, pid ${process.pid}</h1>
<p>Recorded ${ms(summary.recordedMs)} (the first request, warm-up, is left out); busy ${ms(summary.busyMs)};
${summary.samples} samples. Shares are of the busy time.</p>
<p><a class="button" href="${base}/profile.cpuprofile" download>Download .cpuprofile</a>
<form method="post" action="${base}/save"><button>Save to ${escapeHtml(options.dir)}</button></form>
<form method="post" action="${base}/reset"><button>Reset</button></form>
<a href="${base}/summary.json">JSON</a></p>
${saved ? `<p><b>Saved to ${escapeHtml(saved)}</b></p>` : ""}
<p><small>Open the .cpuprofile in Chrome DevTools (Performance) or speedscope.app for the flame chart.</small></p>
<h2>Top ${TOP} functions by self time</h2>
<table><thead><tr><th>#</th><th class="n">self</th><th class="n">self %</th><th class="n">total</th><th class="n">total %</th><th>function</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="6">No samples yet: send some requests, then reload.</td></tr>'}
</tbody></table></body></html>
`;
}

function html(body: string): Response {
  return new Response(body, {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
