import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportFormDefaults, exportRequest, importRequest, jobCommands } from './cluster-form';

test('the export form becomes a cluster.exportJob request; bad fields are named', () => {
  const form = exportFormDefaults(7, 'Tiny LoRA: q,v');
  assert.equal(form.out, 'cluster-jobs/run-7-tiny-lora-q-v');
  assert.deepEqual(exportRequest(7, { ...form, gpus: '8', strategy: 'fsdp', model: ' meta-llama/Llama-3.2-1B ' }), {
    request: { runId: 7, out: form.out, gpus: 8, strategy: 'fsdp', dataPaths: false, copyModel: false, model: 'meta-llama/Llama-3.2-1B' },
  });
  assert.ok(!('model' in (exportRequest(7, form) as { request: object }).request));
  assert.match((exportRequest(7, { ...form, gpus: '1.5' }) as { error: string }).error, /^GPUs: /);
  assert.match((exportRequest(7, { ...form, gpus: '0' }) as { error: string }).error, /^GPUs: /);
  assert.match((exportRequest(7, { ...form, out: '  ' }) as { error: string }).error, /^Job folder: /);
});

test('job commands quote a folder with spaces; import needs a folder', () => {
  assert.deepEqual(jobCommands('/tmp/a b'), [`cd '/tmp/a b' && pip install -r requirements.txt && ./launch.sh`, `loralab import-job '/tmp/a b'`]);
  assert.deepEqual(jobCommands('/tmp/job'), ['cd /tmp/job && pip install -r requirements.txt && ./launch.sh', 'loralab import-job /tmp/job']);
  assert.deepEqual(importRequest(' /x '), { request: { dir: '/x' } });
  assert.ok('error' in importRequest(''));
});
