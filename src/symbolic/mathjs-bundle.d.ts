/** mathjs's single-file bundle (see mathjs.ts) has the API of its main entry, whose types it does not declare. */
declare module 'mathjs/lib/browser/math.js' {
  const mathjs: typeof import('mathjs');
  export default mathjs;
}
