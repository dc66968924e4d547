// Which address a request is rate limited as. Behind proxies that append to X-Forwarded-For,
// only the hops they added can be trusted: the rest is whatever the client sent.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { clientAddress } from "../../src/http/rate-limit.js";

function request(forwarded: string | string[] | undefined, socket = "192.0.2.1"): IncomingMessage {
  return { headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded }, socket: { remoteAddress: socket } } as unknown as IncomingMessage;
}

describe("clientAddress", () => {
  it("is the socket's address unless proxies are trusted", () => {
    expect(clientAddress(request("203.0.113.9"), 0)).toBe("192.0.2.1");
  });

  it("is the hop the trusted proxy added: the last one, not the client's first", () => {
    expect(clientAddress(request("1.2.3.4, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(request(["1.2.3.4", "5.6.7.8, 203.0.113.9"]), 1)).toBe("203.0.113.9");
  });

  it("counts a configured number of proxies from the right", () => {
    expect(clientAddress(request("1.2.3.4, 203.0.113.9, 198.51.100.2"), 2)).toBe("203.0.113.9");
  });

  it("falls back to the socket without the header, and cuts an address too long to be one", () => {
    expect(clientAddress(request(undefined), 1)).toBe("192.0.2.1");
    expect(clientAddress(request(`x${"9".repeat(10_000)}`), 1)).toHaveLength(64);
  });
});

describe("http.trust_proxy", () => {
  it("is true for one proxy, or the number of proxies in a row", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "feedwright-trust-proxy-"));
    try {
      const hops = (value: string): number => {
        writeFileSync(path.join(dir, "feedwright.yaml"), `http:\n  trust_proxy: ${value}\n`);
        return loadConfig({ configFile: "feedwright.yaml" }, {}, dir).http.trustedProxyHops;
      };
      expect([hops("false"), hops("true"), hops("2")]).toEqual([0, 1, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
