/** The engine's worker script as text (web/build.js bundles web/engine/worker.ts and hands it to the page this way). */
declare module 'derivcheck:engine' {
  const source: string;
  export default source;
}
