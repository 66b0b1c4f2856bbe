/** The colour functions of Designsystemet's own CLI package (ESM only), loaded once. */
// The types resolve as for an `import`: the package's exports offer no `require` entry.
export type ColorTools = typeof import('@digdir/designsystemet/color', {
  with: { 'resolution-mode': 'import' },
});

let loading: Promise<ColorTools> | undefined;

/**
 * Loads `@digdir/designsystemet/color`. The package ships only ES modules and this build is
 * CommonJS, so it comes in through `import()`, which `module: nodenext` keeps as it is.
 */
export function loadColorTools(): Promise<ColorTools> {
  loading ??= import('@digdir/designsystemet/color');
  return loading;
}
