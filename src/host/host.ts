// The host seam: the only door from tskubeadm's logic to the machine it runs on.
// Phases and checks get a Host from their context and never import node:fs,
// node:child_process or node:net themselves. Implementations:
//   realHost()                 the machine itself
//   rootfsHost(root, inner)    every absolute file path lives under `root` (--rootfs, tests)
//   dryRunHost(inner, dir)     reads fall through, writes land under `dir`, mutations are recorded
//   test/helpers/fake-host.ts  fake process table, /proc, /sys, ports for unit tests
// Import the factories from ./index.js.

/** What lstat says about a path; undefined from `stat` means "does not exist". */
export interface FileInfo {
  readonly kind: 'file' | 'directory' | 'symlink' | 'other';
  /** Permission bits only, e.g. 0o600. */
  readonly mode: number;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface FileWrite {
  readonly path: string;
  readonly data: string | Uint8Array;
  readonly mode: number;
}

export interface WriteOptions {
  /** Permission bits of the file; kubeadm uses 0o600 for keys, kubeconfigs and manifests, 0o644 for certificates. */
  readonly mode: number;
}

/** Files of the host's filesystem. Every path is absolute, as the host sees it (`/etc/kubernetes/...`); a relative
 *  path is taken from the process's cwd (realHost, dryRunHost) or from `/` (rootfsHost, as kubeadm's chroot does).
 *  Errors carry Node's errno `code` (EISDIR, ENOTDIR, EEXIST…) on every implementation, fakes included. */
export interface HostFs {
  /** The file's bytes, or undefined when it does not exist. Throws on other errors (EACCES, EISDIR). */
  read(path: string): Promise<Buffer | undefined>;
  /** The file's text (UTF-8), or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** lstat: symlinks are reported, never followed. */
  stat(path: string): Promise<FileInfo | undefined>;
  /** Names in a directory, sorted; undefined when it does not exist. */
  list(path: string): Promise<string[] | undefined>;
  /** Atomic write: temp file in the same directory, fsync, rename. Parent directories are created (0o755). */
  write(path: string, data: string | Uint8Array, opts: WriteOptions): Promise<void>;
  /** Several files as one change, as far as a filesystem allows: each is written and synced under a temporary
   *  name first, every target is checked, and only then are they renamed into place, in list order. A failure
   *  before the renames leaves nothing behind; a crash during them, at most the first files of the list
   *  (list a key before its certificate, and the certificate is never on disk without it). */
  writeAll(files: readonly FileWrite[]): Promise<void>;
  /** Creates a new file, failing over nothing: false (and no change) when something already exists at `path`,
   *  a symlink included (O_CREAT|O_EXCL|O_NOFOLLOW, the file is never followed). Parent directories are created
   *  (0o755). The building block of the host lock: two processes can never both get true. Recorded as a write. */
  createExclusive(path: string, data: string | Uint8Array, opts: WriteOptions): Promise<boolean>;
  /** mkdir -p; the mode applies to the directories it creates. */
  mkdir(path: string, opts: WriteOptions): Promise<void>;
  /** rm -rf of one path; never follows a symlink out of it. No error when absent. */
  remove(path: string): Promise<void>;
  /** Where the path really is on this machine (the rootfs or dry-run mapping), for messages. */
  realPath(path: string): string;
}

export interface ExecOptions {
  /** True when the command changes the host (systemctl restart, crictl rm…): dry-run records it instead of running it. */
  readonly mutates: boolean;
  readonly timeoutMs?: number;
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not be started at all (ENOENT, EACCES); exitCode is then 127 or 126. */
  readonly spawnError?: string;
  /** Set when the program was killed for exceeding timeoutMs; exitCode is then 124 (as timeout(1)). */
  readonly timedOut?: true;
}

/** Processes. Arguments are arrays, never shell strings. */
export interface HostExec {
  run(argv: readonly string[], opts: ExecOptions): Promise<ExecResult>;
  /** Absolute path of an executable found on PATH, or undefined. */
  which(name: string): Promise<string | undefined>;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

export interface HttpGetOptions {
  readonly timeoutMs: number;
  /** PEM CA bundle to trust instead of the system's. */
  readonly ca?: string;
  /** PEM client certificate and key, for servers that require mutual TLS (external etcd). */
  readonly cert?: string;
  readonly key?: string;
  /** Skip server verification (only for probes whose answer is not trusted). */
  readonly insecure?: boolean;
  readonly signal?: AbortSignal;
}

/** A request with a body (the etcd v3 JSON API): the GET options plus the method and the body. */
export interface HttpRequestOptions extends HttpGetOptions {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly body?: string;
  /** Content-Type of the body; application/json when a body is given without one. */
  readonly contentType?: string;
}
/** Sockets. */
export interface HostNet {
  /** Whether a TCP listener could bind this port (on all addresses, as kubeadm's `listen tcp :<port>`). */
  canListen(port: number): Promise<boolean>;
  httpGet(url: string, opts: HttpGetOptions): Promise<HttpResponse>;
  /** Any method, with a body; the answer whatever its status (as httpGet). Not recorded by dry-run: a caller
   *  that changes something remotely decides itself not to send under --dry-run. */
  httpRequest(url: string, opts: HttpRequestOptions): Promise<HttpResponse>;
  /** DNS/hosts lookup; an empty list when the name does not resolve. */
  lookup(hostname: string): Promise<string[]>;
  /** The host's addresses per interface, as os.networkInterfaces(). */
  interfaces(): Promise<readonly NetworkInterface[]>;
  /** The interface of the default route per family, from /proc/net/route and /proc/net/ipv6_route. */
  defaultRouteInterface(family: 4 | 6): Promise<string | undefined>;
  /** Connects to a unix socket and hangs up at once: does something accept connections there? Like
   *  processes, sockets are the running machine's, also under --rootfs. */
  connectUnix(path: string, timeoutMs: number): Promise<UnixConnectResult>;
}

/** `code` is the errno of the failed connect (ENOENT, ECONNREFUSED, EACCES…), or ETIMEDOUT. */
export type UnixConnectResult = { readonly ok: true } | { readonly ok: false; readonly code: string };

export interface NetworkInterface {
  readonly name: string;
  readonly address: string;
  readonly family: 4 | 6;
  readonly internal: boolean;
  /** CIDR prefix length. */
  readonly prefix: number;
}

/** Facts about the running kernel and process. /proc and /sys describe the running kernel, not the disk
 *  image, so they are read here and not through HostFs: under --rootfs they still come from the real kernel. */
export interface HostSystem {
  /** Contents of a /proc or /sys file, or undefined when absent. */
  readKernelFile(path: string): Promise<string | undefined>;
  /** Directory listing under /proc or /sys, or undefined when absent. */
  listKernelDir(path: string): Promise<string[] | undefined>;
  /** uname -r */
  kernelRelease(): string;
  /** uname -s, e.g. "Linux". */
  osType(): string;
  hostname(): string;
  /** Effective user id; -1 where the platform has none. */
  euid(): number;
  cpuCount(): number;
  /** Total memory in bytes. */
  totalMemoryBytes(): number;
  /** Whether a process with this PID exists (kill(pid, 0): EPERM still means alive). Like sockets, processes are
   *  the running machine's, also under --rootfs. */
  processAlive(pid: number): boolean;
  /** This tskubeadm process: its PID and its command line as typed (`tskubeadm init --config x`). */
  self(): ProcessIdentity;
}

export interface ProcessIdentity {
  readonly pid: number;
  readonly argv: readonly string[];
}

export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** One change a host made (or, under --dry-run, would have made). The reset journal and
 *  resumable runs are built on this record. */
export type Mutation =
  | {
      readonly action: 'write';
      readonly path: string;
      readonly mode: number;
      readonly previous: PreviousState;
      readonly bytes: number;
      /** SHA-256 (hex) of the bytes written, where the host computes it (the real filesystem): the journal's record
       *  of what tskubeadm left there. */
      readonly sha256?: string;
      /** Parent directories this write created (0o755), outermost first; absent when none. */
      readonly createdDirs?: readonly string[];
    }
  | { readonly action: 'mkdir'; readonly path: string; readonly mode: number; readonly created: readonly string[] }
  | { readonly action: 'remove'; readonly path: string; readonly previous: PreviousState }
  | { readonly action: 'exec'; readonly argv: readonly string[] };

/** What was at a path before a mutation replaced or removed it. */
export type PreviousState =
  | { readonly existed: false }
  | { readonly existed: true; readonly kind: FileInfo['kind']; readonly mode: number; readonly content?: Buffer };

export interface Host {
  readonly fs: HostFs;
  readonly exec: HostExec;
  readonly net: HostNet;
  readonly system: HostSystem;
  readonly clock: Clock;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Every mutation made through this host, in order. */
  readonly mutations: readonly Mutation[];
  /** True for a dry-run host: nothing on the real host changes. */
  readonly dryRun: boolean;
}
