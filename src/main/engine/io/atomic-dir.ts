// Writes a whole folder atomically: everything goes into a hidden temporary
// folder beside the destination, which is renamed into place only when complete
// (an existing destination is replaced). An interruption leaves either nothing
// or the old folder at the destination, never a half-written one.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from './pid';

export function tempDirFor(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Removes temporary folders that interrupted writers (dead processes) left beside `dest`. */
export function removeStaleTemps(dest: string): void {
  const prefix = `.${basename(dest)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(dest));
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /\.(\d+)-[0-9a-f]{8}\.tmp$/.exec(name) : null;
    if (m && !isProcessAlive(Number(m[1]))) rmSync(join(dirname(dest), name), { recursive: true, force: true });
  }
}


/** Runs `fill(tempDir)`, then moves the folder to `dest`. Files written by `fill` must be fsynced by it (writeSafetensors does). */
export async function writeDirAtomically(dest: string, fill: (dir: string) => void | Promise<void>): Promise<void> {
  mkdirSync(dirname(dest), { recursive: true });
  removeStaleTemps(dest);
  const temp = tempDirFor(dest);
  mkdirSync(temp);
  try {
    await fill(temp);
    fsyncDir(temp);
    if (existsSync(dest)) {
      // Swap through a second name so `dest` is never absent while a complete copy exists.
      const old = tempDirFor(dest);
      renameSync(dest, old);
      renameSync(temp, dest);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(temp, dest);
    }
    fsyncDir(dirname(dest));
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    throw err;
  }
}
