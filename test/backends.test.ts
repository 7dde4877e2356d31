// test/backends.ts on an install without the optional webgpu packages (looked up
// from an empty folder, so the engine's own "not installed" reason is what comes
// back): the webgpu run is accepted as absent, with its reason, and fails once
// LORALAB_REQUIRE_WEBGPU=1 says the packages must be there. Other backends never
// pass as absent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useBackend } from './backends';
import { tempDir } from './helpers';

async function withRequire<T>(value: string | undefined, run: () => Promise<T>): Promise<T> {
  const saved = process.env.LORALAB_REQUIRE_WEBGPU;
  if (value === undefined) delete process.env.LORALAB_REQUIRE_WEBGPU;
  else process.env.LORALAB_REQUIRE_WEBGPU = value;
  try {
    return await run();
  } finally {
    if (saved === undefined) delete process.env.LORALAB_REQUIRE_WEBGPU;
    else process.env.LORALAB_REQUIRE_WEBGPU = saved;
  }
}

test('webgpu without its packages is accepted as absent, and is a failure when LORALAB_REQUIRE_WEBGPU=1', async (t) => {
  const empty = tempDir('loralab-no-webgpu-');
  const notes: string[] = [];
  const ctx = { diagnostic: (m: string) => notes.push(m) } as unknown as Parameters<typeof useBackend>[1];
  assert.equal(await withRequire(undefined, () => useBackend('webgpu', ctx, empty)), null);
  assert.match(notes.join('\n'), /webgpu absent here: .*package (webgpu|@tensorflow\/tfjs-backend-webgpu) is not installed/);
  await withRequire('1', () => assert.rejects(useBackend('webgpu', ctx, empty), /LORALAB_REQUIRE_WEBGPU=1 but backend 'webgpu' was requested/));
  t.diagnostic(notes[0]!);
});

test('wasm and cpu are never absent', async () => {
  for (const backend of ['wasm', 'cpu'] as const) assert.equal((await useBackend(backend))?.backend, backend);
});
