// What `npm run bench:http` accepts as the answer a scenario asked for, and how it reads wrk.
import { describe, expect, test } from "vitest";
import { answerProblem, loadProblem, parseWrk, type ExpectedAnswer } from "../../bench/http-checks.js";

const BODY = Buffer.from("gzip bytes of the feed");

describe("answerProblem", () => {
  const gzip200: ExpectedAnswer = { status: 200, coding: "gzip", body: BODY, etag: undefined };

  test("a 200 needs the status, the coding and the very bytes", () => {
    expect(answerProblem(gzip200, { status: 200, headers: { "content-encoding": "gzip" }, body: BODY })).toBeUndefined();
    expect(answerProblem(gzip200, { status: 200, headers: {}, body: BODY })).toBe("Content-Encoding identity, expected gzip");
    expect(answerProblem(gzip200, { status: 503, headers: {}, body: BODY })).toBe("status 503, expected 200");
    expect(answerProblem(gzip200, { status: 200, headers: { "content-encoding": "gzip" }, body: Buffer.from("other") })).toMatch(/^a 5-byte body/);
  });

  test("a 304 must repeat the ETag asked about and have no body", () => {
    const notModified: ExpectedAnswer = { status: 304, coding: "gzip", body: undefined, etag: '"abc-gz"' };
    expect(answerProblem(notModified, { status: 304, headers: { etag: '"abc-gz"' }, body: Buffer.alloc(0) })).toBeUndefined();
    expect(answerProblem(notModified, { status: 304, headers: { etag: '"abc"' }, body: Buffer.alloc(0) })).toMatch(/ETag "abc"/);
    expect(answerProblem(notModified, { status: 200, headers: { etag: '"abc-gz"' }, body: BODY })).toBe("status 200, expected 304");
  });
});

describe("loadProblem", () => {
  const gzip200: ExpectedAnswer = { status: 200, coding: "gzip", body: BODY, etag: undefined };

  test("bytes read per response tell the codings apart", () => {
    expect(loadProblem(gzip200, 31_000, { requests: 1000, non2xx3xx: 0, bytesRead: 1000 * 31_450 })).toBeUndefined();
    // The identity bytes sent to a client that asked for gzip.
    expect(loadProblem(gzip200, 31_000, { requests: 1000, non2xx3xx: 0, bytesRead: 1000 * 221_600 })).toMatch(/^221600 bytes read per response/);
    // 304s where 200s were asked for.
    expect(loadProblem(gzip200, 31_000, { requests: 1000, non2xx3xx: 0, bytesRead: 1000 * 400 })).toMatch(/^400 bytes read per response/);
  });

  test("a 404 load must be all non-2xx/3xx; any other load none", () => {
    const notFound: ExpectedAnswer = { status: 404, coding: "identity", body: undefined, etag: undefined };
    expect(loadProblem(notFound, 60, { requests: 10, non2xx3xx: 10, bytesRead: 10 * 300 })).toBeUndefined();
    expect(loadProblem(notFound, 60, { requests: 10, non2xx3xx: 9, bytesRead: 10 * 300 })).toBe("9 of 10 responses outside 2xx/3xx, expected 10");
    expect(loadProblem(gzip200, 31_000, { requests: 10, non2xx3xx: 1, bytesRead: 10 * 31_450 })).toBe("1 of 10 responses outside 2xx/3xx, expected 0");
    expect(loadProblem(gzip200, 31_000, { requests: 0, non2xx3xx: 0, bytesRead: 0 })).toBe("no response at all");
  });
});

describe("parseWrk", () => {
  test("wrk 4.1's report with --latency", () => {
    const report = parseWrk(`Running 1s test @ http://127.0.0.1:39002/feed.xml
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.89ms    1.32ms  13.72ms   91.76%
    Req/Sec     6.68k     3.00k   10.75k    65.00%
  Latency Distribution
     50%  421.00us
     75%    0.88ms
     90%    1.83ms
     99%    7.71ms
  13287 requests in 1.00s, 5.13MB read
  Non-2xx or 3xx responses: 12
  Socket errors: connect 0, read 2, write 0, timeout 1
Requests/sec:  13252.75
Transfer/sec:      5.12MB
`);
    expect(report).toEqual({
      requestsPerSecond: 13252.75,
      p50Ms: 0.421,
      p99Ms: 7.71,
      requests: 13287,
      bytesRead: 5.13 * 1024 * 1024,
      non2xx3xx: 12,
      socketErrors: 3,
    });
  });
});
