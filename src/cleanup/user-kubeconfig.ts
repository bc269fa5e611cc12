// reset's kubeconfig step: init's closing message tells users to copy admin.conf to $HOME/.kube/config, and
// kubeadm's reset leaves that copy behind. Here the entries copied from this node's admin.conf (or
// super-admin.conf) — a cluster with this cluster's CA, named by a context whose user holds the same client
// certificate — are taken out of that file (and out of the sudo user's), everything else in it kept byte for
// byte; a file left holding nothing goes. An entry with other credentials (a worker being reset, another
// control-plane node's admin.conf) still works against the cluster and stays. Runs before the file step,
// which deletes the CA and the kubeconfigs.
import path from 'node:path';
import { parse, parseDocument } from 'yaml';
import { commandSucceeded } from '../host/exec-result.js';
import type { Host } from '../host/host.js';
import { parseCertificates } from '../pki/certificate.js';
import { certPath } from '../pki-files/pki-files.js';
import type { ResetContext } from '../phases/reset/context.js';
import {
  editKubeconfig, type Entry, isEmptyKubeconfig, isRecord, type KubeconfigValue, listOf, type ListKey, planRemoval,
} from './kubeconfig-edit.js';

export async function removeUserKubeconfigEntries(ctx: ResetContext): Promise<void> {
  const { host, out } = ctx;
  const caFile = certPath(ctx.cfg.reset.certificatesDir, 'ca');
  const ca = await certificatesIn(host, caFile);
  if (ca.length === 0) {
    out.detail(1, `[reset] No cluster CA at ${caFile}: no entry of a user's kubeconfig can be told to be this cluster's; none is touched`);
    return;
  }
  const credentials = await nodeCredentials(ctx);
  if (credentials.length === 0) {
    out.detail(1, `[reset] No admin kubeconfig on this node: no entry of a user's kubeconfig was copied from it; none is touched`);
    return;
  }
  for (const file of await userKubeconfigFiles(host)) await cleanKubeconfig(ctx, file, { ca, credentials });
}

/** The client certificates (DER) of this node's admin.conf and super-admin.conf. */
async function nodeCredentials(ctx: ResetContext): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const name of ['admin.conf', 'super-admin.conf']) {
    const text = await ctx.host.fs.readText(path.posix.join(ctx.options.kubeconfigDir, name)).catch(() => undefined);
    if (text === undefined) continue;
    let value: KubeconfigValue;
    try {
      value = parse(text) as KubeconfigValue;
    } catch {
      continue;
    }
    for (const u of listOf(value, 'users')) out.push(...clientCertificates(u));
  }
  return out;
}

/** The client certificate (DER) of a kubeconfig user entry with inline data; none otherwise. */
function clientCertificates(u: Entry): Buffer[] {
  const user = (u as { user?: unknown }).user;
  if (!isRecord(user) || typeof user['client-certificate-data'] !== 'string') return [];
  try {
    return parseCertificates(Buffer.from(user['client-certificate-data'], 'base64').toString('utf8')).slice(0, 1).map((c) => c.raw);
  } catch {
    return [];
  }
}

interface Ours {
  readonly ca: readonly Buffer[];
  readonly credentials: readonly Buffer[];
}

/** Contexts name the cluster, and every one of them with a user holding one of this node's admin credentials: a
 *  cluster entry also used with other credentials (another node's admin.conf) still works, and stays. */
function copiedFromThisNode(value: KubeconfigValue, clusterName: unknown, credentials: readonly Buffer[]): boolean {
  const users = listOf(value, 'users');
  const naming = listOf(value, 'contexts').filter((c) => isRecord(c.context) && c.context['cluster'] === clusterName);
  return naming.length > 0 && naming.every((c) => {
    const user = users.find((u) => u.name === (c.context as Record<string, unknown>)['user']);
    return user !== undefined && clientCertificates(user).some((der) => credentials.some((mine) => mine.equals(der)));
  });
}

/** $HOME/.kube/config, and under sudo the invoking user's (home from /etc/passwd), once each. */
export async function userKubeconfigFiles(host: Host): Promise<string[]> {
  const homes: string[] = [];
  const home = host.env.HOME;
  if (home !== undefined && home.startsWith('/')) homes.push(home);
  const sudoUser = host.env.SUDO_USER;
  if (sudoUser !== undefined && sudoUser !== '') {
    const passwd = await host.fs.readText('/etc/passwd').catch(() => undefined);
    const line = passwd?.split('\n').find((l) => l.split(':')[0] === sudoUser);
    const sudoHome = line?.split(':')[5];
    if (sudoHome !== undefined && sudoHome.startsWith('/')) homes.push(sudoHome);
  }
  return [...new Set(homes.map((h) => path.posix.join(h, '.kube/config')))];
}

async function cleanKubeconfig(ctx: ResetContext, file: string, ours: Ours): Promise<void> {
  const { host, out, report } = ctx;
  const info = await host.fs.stat(file);
  if (info === undefined || (info.kind !== 'file' && info.kind !== 'symlink')) return;
  // A link is read (to tell whether it holds our cluster) but never written through.
  const text = await host.fs.readText(file).catch(() => undefined);
  if (text === undefined) return;
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    out.detail(1, `[reset] ${file} is not valid YAML (${doc.errors[0]?.message ?? ''}); left as it is`);
    return;
  }
  const value = doc.toJS() as KubeconfigValue;
  const mine = new Set<number>();
  for (const [i, c] of listOf(value, 'clusters').entries()) {
    if (await isOurCluster(host, file, c, ours.ca) && copiedFromThisNode(value, c.name, ours.credentials)) mine.add(i);
  }
  if (mine.size === 0) return;
  const names = [...mine].map((i) => String(listOf(value, 'clusters')[i]?.name ?? ''));
  const fix = names.map((n) => `kubectl config delete-cluster ${n} --kubeconfig ${file}`).join('; ');
  if (info.kind === 'symlink') {
    report.left({ kind: 'kubeconfig', item: file, reason: 'it is a symbolic link, which reset does not follow', fix });
    return;
  }

  const removal = planRemoval(value, mine);
  const edited = editKubeconfig(text, doc, removal);
  const empty = isEmptyKubeconfig(parse(edited) as KubeconfigValue);
  const would = ctx.dryRun ? '[dryrun] Would remove' : '[reset] Removed';
  try {
    if (empty) await host.fs.remove(file);
    else if (!ctx.dryRun) { // a dry-run host would put the edited copy (with others' credentials) in its folder
      const problem = await writeKeepingOwner(host, file, edited, info.mode);
      if (problem !== undefined) out.warn(`[reset] WARNING: ${file} was rewritten, but ${problem}`);
    }
  } catch (err) {
    out.warn(`[reset] Failed to remove this cluster's entries from ${file}: ${(err as Error).message}`);
    report.left({ kind: 'kubeconfig', item: file, reason: `it could not be rewritten: ${(err as Error).message}`, fix });
    return;
  }
  const quoted = names.map((n) => `"${n}"`).join(', ');
  if (empty) {
    out.info(`${would} ${file}: it held only this cluster (${quoted})`);
    report.did('removed', file);
  } else {
    for (const n of names) out.info(`${would} the cluster "${n}" from ${file}`);
  }
  const dropped = (k: ListKey) => [...removal.remove[k]].map((i) => String(listOf(value, k)[i]?.name ?? ''));
  out.detail(1, `[reset] ${file}: contexts [${dropped('contexts').join(' ')}], users [${dropped('users').join(' ')}]` +
    (removal.clearCurrentContext ? ', current-context cleared' : ''));
  for (const n of names) report.did('kubeconfig-entry-removed', `${file}: ${n}`);
}

/** A cluster entry whose CA (inline data, or a file beside the kubeconfig) includes this cluster's CA. */
async function isOurCluster(host: Host, file: string, c: Entry, ca: readonly Buffer[]): Promise<boolean> {
  if (!isRecord(c.cluster)) return false;
  const data = c.cluster['certificate-authority-data'];
  if (typeof data === 'string') return includesCA(Buffer.from(data, 'base64').toString('utf8'), ca);
  const caPath = c.cluster['certificate-authority'];
  if (typeof caPath !== 'string' || caPath === '') return false;
  const certs = await certificatesIn(host, path.posix.resolve(path.posix.dirname(file), caPath));
  return certs.some((der) => ca.some((mine) => mine.equals(der)));
}

function includesCA(pem: string, ca: readonly Buffer[]): boolean {
  try {
    return parseCertificates(pem).some((c) => ca.some((mine) => mine.equals(c.raw)));
  } catch {
    return false;
  }
}

/** The DER of every certificate in a PEM file; none when it is absent or unreadable. */
async function certificatesIn(host: Host, file: string): Promise<Buffer[]> {
  try {
    const pem = await host.fs.readText(file);
    return pem === undefined ? [] : parseCertificates(pem).map((c) => c.raw);
  } catch {
    return [];
  }
}

/** An atomic write replaces the file with one owned by whoever runs reset (root): give it back to its owner
 *  (a sudo user's kubeconfig must stay readable by them). Skipped where stat(1) cannot run; a failed chown is
 *  returned as a sentence. */
async function writeKeepingOwner(host: Host, file: string, text: string, mode: number): Promise<string | undefined> {
  const before = await host.exec.run(['stat', '-c', '%u:%g', '--', host.fs.realPath(file)], { mutates: false, timeoutMs: 10_000 });
  const owner = commandSucceeded(before) ? before.stdout.trim() : '';
  await host.fs.write(file, text, { mode });
  if (!/^\d+:\d+$/.test(owner)) return undefined;
  const real = host.fs.realPath(file);
  const r = await host.exec.run(['chown', owner, '--', real], { mutates: true, timeoutMs: 10_000 });
  if (commandSucceeded(r)) return undefined;
  return `its owner could not be set back to ${owner} (${(r.stderr || r.spawnError || '').trim()}): run chown ${owner} ${real}`;
}
