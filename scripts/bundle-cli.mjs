// The CLI as one bundle (issue 16): Node loads ~100 ESM files for zod and ~130 for execa one by one, and
// that, not our code, was most of a verb's start-up. Verbs stay lazy (one chunk per dynamic import).
// Each module's import.meta.url is its tsc output file, so paths to the runner, layouts, etc. still hold.
// Whitespace and comments (licences kept) are left out: V8 keeps every loaded module's source in the
// heap, and an idle controller held ~1.3 MB of it (RSS 61.0 -> 59.7 MB). Names are not mangled, so
// stack traces still name functions; the source maps give the lines.
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { build, RolldownMagicString } from 'rolldown';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(ROOT, 'dist/bundle');
const SRC = resolve(ROOT, 'src') + sep;
const BARE = /^[@a-z]/;
const BUNDLED = /^(zod|execa|yaml)(\/|$)/;

/** The tsc output file of a source module, relative to the bundle directory. */
function distFile(id) {
  const rel = relative(resolve(ROOT, 'src'), id).replace(/\.ts$/, '.js');
  return relative(OUT, resolve(ROOT, 'dist', rel)).split(sep).join('/');
}

rmSync(OUT, { recursive: true, force: true }); // no chunk of an earlier build lingers
await build({
  input: { cli: resolve(ROOT, 'src/cli/main.ts') },
  platform: 'node',
  // zod, execa and yaml are bundled (they are the hundreds of files); the other packages load as installed
  // (blessed, the SDKs, chokidar: only the verbs that use them import them).
  external: (id, importer) => /^node:/.test(id) || (BARE.test(id) && !BUNDLED.test(id) && (importer ?? '').startsWith(SRC)),
  logLevel: 'warn',
  plugins: [{
    name: 'import-meta-url-of-dist-file',
    transform(code, id) {
      if (!id.startsWith(SRC) || !code.includes('import.meta.url')) return null;
      // A magic string, so that the source map follows the edit.
      return { code: new RolldownMagicString(code).replaceAll('import.meta.url', `new URL(${JSON.stringify(distFile(id))}, import.meta.url).href`) };
    },
  }],
  output: { dir: OUT, format: 'esm', sourcemap: true, minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } }, comments: { legal: true, annotation: false, jsdoc: false }, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});
// dist/cli/main.js stays the entry (the bin, the tests and the controller's spawn use it).
rmSync(resolve(ROOT, 'dist/cli/main.js.map'), { force: true }); // tsc's, for the file replaced here
writeFileSync(resolve(ROOT, 'dist/cli/main.js'), "#!/usr/bin/env node\nimport '../bundle/cli.js';\n");
chmodSync(resolve(ROOT, 'dist/cli/main.js'), 0o755);
