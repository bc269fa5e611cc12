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
  };
}
