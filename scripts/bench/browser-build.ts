/**
 * The element's script-tag build (packages/element/scripts/build-browser.mjs), typed for the benchmarks: the build
 * script is plain .mjs without typings, so what they use of it is typed here.
 */

export interface BuildOptions {
  entry: string;
  outDir: string;
  fileName?: string;
  sourcemap?: boolean;
  emptyOutDir?: boolean;
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
}

// A variable specifier, so that TypeScript does not look for the .mjs file's types.
const BUILD_SCRIPT = new URL('../../packages/element/scripts/build-browser.mjs', import.meta.url).href;

export const { buildBrowserModule, BROWSER_ENTRY, CHUNKS_DIR } = (await import(BUILD_SCRIPT)) as {
  /** Builds `entry` as the script-tag file is built; answers the file's path (chunks in `outDir/CHUNKS_DIR`). */
  buildBrowserModule(options: BuildOptions): Promise<string>;
  /** The element's entry for the script-tag file. */
  BROWSER_ENTRY: string;
  CHUNKS_DIR: string;
};
