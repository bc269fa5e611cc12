// init's certs phase: one sub-phase per certificate of pki/certificates.ts, in table order
// (each CA before what it signs), then the service-account key pair.
// kubeadm: cmd/phases/init/certs.go.
import { certProfiles, serviceAccountKey, type CertProfile } from '../../../pki/certificates.js';
import { ensureCA, ensureLeaf, ensureServiceAccountKey, isNeeded } from '../../pki-files/ensure-certs.js';
import { certificateInputs } from '../../resume/inputs.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';
import { pkiRun, reserveRunKeys } from './pki-run.js';

const commonFlags = ['cert-dir', 'config', 'kubernetes-version', 'dry-run'];
const sanFlags = ['apiserver-advertise-address', 'control-plane-endpoint', 'apiserver-cert-extra-sans', 'service-dns-domain', 'service-cidr'];

function certPhase(p: CertProfile): Phase<InitContext> {
  const files = `${p.baseName}.crt and ${p.baseName}.key`;
  return {
    name: p.name,
    short: `Generate the ${p.longName}`,
    long: `Generate the ${p.longName}, and save it as ${files} under the certificates directory. ` +
      'An existing pair is reused when it is signed by its CA, its key matches and it carries the SANs the configuration asks for ' +
      '(an expired one is reused with a warning: renew it with "tskubeadm certs renew"); otherwise the phase stops and says why, overwriting nothing.',
    flags: p.name === 'apiserver' ? [...commonFlags, ...sanFlags] : commonFlags,
    // A re-run keeps a pair an earlier run made for the same inputs; new SANs re-issue a leaf, never a CA.
    resume: { inputs: (ctx) => certificateInputs(p, ctx.cfg), replaceOnChange: p.ca !== undefined },
    run: async (ctx) => {
      if (!isNeeded(p, ctx.cfg.cluster)) {
        ctx.out.info(`[certs] External etcd mode: Skipping ${p.baseName} ${p.ca === undefined ? 'certificate authority' : 'certificate'} generation`);
        return;
      }
      await reserveRunKeys(ctx);
      if (p.ca === undefined) await ensureCA(pkiRun(ctx), p);
      else await ensureLeaf(pkiRun(ctx), p);
    },
  };
}

const saPhase: Phase<InitContext> = {
  name: serviceAccountKey.name,
  short: 'Generate a private key for signing service account tokens along with its public key',
  long: `Generate the private key that signs service account tokens and its public key, as ${serviceAccountKey.privateKeyFile} and ` +
    `${serviceAccountKey.publicKeyFile} under the certificates directory. An existing key is reused.`,
  flags: ['cert-dir', 'dry-run'],
  resume: {
    inputs: (ctx) => ({ certificatesDir: ctx.cfg.cluster.certificatesDir, algorithm: ctx.cfg.cluster.encryptionAlgorithm }),
    replaceOnChange: false,
  },
  run: async (ctx) => {
    await reserveRunKeys(ctx);
    await ensureServiceAccountKey(pkiRun(ctx));
  },
};

export const certs: Phase<InitContext> = {
  name: 'certs',
  short: 'Certificate generation',
  long: 'Generate the cluster CA, the front-proxy and etcd CAs, every certificate the control plane uses and the service-account key pair.',
  phases: [
    { name: 'all', short: 'Generate all certificates', selectsParent: true },
    ...certProfiles.map(certPhase),
    saPhase,
  ],
  run: async (ctx) => {
    const dir = ctx.cfg.cluster.certificatesDir;
    ctx.out.info(`[certs] Using certificateDir folder "${ctx.writtenTo(dir)}"`);
    await reserveRunKeys(ctx);
  },
};
