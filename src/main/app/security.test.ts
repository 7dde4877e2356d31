// The Electron shell's security settings and its preload bridge, as plain code
// (the Electron binary is not needed): what the window is created with, which
// navigations and windows are refused, and that the renderer gets only the
// typed contract.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { BRIDGE_EVENT, BRIDGE_INVOKE } from '../../shared/ipc/bridge';
import { requests } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/result';
import { createBridge, type IpcRendererLike } from './bridge';
import { grantsPermission, isAllowedNavigation, mainWindowOptions, menuTemplate, windowOpenDecision } from './security';

const ROOT = join(__dirname, '..', '..', '..');

test('the main window: context isolation, sandbox, no Node, no webviews, web security on', () => {
  const prefs = mainWindowOptions('/app/dist/app/preload.cjs').webPreferences!;
  assert.equal(prefs.preload, '/app/dist/app/preload.cjs');
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.experimentalFeatures, false);
});

test('navigation stays on the bundled page; window.open never opens a window', () => {
  const home = 'file:///opt/LoRA%20Lab/resources/app.asar/dist/renderer/index.html';
  assert.equal(isAllowedNavigation(home, `${home}#/runs/3`), true);
  assert.equal(isAllowedNavigation(home, home), true);
  for (const url of ['https://example.com/', 'file:///etc/passwd', 'file:///opt/LoRA%20Lab/resources/app.asar/dist/renderer/other.html', `${home}?x=1`, 'javascript:alert(1)', 'not a url']) {
    assert.equal(isAllowedNavigation(home, url), false, url);
  }
  assert.deepEqual(windowOpenDecision('https://peft.readthedocs.io/'), { action: 'deny', openExternally: true });
  for (const url of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', '']) {
    assert.deepEqual(windowOpenDecision(url), { action: 'deny', openExternally: false }, url);
  }
  for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) assert.equal(grantsPermission(p), false);
});

test('native menus: the standard edit roles everywhere, the app menu on macOS, dev tools only unpackaged', () => {
  const roles = (items: ReturnType<typeof menuTemplate>): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);
  const linux = roles(menuTemplate('linux', { packaged: true }));
  for (const r of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'quit']) assert.ok(linux.includes(r), r);
  assert.ok(!linux.includes('toggleDevTools'));
  assert.ok(roles(menuTemplate('linux', { packaged: false })).includes('toggleDevTools'));
  const mac = menuTemplate('darwin', { packaged: true, appName: 'LoRA Lab' });
  assert.equal(mac[0]!.label, 'LoRA Lab');
  assert.ok(roles(mac).includes('about') && roles(mac).includes('hideOthers'));
});

/** Electron's ipcRenderer surface, recorded: what the bridge sends and which listeners it holds. */
class RecordingIpc extends EventEmitter implements IpcRendererLike {
  readonly invoked: unknown[][] = [];
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, ...args]);
    return Promise.resolve({ ok: true, value: 'answered' });
  }
}

test('the preload exposes only invoke + onEvent of the typed contract, frozen', async () => {
  const ipc = new RecordingIpc();
  const bridge = createBridge(ipc);
  assert.deepEqual(Object.keys(bridge).sort(), ['invoke', 'onEvent']);
  assert.ok(Object.isFrozen(bridge));
  assert.throws(() => ((bridge as unknown as Record<string, unknown>).ipcRenderer = ipc));

  // Every contract channel goes through the one invoke channel; nothing else is sent.
  for (const channel of Object.keys(requests)) assert.deepEqual(await bridge.invoke(channel, { x: 1 }), { ok: true, value: 'answered' });
  assert.ok(ipc.invoked.every(([c]) => c === BRIDGE_INVOKE));
  assert.deepEqual(ipc.invoked.map(([, channel]) => channel), Object.keys(requests));
  const before = ipc.invoked.length;
  for (const channel of ['loralab:event', 'runs.nope', '__proto__', 'constructor', 42 as unknown as string]) {
    const r = (await bridge.invoke(channel, {})) as Result<unknown>;
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'UNKNOWN_CHANNEL');
  }
  assert.equal(ipc.invoked.length, before, 'an unknown channel never reaches ipcRenderer');

  // Events: only contract event names, and the listener never sees Electron's event object.
  const seen: unknown[][] = [];
  const off = bridge.onEvent((...args) => seen.push(args));
  const electronEvent = { sender: { send() {} }, ports: [] };
  ipc.emit(BRIDGE_EVENT, electronEvent, 'onRunStatus', { runId: 1, status: 'running', error: null });
  ipc.emit(BRIDGE_EVENT, electronEvent, 'notAnEvent', { secret: true });
  ipc.emit('some-other-channel', electronEvent, 'onRunStatus', {});
  assert.deepEqual(seen, [['onRunStatus', { runId: 1, status: 'running', error: null }]]);
  off();
  assert.equal(ipc.listenerCount(BRIDGE_EVENT), 0, 'unsubscribe removes the ipcRenderer listener');
});

test('the preload script is the bridge and nothing more; the window is created from mainWindowOptions', () => {
  const preload = readFileSync(join(__dirname, 'preload.ts'), 'utf8');
  assert.match(preload, /contextBridge\.exposeInMainWorld\('loralab', createBridge\(ipcRenderer\)\)/);
  assert.equal((preload.match(/exposeInMainWorld/g) ?? []).length, 1);
  const window = readFileSync(join(__dirname, 'window.ts'), 'utf8');
  assert.match(window, /new BrowserWindow\(mainWindowOptions\(preloadPath\)\)/);
  const main = readFileSync(join(__dirname, 'main.ts'), 'utf8');
  assert.match(main, /requestSingleInstanceLock\(\)/);
  assert.match(main, /'web-contents-created', \(_event, contents\) => guardContents\(contents, home\)/);
});

test('electron-builder packages AppImage, deb, dmg and nsis with native modules rebuilt and unpacked', () => {
  const cfg = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
  assert.deepEqual(cfg.linux.target, ['AppImage', 'deb']);
  assert.equal(cfg.mac.target, 'dmg');
  assert.equal(cfg.win.target, 'nsis');
  assert.equal(cfg.npmRebuild, true);
  assert.ok(cfg.asarUnpack.includes('node_modules/better-sqlite3/**'));
  assert.equal(cfg.extraMetadata.main, 'dist/app/main.cjs');
  assert.ok(cfg.linux.maintainer, 'deb needs a maintainer');
});
