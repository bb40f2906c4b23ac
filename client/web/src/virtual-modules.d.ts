/** The modules the build makes (vite.config.ts plugins), not files on disk. */
declare module 'virtual:emoji-catalogue' {
  const catalogue: ReadonlyArray<import('./state/emoji.ts').CatalogueEntry>;
  export default catalogue;
}
