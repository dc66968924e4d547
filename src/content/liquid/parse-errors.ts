// The error for a template Liquid rejects, shared by the modules that find one.

/** A template Liquid rejects, with the line (in the template's own lines) where it does. */
export class TemplateSyntaxError extends Error {
  readonly line: number | undefined;

  constructor(message: string, line: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.name = "TemplateSyntaxError";
    this.line = line;
  }
}
