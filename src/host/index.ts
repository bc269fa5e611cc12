// The host seam's public face: other code imports hosts from here, never from the files behind it.
export type * from './host.js';
export { realHost } from './real-host.js';
export type { RealHostOptions } from './real-host.js';
export { rootfsHost } from './rootfs-host.js';
export { dryRunHost, dryRunPath } from './dry-run-host.js';
export type { DryRunHostOptions } from './dry-run-host.js';
export { describeMutation } from './mutation-text.js';
export { hostPath } from './host-path.js';
export { parseIpv4DefaultRoute, parseIpv6DefaultRoute } from './route-table.js';
