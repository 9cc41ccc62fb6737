//! Which patient bundle a page loads: a built-in as shipped needs only `kapforms_form` (no
//! validator, no definition serializer); a clinic's own definition, or a built-in reworded by
//! a text pack, loads `kapforms_form_custom`, which validates and hashes it. Each form works
//! and reports the content hash of what it shows.

use kapforms_e2e::{import_loader_and_add_forms, open, run_js, with_browser, Form, RENDER_TIMEOUT};
use serde_json::{json, Value};

/// The WebAssembly modules the page has fetched, by file name.
async fn modules_fetched(client: &fantoccini::Client) -> Vec<String> {
    let fetched = run_js(
        client,
        "return [...new Set(performance.getEntriesByType('resource')\n\
           .map((e) => new URL(e.name).pathname.split('/').pop())\n\
           .filter((name) => name.endsWith('.wasm') || name.startsWith('kapforms_')))].sort();",
        vec![],
    )
    .await;
    serde_json::from_value(fetched).unwrap_or_default()
}

/// The `kap-ready` detail of the form `id`.
async fn ready(client: &fantoccini::Client, id: &str) -> Value {
    run_js(
        client,
        "return window.__ready[arguments[0]] || null;",
        vec![json!(id)],
    )
    .await
}

/// A page of built-ins loads the smaller bundle only.
#[tokio::test]
async fn built_ins_as_shipped_load_only_the_bundle_of_built_ins() {
    with_browser("bundles_built_ins", |client| async move {
        open(&client, "load-failure.html").await;
        import_loader_and_add_forms(
            &client,
            "",
            json!([
                ["a", {"instrument": "phq9"}, {}],
                ["b", {"instrument": "gad7", "lang": "es"}, {"thresholds": {}}]
            ]),
        )
        .await;
        Form::new(&client, "#a").wait_rendered().await;
        Form::new(&client, "#b").wait_rendered().await;
        assert_eq!(modules_fetched(&client).await, ["kapforms_form_bg.wasm"]);
        let phq9 = kapforms_instruments::load("phq9")
            .expect("built in")
            .expect("valid");
        assert_eq!(
            ready(&client, "a").await["content_hash"],
            phq9.content_hash()
        );
    })
    .await;
}

/// A clinic's own definition and a text pack load the bundle that validates and hashes; the
/// hash reported is core's for what the form shows.
#[tokio::test]
async fn a_clinics_definition_or_a_text_pack_loads_the_custom_bundle_and_is_hashed() {
    with_browser("bundles_custom", |client| async move {
        open(&client, "load-failure.html").await;
        let definition: Value = serde_json::from_str(
            kapforms_instruments::json_without_provenance("who5").expect("built in"),
        )
        .expect("JSON");
        let mut own = definition.clone();
        own["id"] = json!("clinic-wellbeing");
        own["title"] = json!("How you have been");
        // A clinic's cut-off written with seventeen significant digits (115/9, as a
        // spreadsheet exports it): serde_json's default parser reads it one bit off
        // (12.77777777777778), which would change the content hash; the custom bundle reads
        // numbers exactly (`float_roundtrip`), as core does natively.
        own["flags"][0]["when"]["score"]["below"] = json!(115.0 / 9.0);
        assert_eq!(
            own["flags"][0]["when"]["score"]["below"].to_string(),
            "12.777777777777779"
        );
        let pack = json!({"phq9_1": "Little interest or pleasure in the things you do"});
        import_loader_and_add_forms(
            &client,
            "",
            json!([
                ["own", {}, {"definition": own}],
                ["packed", {"instrument": "phq9"}, {"textPack": pack}]
            ]),
        )
        .await;
        let form = Form::new(&client, "#own");
        form.wait_rendered().await;
        let packed = Form::new(&client, "#packed");
        packed.wait_rendered().await;
        assert_eq!(
            packed
                .text("fieldset[data-item=\"phq9_1\"] legend")
                .await
                .as_deref(),
            Some("Little interest or pleasure in the things you do")
        );
        assert_eq!(
            modules_fetched(&client).await,
            ["kapforms_form_custom.js", "kapforms_form_custom_bg.wasm"]
        );
        let expected = kapforms_core::Questionnaire::from_json_with(&own.to_string(), &|_| None)
            .expect("valid")
            .content_hash();
        let reported = kapforms_e2e::wait_for("kap-ready", RENDER_TIMEOUT, || async {
            match ready(&client, "own").await {
                Value::Null => Err("not yet".to_owned()),
                detail => Ok(detail),
            }
        })
        .await;
        assert_eq!(reported["content_hash"], expected);
        assert_eq!(reported["instrument"], "clinic-wellbeing");
        let pack = kapforms_core::definition::text_pack_from_value(pack).expect("a text pack");
        let reworded = kapforms_instruments::load("phq9")
            .expect("built in")
            .expect("valid")
            .with_text_pack(&pack)
            .expect("fits");
        assert_eq!(
            ready(&client, "packed").await["content_hash"],
            reworded.content_hash()
        );
    })
    .await;
}
