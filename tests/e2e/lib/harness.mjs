// Shared helpers for the browser tests: build a site with the real binary,
// preview it with the real `signpost serve` on loopback, and launch Debian's
// Chromium through playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const binary = process.env.SIGNPOST_BINARY || join(repo, 'build/signpost');

/// Copies the sample content into a temp folder so a test may add hostile entries.
export function copyContent() {
  const dir = mkdtempSync(join(tmpdir(), 'signpost-content-'));
  cpSync(join(repo, 'content'), dir, { recursive: true });
  return dir;
}

/// Builds `content` with the real binary into a temp folder; returns its path.
export function buildSite(content = join(repo, 'content')) {
  const out = join(mkdtempSync(join(tmpdir(), 'signpost-e2e-')), 'site');
  const r = spawnSync(binary, ['build', '--content', content, '--templates', join(repo, 'templates'),
    '--out', out, '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`signpost build failed (${r.status}):\n${r.stderr}`);
  return out;
}

async function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

/// Starts `signpost serve` on a free loopback port; resolves once it answers.
export async function serve(content = join(repo, 'content')) {
  const port = await freePort();
  const out = join(mkdtempSync(join(tmpdir(), 'signpost-serve-')), 'site');
  const child = spawn(binary, ['serve', '--port', String(port), '--content', content,
    '--templates', join(repo, 'templates'), '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}/`;
  let ready = false;
  for (let i = 0; i < 300 && !ready; i++) {
    if (child.exitCode !== null) throw new Error(`signpost serve exited ${child.exitCode}:\n${log}`);
    try {
      ready = (await fetch(base)).ok;
    } catch { /* not listening yet */ }
    if (!ready) await new Promise((ok) => setTimeout(ok, 100));
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`signpost serve did not serve the home page within 30 s:\n${log}`);
  }
  return {
    base, out, log: () => log,
    async stop() {
      child.kill('SIGINT');
      await new Promise((ok) => (child.exitCode !== null ? ok() : child.on('exit', ok)));
      rmSync(dirname(out), { recursive: true, force: true });
    },
  };
}

/// Debian's Chromium, headless, with the flags this sandbox needs.
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
