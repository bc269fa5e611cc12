// The YAML templates under templates/ are imported as text: esbuild's `text` loader in the
// bundle, scripts/text-loader.mjs under node (tests, docs).
declare module '*.yaml' {
  const text: string;
  export default text;
}
