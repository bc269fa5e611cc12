// SHA-256 as lowercase hex: how the host records what it wrote, the journal names and checks its blobs, the resume
// record checks its files, and the lock names a takeover guard. One definition, so the same bytes always compare.
import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
