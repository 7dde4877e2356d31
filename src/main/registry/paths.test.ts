// Where the registry lives by default, per environment variable and platform.
// Run: node --import tsx --test src/main/registry/paths.test.ts
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { defaultRegistryPath, registryPathFor } from './paths';

const linux = { platform: 'linux' as const, home: '/home/ada' };

test('LORALAB_REGISTRY wins over everything', () => {
  const env = { LORALAB_REGISTRY: '/data/r.sqlite', LORALAB_HOME: '/lab', XDG_DATA_HOME: '/xdg' };
  assert.equal(registryPathFor({ ...linux, env }), '/data/r.sqlite');
  assert.equal(registryPathFor({ ...linux, env: { LORALAB_REGISTRY: 'rel/r.sqlite' } }), resolve('rel/r.sqlite'));
});

test('LORALAB_HOME is a folder holding registry.sqlite', () => {
  assert.equal(registryPathFor({ ...linux, env: { LORALAB_HOME: '/lab' } }), '/lab/registry.sqlite');
  assert.equal(registryPathFor({ ...linux, env: { LORALAB_REGISTRY: '', LORALAB_HOME: '/lab' } }), '/lab/registry.sqlite');
});

test('Linux: XDG_DATA_HOME when absolute, else ~/.local/share', () => {
  assert.equal(registryPathFor({ ...linux, env: { XDG_DATA_HOME: '/xdg' } }), '/xdg/loralab/registry.sqlite');
  assert.equal(registryPathFor({ ...linux, env: {} }), '/home/ada/.local/share/loralab/registry.sqlite');
  assert.equal(registryPathFor({ ...linux, env: { XDG_DATA_HOME: 'relative' } }), '/home/ada/.local/share/loralab/registry.sqlite');
});

test('macOS: ~/Library/Application Support/LoRA Lab', () => {
  assert.equal(
    registryPathFor({ platform: 'darwin', home: '/Users/ada', env: {} }),
    '/Users/ada/Library/Application Support/LoRA Lab/registry.sqlite',
  );
});

test('Windows: %APPDATA%\\LoRA Lab', () => {
  const home = 'C:\\Users\\ada';
  assert.equal(
    registryPathFor({ platform: 'win32', home, env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' } }),
    'C:\\Users\\ada\\AppData\\Roaming\\LoRA Lab\\registry.sqlite',
  );
  assert.equal(
    registryPathFor({ platform: 'win32', home, env: {} }),
    'C:\\Users\\ada\\AppData\\Roaming\\LoRA Lab\\registry.sqlite',
  );
});

test('defaultRegistryPath reads the real environment', () => {
  const saved = process.env.LORALAB_REGISTRY;
  process.env.LORALAB_REGISTRY = '/tmp/from-env.sqlite';
  try {
    assert.equal(defaultRegistryPath(), '/tmp/from-env.sqlite');
  } finally {
    if (saved === undefined) delete process.env.LORALAB_REGISTRY;
    else process.env.LORALAB_REGISTRY = saved;
  }
});
