// The name a write is staged under before it is renamed into place (atomic-write.ts), and the reading of it back
// (src/resume/staged-files.ts removes what a killed writer left): one definition of the format for both sides.
// A leading dot: the kubelet ignores hidden files in its static pod directory.

/** `.<name>.<pid>.<12 hex>.tmp` beside the target. */
export function stagedName(target: string, pid: number, nonceHex: string): string {
  return `.${target}.${pid}.${nonceHex}.tmp`;
}

const staged = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** The PID of the process that staged a file of this name; undefined when the name is not a staged one. */
export function stagedWriterPid(name: string): number | undefined {
  const m = staged.exec(name);
  return m === null ? undefined : Number(m[1]);
}
