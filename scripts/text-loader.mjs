// Lets node (tests, `npm run docs`) import the YAML templates under templates/ as text, as the
// esbuild bundle does with its `.yaml: text` loader: `import text from '../../templates/x.yaml'`.
import { register } from 'node:module';

register('./text-loader-hooks.mjs', import.meta.url);
