// The image-pull step that ends init's preflight and join --control-plane's second pass
// (kubeadm: RunPullImagesCheck after the node checks, in both cmd/phases/init and join).
import { runCheckSet, type RunChecksOptions } from '../preflight/runner.js';

/** Pulls the target's images (or says why not), with the options the node checks ran with. */
export async function pullImages(checks: RunChecksOptions): Promise<void> {
  const { out, target } = checks;
  if (target.dryRun) {
    out.info("[preflight] Would pull the required images (like 'tskubeadm config images pull')");
    return;
  }
  // kubeadm prints the "Pulling images" lines and then pulls nothing; say what happens instead.
  if (target.imagePull?.policy === 'Never') {
    out.info('[preflight] Not pulling images: nodeRegistration.imagePullPolicy is Never');
    return;
  }
  out.info('[preflight] Pulling images required for setting up a Kubernetes cluster');
  out.info('[preflight] This might take a minute or two, depending on the speed of your internet connection');
  out.info("[preflight] You can also perform this action beforehand using 'tskubeadm config images pull'");
  await runCheckSet('image-pull', checks);
}
