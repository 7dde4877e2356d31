// `loralab ui` is the browser server's own program (src/main/server/main.ts →
// dist/server.cjs), which bin/loralab.mjs runs instead of the CLI: its own usage,
// the CLI's error contract, and a clean shutdown on Ctrl-C (SIGINT) and SIGTERM —
// real processes on the built dist, a real registry and a real WebSocket client.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { CLI, ROOT, tempDir, waitFor } from '../helpers';

const loralab = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });

test('loralab ui --help and loralab help ui print the ui usage; loralab --help lists ui; bad options exit 2 with the usage', () => {
  for (const args of [['ui', '--help'], ['ui', '--bogus', '-h'], ['help', 'ui']]) {
    const r = loralab(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /^usage: loralab ui \[--port N\]/);
    assert.doesNotMatch(r.stdout, /loralab demo/, 'only its own usage');
  }
  assert.match(loralab(['--help']).stdout, /^ {2}ui \[--port N\] +the workbench in a browser/m);
  for (const [args, message] of [
    [['ui', '--port', '70000'], /--port must be 0\.\.65535, got 70000/],
    [['ui', '--port', '-1'], /--port/],
    [['ui', '--bogus'], /Unknown option '--bogus'/],
    [['ui', 'extra'], /ui takes no arguments, got "extra"/],
  ] as const) {
    const r = loralab([...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /usage: loralab ui /);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`loralab ui serves the workbench and the contract, and ${signal} shuts it down with exit 0`, async () => {
    const registry = join(tempDir(), 'registry.sqlite');
    const child = spawn(process.execPath, [CLI, 'ui', '--registry', registry, '--backend', 'cpu'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exit = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, sig) => resolve([code, sig])));
    try {
      const m = await waitFor(`the URL (stderr: ${stderr})`, () => /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)/.exec(stdout), 30_000);
      const origin = `http://127.0.0.1:${m[1]}`;
      const page = await fetch(`${origin}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      const ws = new WebSocket(`ws://127.0.0.1:${m[1]}/ws?token=${m[2]}`, { headers: { Origin: origin } });
      await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
      const reply = await new Promise<{ id: number; result: { ok: boolean; value: unknown } }>((resolve) => {
        ws.on('message', (raw) => {
          const msg = JSON.parse(raw.toString());
          if (msg.id === 1) resolve(msg);
        });
        ws.send(JSON.stringify({ id: 1, channel: 'runs.list', payload: {} }));
      });
      assert.deepEqual(reply.result, { ok: true, value: [] });
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      child.kill(signal);
      const [code, sig] = await exit;
      assert.equal(sig, null, `ended by ${sig}, not by its own shutdown (stderr: ${stderr})`);
      assert.equal(code, 0, stderr);
      assert.ok((await closed) > 0, 'the socket was closed by the server');
      assert.ok(existsSync(registry));
      assert.match(stderr, /press Ctrl-C to quit/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
}
