// `loralab ui [--port N]`: the workbench in a browser, on 127.0.0.1 only.
import { createServices } from '../../services/index';
import { rendererDir, resourcesDir } from '../../services/paths';
import { startUiServer } from '../../server/ui-server';
import { str, UsageError, type Parsed } from '../args';

export async function ui(args: Parsed): Promise<number> {
  const portText = str(args, 'port');
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got ${portText}`);
  const services = createServices({ registryPath: str(args, 'registry'), backend: str(args, 'backend'), baseDir: resourcesDir() });
  const server = await startUiServer(services, rendererDir(), port);
  process.stdout.write(`LoRA Lab is running at ${server.url}\n`);
  process.stderr.write(`registry ${services.registry.path}; press Ctrl-C to quit\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await services.close();
  return 0;
}
