/**
 * Code a build loads only when a page it makes needs it (Markdown prose:
 * unified; the rules' examples: the parsers), not to load it in a rebuild
 * that makes no such page (a tenth of a second and more of module loading).
 */

/** Thrown by making a page that needs such code before it is loaded: the build loads it and makes the page again (build.ts). */
export class NotLoadedYet extends Error {}
