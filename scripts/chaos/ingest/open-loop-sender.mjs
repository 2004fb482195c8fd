// The open-loop sender of the "ingest overload" chaos scenarios (scripts/chaos/ingest/overload.ts), run in a
// worker thread so that its work does not delay the main thread's clock: a batch every `every` ms for `runMs`,
// whatever the answers; posts back each answer's status, time (from the send, and from the moment it had a
// connection) and whether it carried Retry-After.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";

const { url, token, batches, every, runMs, expectContinue } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const u = new URL(url);
const send = (body) =>
  new Promise((resolve) => {
    const t0 = performance.now();
    let tConn = NaN; // the request has a connection (the agent's queue and the TCP connect are behind it)
    let settled = false;
    let continued = false;
    const done = (status, retryAfter, error = null) => {
      if (settled) return;
      settled = true;
      const t = performance.now();
      resolve({ status, ms: t - t0, fromConnMs: t - tConn, retryAfter, body: "", error });
    };
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: "/api/v1/ingest/requests",
        method: "POST",
        agent,
        timeout: 30_000,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/x-ndjson",
          "content-length": String(body.length),
          ...(expectContinue ? { expect: "100-continue" } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          done(res.statusCode ?? 0, res.headers["retry-after"] ?? null);
          if (expectContinue && !continued) req.destroy(); // refused before the upload: the request ends unsent
        });
        res.on("error", (e) => done(0, null, e.code ?? e.message));
      },
    );
    req.on("socket", (sock) => {
      if (sock.connecting) sock.once("connect", () => (tConn = performance.now()));
      else tConn = performance.now();
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e) => done(0, null, e.code ?? e.message));
    if (expectContinue) {
      // The body goes only after 100 Continue; a final answer instead (a refusal) ends the request unsent.
      req.once("continue", () => ((continued = true), req.end(body)));
      req.flushHeaders();
    } else req.end(body);
  });

const bufs = batches.map((b) => Buffer.from(b));
const answers = [];
const start = performance.now();
for (let k = 0; ; k++) {
  const at = start + k * every;
  if (at - start >= runMs) break;
  const wait = at - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  answers.push(send(bufs[k % bufs.length]));
}
parentPort.postMessage(await Promise.all(answers));
agent.destroy();
