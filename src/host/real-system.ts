// The running kernel and process. /proc and /sys are always the real ones, even under --rootfs.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import type { HostSystem } from './host.js';
import { hostPath } from './host-path.js';
import { isAbsent } from './node-fs.js';

export function realSystem(): HostSystem {
  return {
    async readKernelFile(p) {
      try {
        return await fsp.readFile(hostPath(p), 'utf8');
      } catch (e) {
        if (isAbsent(e)) return undefined;
        throw e;
      }
    },
    async listKernelDir(p) {
      try {
        return (await fsp.readdir(hostPath(p))).sort();
      } catch (e) {
        if (isAbsent(e)) return undefined;
        throw e;
      }
    },
    kernelRelease: () => os.release(),
    osType: () => os.type(),
    hostname: () => os.hostname(),
    euid: () => process.geteuid?.() ?? -1,
    cpuCount: () => os.availableParallelism(),
    totalMemoryBytes: () => os.totalmem(),
    processAlive,
    // argv[0] and [1] are node and the script (a single executable repeats its own path there): what follows is
    // what the user typed after the command's name.
    self: () => ({ pid: process.pid, argv: ['tskubeadm', ...process.argv.slice(2)] }),
  };
}

/** kill(pid, 0) sends nothing: ESRCH means no such process, EPERM one we may not signal (so it exists). */
function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
