// Name resolution, proxies and the firewall. kubeadm: preflight/checks.go (HostnameCheck,
// HTTPProxyCheck, HTTPProxyCIDRCheck, FirewalldCheck).
import { initSystemOf, noInitSystem } from './init-system.js';
import { failure, pass, warning, withFix, type CheckContext, type CheckResult } from '../check.js';
import { dns1123SubdomainErrors } from '../../config/host-port.js';
import { formatIP, indexedIP, parseCIDR, parseIP } from '../../config/ip.js';
import { proxyFor } from '../proxy-env.js';
import { timeouts } from '../constants.js';

/**
 * The node name must be a valid Node name and resolve. kubeadm checks the looser "qualified name"
 * rule; we check the rule the API server applies to Nodes (RFC 1123), which is the one that matters.
 */
export async function hostname({ host, target }: CheckContext): Promise<CheckResult> {
  const name = target.nodeName;
  const warnings = dns1123SubdomainErrors(name).map(
    (msg) => withFix(`invalid node name format "${name}": ${msg}`, 'set nodeRegistration.name (or --node-name) to a lower-case DNS name'),
  );
  let addresses: string[] = [];
  let lookupError: string | undefined;
  try {
    addresses = await host.net.lookup(name);
  } catch (e) {
    lookupError = (e as Error).message;
  }
  if (addresses.length === 0) {
    const ip = target.controlPlane?.advertiseAddress ?? '<this node\'s IP>';
    warnings.push(withFix(`hostname "${name}" could not be reached`, `add "${ip} ${name}" to /etc/hosts, or make DNS resolve it`));
    if (lookupError !== undefined) warnings.push(`hostname "${name}": ${lookupError}`);
  }
  return { warnings, errors: [] };
}

/** Would an HTTPS request to the host go through a proxy? (init: the advertise address; join: the discovery endpoint) */
export function httpProxy(hostOf: (ctx: CheckContext) => string | undefined): (ctx: CheckContext) => Promise<CheckResult> {
  return async (ctx) => {
    const h = hostOf(ctx);
    if (h === undefined || h === '') return pass;
    // kubeadm gives an IPv6 address a dummy port so that it makes a valid URL.
    const v6 = parseIP(h)?.family === 6;
    const url = v6 ? `https://[${h}]:1234` : `https://${h}`;
    const proxy = proxyFor(ctx.host.env, 'https', h, v6 ? 1234 : undefined);
    if (proxy === undefined) return pass;
    return warning(
      `Connection to "${url}" uses proxy "${proxy}". If that is not intended, adjust your proxy settings`,
      `add ${h} to NO_PROXY (and no_proxy)`,
    );
  };
}

/** Would the API server reach the first address of a Service or Pod CIDR through a proxy? */
export function httpProxyCIDR(cidrOf: (ctx: CheckContext) => string | undefined): (ctx: CheckContext) => Promise<CheckResult> {
  return async (ctx) => {
    const cidr = cidrOf(ctx);
    if (cidr === undefined || cidr === '') return pass;
    const parsed = parseCIDR(cidr);
    if (parsed === undefined) {
      return failure(`error parsing CIDR "${cidr}": invalid CIDR address: ${cidr}`, 'fix networking.serviceSubnet / networking.podSubnet');
    }
    const first = indexedIP(parsed, 1);
    if (first === undefined) return failure(`unable to get first IP address from the given CIDR (${cidr})`, 'use a larger subnet');
    const proxy = proxyFor(ctx.host.env, 'https', formatIP(first), 1234);
    if (proxy === undefined) return pass;
    return warning(
      `connection to "${cidr}" uses proxy "${proxy}". This may lead to malfunctional cluster setup. ` +
        'Make sure that Pod and Services IP ranges specified correctly as exceptions in proxy configuration',
      `add ${cidr} to NO_PROXY (and no_proxy)`,
    );
  };
}

/** An active firewalld drops the cluster's traffic unless its ports were opened. */
export function firewalld(portsOf: (ctx: CheckContext) => readonly number[]): (ctx: CheckContext) => Promise<CheckResult> {
  return async (ctx) => {
    const { host } = ctx;
    let active: boolean;
    const init = await initSystemOf(host);
    if (init === 'systemd') {
      const r = await host.exec.run(['systemctl', 'is-active', 'firewalld'], { mutates: false, timeoutMs: timeouts.exec });
      const state = r.stdout.trim();
      active = state === 'active' || state === 'activating';
    } else if (init === 'openrc') {
      const r = await host.exec.run(['rc-service', 'firewalld', 'status'], { mutates: false, timeoutMs: timeouts.exec });
      const out = `${r.stdout}${r.stderr}`;
      active = !out.includes('does not exist') && !out.includes('stopped');
    } else {
      return warning(noInitSystem);
    }
    if (!active) return pass;
    const ports = portsOf(ctx);
    return warning(
      `firewalld is active, please ensure ports [${ports.join(' ')}] are open or your cluster may not function correctly`,
      `e.g. firewall-cmd --permanent ${ports.map((p) => `--add-port=${p}/tcp`).join(' ')} && firewall-cmd --reload`,
    );
  };
}
