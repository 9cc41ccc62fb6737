//! A submitted response reaches a real FHIR server intact. The test starts
//! `tests/node/fhir-server.mjs` (Medplum's FHIR router over its in-memory repository, which
//! validates every resource against the R4 StructureDefinitions like a production server) on
//! a free localhost port, POSTs the exported PHQ-9 Questionnaire, lets a patient complete the
//! PHQ-9 in headless Chromium, takes `detail.fhir` of the `kap-submit` event, POSTs it, and
//! reads it back by id: every answer (as its LOINC coding) and the total must survive. The
//! same submission's native `detail.response` must conform to the response schema `dist/schema/`
//! serves (equal to the committed `schema/`), and its FHIR resource must pass
//! `tests/node/validate-fhir.mjs`; the server must refuse a broken copy. The server is killed
//! when the test ends, passed or failed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use kapforms_e2e::{open, run_js, wait_for, with_browser, Form, UPDATE_TIMEOUT};
use serde_json::{json, Value};

/// The PHQ-9 answers the patient clicks, item by item (total 16).
const ANSWERS: [(&str, &str); 9] = [
    ("phq9_1", "1"),
    ("phq9_2", "2"),
    ("phq9_3", "3"),
    ("phq9_4", "1"),
    ("phq9_5", "2"),
    ("phq9_6", "3"),
    ("phq9_7", "1"),
    ("phq9_8", "2"),
    ("phq9_9", "1"),
];

/// `tests/node`, where the npm packages are installed (`cargo xtask test tools`).
fn node_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("node")
}

/// The FHIR server child process, killed when dropped (also when the test panics).
struct FhirServer {
    child: Child,
    /// `127.0.0.1:<port>`.
    addr: String,
}

impl FhirServer {
    /// Starts `node fhir-server.mjs 0` and waits for the line naming the port it got.
    fn start() -> FhirServer {
        let mut child = Command::new("node")
            .arg("fhir-server.mjs")
            .arg("0")
            .current_dir(node_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node tests/node/fhir-server.mjs: {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .map(str::to_owned);
        let server = FhirServer {
            child,
            addr: addr.clone().unwrap_or_default(),
        };
        match (read, addr) {
            (Ok(_), Some(_)) => server,
            _ => panic!("the FHIR server did not say where it listens: {line:?}"),
        }
    }

    /// Sends one request to the server; see [`http`].
    fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Vec<(String, String)>, Value) {
        http(&self.addr, method, path, body)
    }
}

impl Drop for FhirServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends one HTTP/1.1 request to `addr` (`host:port`) and returns the status, the headers
/// (lower-cased names) and the body parsed as JSON.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> (u16, Vec<(String, String)>, Value) {
    let mut stream =
        TcpStream::connect(addr).unwrap_or_else(|e| panic!("cannot connect to {addr}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let payload = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/fhir+json\r\n\
         Content-Type: application/fhir+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    )
    .expect("request written");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("response read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(name, value)| name == "transfer-encoding" && value.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    let json = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("{method} {path}: the body is not JSON ({e}): {body}"));
    (status, headers, json)
}

/// The body of a `Transfer-Encoding: chunked` response.
fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// The answer items of a QuestionnaireResponse, at any depth, by linkId.
fn answer_items(items: &Value, found: &mut Vec<(String, Value)>) {
    for item in items.as_array().into_iter().flatten() {
        if let (Some(link), Some(answer)) = (item["linkId"].as_str(), item.get("answer")) {
            found.push((link.to_owned(), answer.clone()));
        }
        answer_items(&item["item"], found);
    }
}

/// Runs `tests/node/validate-fhir.mjs` on one resource; panics with its report if invalid.
fn validate_with_node(name: &str, resource: &Value) {
    let dir = std::env::temp_dir().join(format!("kapforms-e2e-fhir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{name}.json"));
    std::fs::write(&file, resource.to_string()).expect("written");
    let output = Command::new("node")
        .arg("validate-fhir.mjs")
        .arg(&file)
        .current_dir(node_dir())
        .output()
        .expect("node runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        output.status.success(),
        "{name} is not valid FHIR R4:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn a_submitted_phq9_survives_a_round_trip_through_a_fhir_server() {
    let server = Arc::new(FhirServer::start());
    let phq9 = kapforms_instruments::load("phq9")
        .expect("built in")
        .expect("valid");

    // The Questionnaire first, so the response's canonical names something on the server.
    let questionnaire = kapforms_core::fhir::questionnaire(&phq9);
    let (status, _, created) =
        server.request("POST", "/fhir/R4/Questionnaire", Some(&questionnaire));
    assert_eq!(status, 201, "POST Questionnaire: {created:#}");
    let id = created["id"].as_str().expect("an id").to_owned();
    let (status, _, read) = server.request("GET", &format!("/fhir/R4/Questionnaire/{id}"), None);
    assert_eq!(status, 200, "{read:#}");
    assert_eq!(read["url"], questionnaire["url"], "{read:#}");
    assert_eq!(
        read["item"], questionnaire["item"],
        "the items changed on the server"
    );

    let browser_server = server.clone();
    with_browser("fhir_server_round_trip", move |client| async move {
        let server = browser_server;
        open(&client, "index.html").await;
        let form = Form::new(&client, "#demo-form");
        form.wait_rendered().await;
        run_js(
            &client,
            "window.__kapSubmitted = null;\n\
             document.addEventListener('kap-submit', (e) => { window.__kapSubmitted = e.detail; });",
            vec![],
        )
        .await;
        form.answer_all(&ANSWERS).await;
        form.wait_total("16").await;
        form.submit().await;
        let detail = wait_for("the kap-submit detail", UPDATE_TIMEOUT, || async {
            match run_js(&client, "return window.__kapSubmitted;", vec![]).await {
                Value::Null => Err("no kap-submit yet".to_owned()),
                detail => Ok(detail),
            }
        })
        .await;

        // dist/ ships both JSON Schemas of the native format, as committed in schema/, and the
        // native response the browser produced conforms to the shipped response schema.
        let site = kapforms_e2e::site_url();
        let site_addr = site
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let mut schema = Value::Null;
        for name in ["definition.schema.json", "response.schema.json"] {
            let (status, _, shipped) = http(&site_addr, "GET", &format!("/dist/schema/{name}"), None);
            assert_eq!(status, 200, "dist/schema/{name} is not served");
            let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema").join(name);
            let committed: Value = serde_json::from_str(
                &std::fs::read_to_string(&committed_path).expect("the committed schema"),
            )
            .expect("schema is JSON");
            assert_eq!(shipped, committed, "dist/schema/{name} differs from schema/{name}");
            schema = shipped;
        }
        let validator = jsonschema::validator_for(&schema).expect("a valid schema");
        let errors: Vec<String> = validator
            .iter_errors(&detail["response"])
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "detail.response breaks the schema: {errors:?}");

        let fhir = detail["fhir"].clone();
        assert_eq!(fhir["resourceType"], "QuestionnaireResponse", "{fhir:#}");
        assert_eq!(fhir["status"], "completed", "{fhir:#}");
        validate_with_node("browser-phq9-response", &fhir);

        let (status, headers, created) =
            server.request("POST", "/fhir/R4/QuestionnaireResponse", Some(&fhir));
        assert_eq!(status, 201, "POST QuestionnaireResponse: {created:#}");
        let id = created["id"].as_str().expect("the server assigned an id").to_owned();
        assert!(
            headers
                .iter()
                .any(|(name, value)| name == "location" && value.contains(&id)),
            "no Location naming {id}: {headers:?}"
        );

        let (status, _, stored) =
            server.request("GET", &format!("/fhir/R4/QuestionnaireResponse/{id}"), None);
        assert_eq!(status, 200, "{stored:#}");
        assert_eq!(stored["id"], id.as_str());
        assert_eq!(stored["questionnaire"], fhir["questionnaire"], "{stored:#}");
        assert!(
            stored["questionnaire"]
                .as_str()
                .is_some_and(|canonical| canonical
                    == format!("{}|{}", questionnaire["url"].as_str().unwrap_or(""), phq9.version)),
            "the response does not name the posted Questionnaire's canonical|version: {stored:#}"
        );
        assert_eq!(stored["authored"], fhir["authored"], "{stored:#}");

        let mut answers = Vec::new();
        answer_items(&stored["item"], &mut answers);
        for (item, value) in ANSWERS {
            let definition = phq9.item(item).expect("a PHQ-9 item");
            let option = phq9
                .options_of(definition)
                .iter()
                .find(|option| option.value == value)
                .expect("an option");
            let code = option.code.as_ref().expect("PHQ-9 options have LOINC codes");
            let stored_answer = answers
                .iter()
                .find(|(link, _)| link == item)
                .map(|(_, answer)| answer)
                .unwrap_or_else(|| panic!("{item} is missing from the stored response: {stored:#}"));
            assert_eq!(
                stored_answer,
                &json!([{ "valueCoding": { "system": code.system, "code": code.code, "display": option.label } }]),
                "{item}"
            );
        }
        let total = answers
            .iter()
            .find(|(link, _)| link == "phq9_total")
            .map(|(_, answer)| answer.clone())
            .unwrap_or_else(|| panic!("no phq9_total item in {stored:#}"));
        assert_eq!(total, json!([{ "valueDecimal": 16 }]), "{stored:#}");
        // What was stored is what was sent, apart from the server's id and meta.
        let mut without_server_fields = stored.clone();
        if let Some(object) = without_server_fields.as_object_mut() {
            object.remove("id");
            object.remove("meta");
        }
        assert_eq!(without_server_fields, fhir, "the server changed the response");

        // The server judges what it is given: the same response with an item holding both an
        // answer and items (R4's qrs-1) is refused.
        let mut broken = fhir.clone();
        broken["item"][0]["item"][0]["item"] =
            json!([{ "linkId": "nested", "answer": [{ "valueString": "x" }] }]);
        let (status, _, outcome) =
            server.request("POST", "/fhir/R4/QuestionnaireResponse", Some(&broken));
        assert_eq!(status, 400, "an invalid response was accepted: {outcome:#}");
        assert_eq!(outcome["resourceType"], "OperationOutcome", "{outcome:#}");
    })
    .await;
    drop(server);
}
