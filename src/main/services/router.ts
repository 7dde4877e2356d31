// Dispatches a request by channel name to its handler, validating the channel and
// the payload against the contract first and the handler's response after. Both
// bindings (Electron ipcMain and the WebSocket server) call dispatch() with
// whatever arrived; nothing unvalidated reaches a handler or leaves it, and every
// outcome is a Result.
import { isChannel, requests, type Channel, type ParsedRequestOf, type ResponseOf } from '../../shared/ipc/contract';
import { fail, formatPath, LoraLabError, ok, validationFailure, type Result } from '../../shared/ipc/result';

export type Handlers = {
  [C in Channel]: (request: ParsedRequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
};

export interface Router {
  dispatch(channel: unknown, payload: unknown): Promise<Result<unknown>>;
}

export function createRouter(handlers: Handlers): Router {
  return {
    async dispatch(channel, payload) {
      if (!isChannel(channel)) {
        return fail('UNKNOWN_CHANNEL', `unknown channel ${JSON.stringify(channel)}`, {
          issues: [{ path: 'channel', message: `expected one of ${Object.keys(requests).join(', ')}` }],
        });
      }
      const parsed = requests[channel].request.safeParse(payload);
      if (!parsed.success) return validationFailure('payload', parsed.error);
      let value: unknown;
      try {
        const handler = handlers[channel] as (req: unknown) => unknown;
        value = await handler(parsed.data);
      } catch (err) {
        if (err instanceof LoraLabError) return fail(err.code, err.message, err.issues ? { issues: err.issues } : {});
        const message = err instanceof Error ? err.message : String(err);
        return fail('INTERNAL', `${channel} failed: ${message}`);
      }
      // Responses are checked too: a handler bug is an error here, not a malformed reply in a renderer.
      const checked = requests[channel].response.safeParse(value);
      if (!checked.success) {
        const where = checked.error.issues.map((i) => `${formatPath('response', i.path)}: ${i.message}`).join('; ');
        return fail('INTERNAL', `${channel} produced an invalid response (${where})`);
      }
      return ok(checked.data);
    },
  };
}
