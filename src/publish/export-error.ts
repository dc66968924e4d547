/** Why `feedwright build --out DIR` cannot export into DIR; the message says what to do. */
export class StaticExportError extends Error {}
