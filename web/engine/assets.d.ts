/** Files esbuild bundles as data (web/build.js): a .wasm module as its bytes. */
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}
