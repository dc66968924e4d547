// JSON Feed 1.1 validation with the npm jsonfeed-schema package's schema and ajv (with formats),
// independent of Feedwright's own types.
import { createRequire } from "node:module";
import { Ajv, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";

const require = createRequire(import.meta.url);
const schema = require("jsonfeed-schema/schema-v1.1.json") as object;
// ajv-formats is CommonJS with a default export; under NodeNext its type is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The schema errors of a parsed JSON document (empty when valid). */
export function jsonFeedSchemaErrors(document: unknown): ErrorObject[] {
  return validate(document) ? [] : [...(validate.errors ?? [])];
}
