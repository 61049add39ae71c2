// For web-test-runner (Node side): React and ReactDOM as ES modules. Both ship as CommonJS only, which the test
// runner's node-resolve cannot serve, so esbuild bundles them once, on first use, into one set of modules with a
// shared chunk (a single copy of React, as hooks need) under /__react/. `import { createRoot } from 'react-dom/client'`
// and `import * as React from 'react'` work as in an app.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const PREFIX = '/__react/';
/** The specifiers served, and the file each one is bundled to. */
const MODULES = { react: 'react', 'react/jsx-runtime': 'react-jsx-runtime', 'react-dom': 'react-dom', 'react-dom/client': 'react-dom-client' };
const resolveDir = fileURLToPath(new URL('.', import.meta.url));

/** The names each module exports, read in a Node of its own (React's dev build trips over the runner's console). */
const exportedNames = () => {
  const script = `console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(Object.keys(MODULES))}.map((s) => [s, Object.keys(require(s))]))))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: resolveDir, encoding: 'utf8' }));
};

/** A CommonJS module's exports as ES named exports (esbuild alone would give only `default`). */
const entrySource = (specifier, names) => {
  const named = names.filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
  return `import m from ${JSON.stringify(specifier)};\nexport default m;\nexport const { ${named.join(', ')} } = m;\n`;
};

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function reactModules() {
  /** @type {Promise<Map<string, string>> | undefined} path under PREFIX → code */
  let bundled;
  const bundle = () =>
    (bundled ??= Promise.resolve()
      .then(exportedNames)
      .then((names) => esbuild.build({
        entryPoints: Object.fromEntries(Object.entries(MODULES).map(([specifier, file]) => [file, `entry:${specifier}`])),
        bundle: true,
        splitting: true,
        format: 'esm',
        target: 'es2022',
        write: false,
        outdir: '/react-out',
        define: { 'process.env.NODE_ENV': '"development"' },
        logLevel: 'silent',
        plugins: [
          {
            name: 'react-entries',
            setup(build) {
              build.onResolve({ filter: /^entry:/ }, (args) => ({ path: args.path.slice('entry:'.length), namespace: 'entry' }));
              build.onLoad({ filter: /.*/, namespace: 'entry' }, (args) => ({ contents: entrySource(args.path, names[args.path]), resolveDir, loader: 'js' }));
            },
          },
        ],
      }))
      .then(({ outputFiles }) => new Map(outputFiles.map((file) => [file.path.slice('/react-out/'.length), file.text]))));

  return {
    name: 'react-modules',
    resolveImport({ source }) {
      const file = MODULES[source];
      if (file) return `${PREFIX}${file}.js`;
    },
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return;
      const body = (await bundle()).get(context.path.slice(PREFIX.length));
      return body === undefined ? undefined : { body, type: 'js' };
    },
  };
}
