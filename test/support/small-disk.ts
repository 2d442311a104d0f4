// Real full disks for durability tests (root only; otherwise the reason to skip).
// - `tmpfs`: writes fail with ENOSPC once it is full (a short write first, then the error).
// - `thin`: ext4 on a loop device whose backing file lives on a small tmpfs, like a thin-provisioned
//   volume: writes succeed into the page cache, and it is writeback, so fdatasync, that fails when
//   the backing is full. Linux then marks the failed pages clean: a later fdatasync succeeds without
//   writing them, and after a remount they are gone.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  /** Where to put files under test. */
  dir: string;
  /** Takes every free block of the backing tmpfs. */
  fill(): void;
  /** Gives the space back. */
  free(): void;
  /** Unmounts and mounts the filesystem again: what is left is what reached the disk. */
  remount(): void;
  dispose(): void;
}

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Why these tests cannot run here, or null when they can. */
export function cannotMount(): string | null {
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root';
  const probe = mkdtempSync(join(tmpdir(), 'panecrew-mount-probe-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
    run('umount', [probe]);
    return null;
  } catch (err) {
    return `mount -t tmpfs is not permitted here: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

export function cannotLoopMount(): string | null {
  const why = cannotMount();
  if (why) return why;
  try {
    run('losetup', ['-f']);
    run('mkfs.ext4', ['-V']);
    return null;
  } catch (err) {
    return `no free loop device or no mkfs.ext4: ${(err as Error).message.split('\n')[0]}`;
  }
}

function filler(backing: string) {
  const file = join(backing, 'filler');
  return {
    fill(): void {
      const fd = openSync(file, 'a');
      const chunk = Buffer.alloc(4096);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
    },
    free: () => rmSync(file, { force: true }),
  };
}

export function mountTmpfs(sizeKb = 64): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-tmpfs-'));
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir]);
  const space = filler(dir);
  return {
    dir,
    ...space,
    remount: () => {
      throw new Error('a tmpfs forgets everything when unmounted');
    },
    dispose: () => {
      run('umount', ['-l', dir]); // lazy: a test that failed may still hold a file open in it
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function mountThinDisk(): SmallDisk {
  const root = mkdtempSync(join(tmpdir(), 'panecrew-thin-'));
  const backing = join(root, 'backing');
  const dir = join(root, 'disk');
  mkdirSync(backing);
  mkdirSync(dir);
  run('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', backing]);
  const image = join(backing, 'image');
  run('truncate', ['-s', '8M', image]);
  // No ext4 journal: its failed commits would turn the filesystem read-only, which is another test.
  run('mkfs.ext4', ['-q', '-O', '^has_journal', '-b', '1024', image]);
  const loop = run('losetup', ['-f', '--show', image]);
  const mount = () => run('mount', ['-o', 'errors=continue', loop, dir]);
  mount();
  return {
    dir,
    ...filler(backing),
    remount: () => {
      run('umount', [dir]);
      mount();
    },
    dispose: () => {
      // Lazy: a test that failed may still hold a file open; the loop device then goes when it closes.
      run('umount', ['-l', dir]);
      run('losetup', ['-d', loop]);
      run('umount', ['-l', backing]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
