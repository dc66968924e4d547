/** A post that cannot be published: the message says what is wrong and what to do. */
export class PostError extends Error {
  /** 1-based line in the post file, when known. */
  readonly line: number | undefined;
  constructor(message: string, line?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "PostError";
    this.line = line;
  }
}
