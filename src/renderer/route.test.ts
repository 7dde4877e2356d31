import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRoute, routeHref } from './route';

test('empty and root hashes are the runs page', () => {
  for (const hash of ['', '#', '#/', '#//']) assert.deepEqual(parseRoute(hash), { page: 'runs' });
});

test('#/runs/<id> is a run page, with or without a trailing slash', () => {
  assert.deepEqual(parseRoute('#/runs/12'), { page: 'run', runId: 12 });
  assert.deepEqual(parseRoute('#/runs/12/'), { page: 'run', runId: 12 });
});

test('anything else is not found, keeping the hash for the message', () => {
  for (const hash of ['#/runs/0', '#/runs/abc', '#/runs/1.5', '#/runs', '#/settings', '#/runs/99999999999999999999']) {
    assert.deepEqual(parseRoute(hash), { page: 'not-found', hash }, hash);
  }
});

test('routeHref round-trips through parseRoute', () => {
  assert.equal(routeHref({ page: 'runs' }), '#/');
  assert.deepEqual(parseRoute(routeHref({ page: 'run', runId: 7 })), { page: 'run', runId: 7 });
});
