import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveToken, socketUrl, TOKEN_STORAGE_KEY, type TokenStorage } from './token';

function memoryStorage(initial: Record<string, string> = {}): TokenStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

test('a token in the URL is used and remembered for reloads', () => {
  const storage = memoryStorage();
  assert.equal(resolveToken('?token=abc123', storage), 'abc123');
  assert.equal(storage.data[TOKEN_STORAGE_KEY], 'abc123');
  assert.equal(resolveToken('', storage), 'abc123');
});

test('a new URL token replaces the remembered one', () => {
  const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'old' });
  assert.equal(resolveToken('?x=1&token=new', storage), 'new');
  assert.equal(storage.data[TOKEN_STORAGE_KEY], 'new');
});

test('no token anywhere is null; broken or missing storage is survivable', () => {
  assert.equal(resolveToken('', memoryStorage()), null);
  assert.equal(resolveToken('?token=', memoryStorage()), null);
  assert.equal(resolveToken('?token=t', null), 't');
  const throwing: TokenStorage = {
    getItem: () => {
      throw new Error('SecurityError');
    },
    setItem: () => {
      throw new Error('SecurityError');
    },
  };
  assert.equal(resolveToken('?token=t', throwing), 't');
  assert.equal(resolveToken('', throwing), null);
});

test('the socket URL follows the page scheme and escapes the token', () => {
  assert.equal(socketUrl({ protocol: 'http:', host: '127.0.0.1:4000' }, 'a b'), 'ws://127.0.0.1:4000/ws?token=a%20b');
  assert.equal(socketUrl({ protocol: 'https:', host: 'x:1' }, 't'), 'wss://x:1/ws?token=t');
});
