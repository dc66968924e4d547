// nginx for the tests: the Debian package, started in the foreground (`daemon off;`) with
// `-p PREFIX -c CONFIG`, its pid file, logs and temporary folders all inside the test's temp
// folder, and one of the configurations in deploy/ included after filling in only its paths and
// ports (every replaced text must be found, so an edit of deploy/ cannot silently escape the
// tests).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, waitFor200, type Processes, type Started } from "./processes.js";

const INSTALL_NGINX = "install it with `apt-get install nginx` (Debian/Ubuntu)";
const BROTLI_PACKAGE = "libnginx-mod-http-brotli-static";

export interface NginxInstall {
  readonly binary: string;
  readonly version: string;
  /** The brotli_static module to load, when it is installed and loads. */
  readonly brotliModule: string | undefined;
  /** Why Brotli cannot be served, when it cannot: printed when the br assertions check gzip instead. */
  readonly noBrotliReason: string | undefined;
}

let found: NginxInstall | undefined;

/** The installed nginx; throws, naming the package, when there is none. */
export function requireNginx(): NginxInstall {
  if (found) return found;
  for (const binary of ["nginx", "/usr/sbin/nginx", "/usr/local/sbin/nginx"]) {
    const answer = spawnSync(binary, ["-V"], { encoding: "utf8", timeout: 10_000 });
    if (answer.error !== undefined) continue;
    const text = `${answer.stderr}${answer.stdout}`;
    const version = /nginx version: (\S+)/.exec(text)?.[1] ?? "nginx (version unknown)";
    const modulesPath = /--modules-path=(\S+)/.exec(text)?.[1] ?? "/usr/lib/nginx/modules";
    const module = path.join(modulesPath, "ngx_http_brotli_static_module.so");
    let noBrotliReason: string | undefined;
    // TEST_NGINX_NO_BROTLI=1 runs the suite as where the module is not installable.
    if (process.env.TEST_NGINX_NO_BROTLI === "1") noBrotliReason = "TEST_NGINX_NO_BROTLI=1 says to test without it";
    else if (!existsSync(module)) noBrotliReason = `${module} is missing (apt-get install ${BROTLI_PACKAGE})`;
    else noBrotliReason = loadProblem(binary, module);
    found = { binary, version, brotliModule: noBrotliReason === undefined ? module : undefined, noBrotliReason };
    return found;
  }
  throw new Error(`test/nginx: nginx is not on PATH; ${INSTALL_NGINX}`);
}

/** Why `load_module` of the Brotli module fails (a module built for another nginx), if it does. */
function loadProblem(binary: string, module: string): string | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), "feedwright-nginx-check-"));
  try {
    const config = path.join(dir, "nginx.conf");
    writeFileSync(config, `load_module ${module};\npid ${dir}/nginx.pid;\nevents {}\nhttp { brotli_static on; }\n`);
    const result = spawnSync(binary, ["-t", "-q", "-p", dir, "-c", config, "-e", path.join(dir, "error.log")], { encoding: "utf8", timeout: 10_000 });
    if (result.status === 0) return undefined;
    return `the brotli_static module does not load: ${`${result.stderr}${result.stdout}`.trim().split("\n")[0] ?? `nginx -t exited with ${result.status}`}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces each [from, to] in the text of a deploy/ file; each `from` must occur. */
export function fillIn(file: string, replacements: readonly (readonly [from: string | RegExp, to: string])[]): string {
  let text = readFileSync(path.join(ROOT, file), "utf8");
  for (const [from, to] of replacements) {
    const before = text;
    text = typeof from === "string" ? text.split(from).join(to) : text.replace(from, to);
    if (text === before) throw new Error(`test/nginx: ${file} no longer contains ${String(from)}; update the replacements in test/nginx`);
  }
  return text;
}

export interface NginxServer {
  readonly started: Started;
  readonly port: number;
  readonly dir: string;
  readonly accessLog: string;
}

/**
 * Starts nginx with `site` (a deploy/ configuration, filled in) inside a generated main
 * configuration, on `port`, with everything it writes under `dir`.
 */
export async function startNginx(processes: Processes, install: NginxInstall, options: { dir: string; port: number; site: string; useBrotli: boolean; readyPath: string }): Promise<NginxServer> {
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  const siteFile = path.join(dir, "feedwright.conf");
  const mainFile = path.join(dir, "nginx.conf");
  const errorLog = path.join(dir, "error.log");
  writeFileSync(siteFile, options.site);
  writeFileSync(
    mainFile,
    [
      options.useBrotli && install.brotliModule ? `load_module ${install.brotliModule};` : "# no brotli_static module",
      "worker_processes 1;",
      // In the foreground, as the test's child: stopped by its PID (the pid file is for people).
      "daemon off;",
      `pid ${dir}/nginx.pid;`,
      `error_log ${errorLog} warn;`,
      "events { worker_connections 256; }",
      "http {",
      "    access_log off;",
      `    client_body_temp_path ${dir}/client-body;`,
      `    proxy_temp_path ${dir}/proxy-temp;`,
      `    fastcgi_temp_path ${dir}/fastcgi-temp;`,
      `    uwsgi_temp_path ${dir}/uwsgi-temp;`,
      `    scgi_temp_path ${dir}/scgi-temp;`,
      `    include ${siteFile};`,
      "}",
      "",
    ].join("\n"),
  );
  const check = spawnSync(install.binary, ["-t", "-q", "-p", dir, "-c", mainFile, "-e", errorLog], { encoding: "utf8", timeout: 10_000 });
  if (check.status !== 0) throw new Error(`test/nginx: nginx -t rejects ${mainFile} (with ${siteFile}):\n${check.stderr}${check.stdout}`);
  const started = processes.start("nginx", install.binary, ["-p", dir, "-c", mainFile, "-e", errorLog], { cwd: dir, logFile: path.join(dir, "stdout.log"), group: true });
  await waitFor200({ ...started, logFile: errorLog }, options.port, options.readyPath);
  return { started, port: options.port, dir, accessLog: path.join(dir, "access.log") };
}
