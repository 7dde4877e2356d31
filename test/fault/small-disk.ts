// A small real file system for disk-full tests: a tmpfs of a few MB mounted in a
// temporary folder (this needs root and a kernel that allows it; the test
// machine does), unmounted when the test file ends. `fill` leaves only so many
// bytes free, so the next writes fail with ENOSPC (SQLite: SQLITE_FULL).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

export interface SmallDisk {
  dir: string;
  /** Leaves about `freeBytes` free by writing a filler file; returns its path. */
  fill(freeBytes: number): string;
  freeBytes(): number;
}

export function mountSmallDisk(sizeBytes: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'loralab-small-disk-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot mount a tmpfs for the disk-full test (needs root): ${r.stderr.trim()}`);
  after(() => {
    spawnSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  const free = () => {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  };
  let n = 0;
  return {
    dir,
    freeBytes: free,
    fill(freeBytes) {
      const file = join(dir, `filler-${n++}`);
      writeFileSync(file, Buffer.alloc(Math.max(0, free() - freeBytes)));
      return file;
    },
  };
}
