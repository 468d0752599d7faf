// A small W3C WebDriver client for the engines playwright-core cannot drive
// here: Debian's Firefox ESR (through geckodriver) and WebKitGTK's MiniBrowser
// (through WebKitWebDriver, under xvfb-run). Only the commands the tests use.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** The engines, with where their driver and browser are and how a session is asked for. */
export const ENGINES = {
  firefox: {
    driver: process.env.GECKODRIVER ?? join(homedir(), '.cargo', 'bin', 'geckodriver'),
    browser: '/usr/bin/firefox-esr',
    command: (driver, port) => [driver, ['--port', String(port)]],
    capabilities: { browserName: 'firefox', 'moz:firefoxOptions': { binary: '/usr/bin/firefox-esr', args: ['-headless'] } },
  },
  webkit: {
    driver: process.env.WEBKITWEBDRIVER ?? '/usr/bin/WebKitWebDriver',
    browser: MINIBROWSER,
    // WebKitGTK needs a display, even for automation.
    command: (driver, port) => ['xvfb-run', ['-a', driver, `--port=${port}`]],
    capabilities: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } },
  },
};

/** Why `engine` cannot run here, or null when it can. */
export function missing(engine) {
  const { driver, browser } = ENGINES[engine];
  for (const path of [driver, browser]) if (!existsSync(path)) return `${path} is not installed (bash scripts/setup.sh installs it)`;
  return null;
}

async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Starts the driver of `engine` and a session in it; resolves to a `Session`. */
export async function start(engine) {
  const spec = ENGINES[engine];
  const port = await freePort();
  const [program, args] = spec.command(spec.driver, port);
  const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let log = '';
  child.stderr.on('data', (chunk) => { log = (log + chunk).slice(-4000); });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const status = await (await fetch(`${base}/status`)).json();
      if (status.value?.ready !== false) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { stop(child); throw new Error(`${engine}'s driver did not start: ${log}`); }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  const created = await call(base, 'POST', '/session', { capabilities: { alwaysMatch: spec.capabilities } });
  return new Session(base, created.sessionId, child);
}

function stop(child) {
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
}

async function call(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (json.value?.error) throw new Error(`${method} ${path}: ${json.value.error}: ${json.value.message}`);
  return json.value;
}

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class Session {
  constructor(base, id, child) {
    Object.assign(this, { base, id, child });
  }

  command(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  goto(url) { return this.command('POST', '/url', { url }); }

  async find(css) {
    const found = await this.command('POST', '/element', { using: 'css selector', value: css });
    return found[ELEMENT];
  }

  /** Fills a file input with absolute paths, as a person choosing them would. */
  async chooseFiles(css, paths) {
    const element = await this.find(css);
    await this.command('POST', `/element/${element}/value`, { text: paths.join('\n') });
  }

  async click(css) {
    const element = await this.find(css);
    await this.command('POST', `/element/${element}/click`, {});
  }

  /** Runs `script` (a function body; `arguments` holds `args`) in the page. */
  run(script, ...args) { return this.command('POST', '/execute/sync', { script, args }); }

  /** Waits until `script` returns something truthy, and returns it. */
  async until(script, timeout = 60_000, ...args) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await this.run(script, ...args);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for: ${script}`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }

  async close() {
    try { await this.command('DELETE', ''); } catch { /* the browser is gone already */ }
    stop(this.child);
  }
}
