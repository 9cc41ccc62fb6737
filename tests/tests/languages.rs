//! Languages in the browser: `lang="es"` (on an ancestor or the element) shows the official
//! Spanish PHQ-9 and the Spanish interface; changing `lang` mid-form rewords the form at once
//! and keeps every answer and the page (fetching the Spanish wording of exactly the built-ins
//! shown, and none before; when it cannot, the form stays as it was and the host is told); a
//! response submitted in Spanish is the English one apart from its `language`.

use kapforms_e2e::{
    import_loader_and_add_forms, open, run_js, wait_for, with_browser, Form, RENDER_TIMEOUT,
    UPDATE_TIMEOUT,
};
use serde_json::{json, Value};

const PHQ9_ITEMS: [&str; 9] = [
    "phq9_1", "phq9_2", "phq9_3", "phq9_4", "phq9_5", "phq9_6", "phq9_7", "phq9_8", "phq9_9",
];

/// Waits until `css` in the form's shadow root reads `expected` (trimmed text).
async fn wait_text(form: &Form, css: &str, expected: &str) {
    wait_for(
        &format!("`{css}` to read {expected:?}"),
        UPDATE_TIMEOUT,
        || async {
            match form.text(css).await {
                Some(text) if text == expected => Ok(()),
                other => Err(format!("{css} = {other:?}")),
            }
        },
    )
    .await;
}

/// Sets (or with `None` removes) the `lang` attribute of the element `selector`.
async fn set_lang(client: &fantoccini::Client, selector: &str, lang: &str) {
    run_js(
        client,
        "document.querySelector(arguments[0]).setAttribute('lang', arguments[1]);",
        vec![json!(selector), json!(lang)],
    )
    .await;
}

/// Waits until the intake's first section reads in Spanish, and checks that the emergency
/// contact's name typed in English is still there.
async fn wait_spanish_contacts_with_the_name_kept(client: &fantoccini::Client, form: &Form) {
    wait_text(
        form,
        ".kf-section-title",
        "Personas a quienes podemos llamar",
    )
    .await;
    assert_eq!(
        field_value(client, "#demo-form", "emergency_name").await,
        "Ana Example"
    );
}

/// Types `text` into the input or textarea of item `item`.
async fn type_into(form: &Form, item: &str, text: &str) {
    let css = format!("[data-item=\"{item}\"] input, [data-item=\"{item}\"] textarea");
    let Some(field) = form.query(&css).await else {
        panic!("no field for {item}: {}", form.html().await);
    };
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {item}: {e}"));
}

/// The value of item `item`'s input or textarea.
async fn field_value(client: &fantoccini::Client, host: &str, item: &str) -> Value {
    run_js(
        client,
        "const root = document.querySelector(arguments[0]).shadowRoot;\n\
         const e = root.querySelector(`[data-item=\"${arguments[1]}\"] input, [data-item=\"${arguments[1]}\"] textarea`);\n\
         return e ? e.value : null;",
        vec![json!(host), json!(item)],
    )
    .await
}

/// The built-ins' files the page has fetched (`dist/instruments/…`), as paths under it, sorted.
async fn fetched_builtin_files(client: &fantoccini::Client) -> Vec<String> {
    let value = run_js(
        client,
        "return performance.getEntriesByType('resource').map((e) => e.name)\n\
           .filter((name) => name.includes('/dist/instruments/'))\n\
           .map((name) => name.split('/dist/instruments/')[1]);",
        vec![],
    )
    .await;
    let mut files: Vec<String> = value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|name| name.as_str().map(str::to_owned))
        .collect();
    files.sort_unstable();
    files.dedup();
    files
}

#[tokio::test]
async fn spanish_shows_the_official_spanish_phq9() {
    with_browser("languages_spanish_phq9", |client| async move {
        open(&client, "languages.html").await;
        // `lang="es"` is on the section around the element, not on the element.
        let form = Form::new(&client, "#es");
        form.wait_rendered().await;
        wait_text(
            &form,
            "[data-item=\"phq9_9\"] legend",
            "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
        )
        .await;
        wait_text(&form, "[data-item=\"phq9_1\"] legend", "Poco interés o placer en hacer cosas").await;
        let label = form
            .text("label[for$=\"phq9_1-0\"]")
            .await
            .unwrap_or_default();
        assert_eq!(label, "Ningún día", "{}", form.html().await);
        assert_eq!(
            form.text(".kf-intro").await.as_deref(),
            Some("Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?")
        );
        assert_eq!(form.text("button[data-action=\"next\"]").await.as_deref(), Some("Continuar"));
        assert!(form.exists("form[lang=\"es\"]").await, "{}", form.html().await);

        // Its English twin on the same page.
        let english = Form::new(&client, "#en");
        english.wait_rendered().await;
        wait_text(&english, "[data-item=\"phq9_1\"] legend", "Little interest or pleasure in doing things").await;

        // The Spanish crisis resources appear at once on a positive item 9.
        form.answer("phq9_9", "1").await;
        form.wait_visible("[data-crisis]").await;
        let crisis = form.text("[data-crisis] h3").await.unwrap_or_default();
        assert_eq!(crisis, "No tiene que esperar para recibir ayuda");
    })
    .await;
}

#[tokio::test]
async fn switching_language_mid_form_keeps_answers_and_page() {
    with_browser("languages_switch_keeps_answers", |client| async move {
        open(&client, "intake.html").await;
        let form = Form::new(&client, "#demo-form");
        form.wait_rendered().await;
        // In English the page fetched the intake (the five scales it embeds are spliced into
        // its file), no wording, and the English preview of the intake's first page.
        assert_eq!(
            fetched_builtin_files(&client).await,
            ["intake.json", "preview/en/intake.html"]
        );
        type_into(&form, "emergency_name", "Ana Example").await;
        type_into(&form, "emergency_phone", "555-0100").await;
        let next = form
            .query("button[data-action=\"next\"]")
            .await
            .expect("Continue");
        next.click().await.expect("click Continue");
        form.wait_present("[data-section=\"reasons\"]", UPDATE_TIMEOUT)
            .await;
        type_into(&form, "referral_reason", "Low mood for years").await;
        form.answer("referred_by", "therapist").await;
        let step_before = form.text("[data-progress]").await.unwrap_or_default();

        set_lang(&client, "#demo-form", "es").await;
        wait_text(&form, ".kf-section-title", "Qué le trae aquí").await;
        // The switch fetched the intake's Spanish wording (its embedded scales' included), and
        // only that.
        let spanish: Vec<String> = fetched_builtin_files(&client)
            .await
            .into_iter()
            .filter(|file| file.starts_with("es/"))
            .collect();
        assert_eq!(spanish, ["es/intake.json"]);
        assert!(
            form.exists("[data-section=\"reasons\"]").await,
            "still on the same page"
        );
        assert!(
            form.is_checked("referred_by", "therapist").await,
            "the choice is kept"
        );
        assert_eq!(
            field_value(&client, "#demo-form", "referral_reason").await,
            "Low mood for years"
        );
        let step_after = form.text("[data-progress]").await.unwrap_or_default();
        assert_eq!(
            step_after,
            step_before.replace("Step", "Paso").replace(" of ", " de ")
        );
        assert_eq!(
            form.text("[data-item=\"referred_by\"] legend")
                .await
                .as_deref(),
            Some("¿Quién le sugirió primero este tratamiento? (opcional)")
        );

        // Back keeps the first page's answers too, now in Spanish.
        let back = form
            .query("button[data-action=\"back\"]")
            .await
            .expect("Atrás");
        assert_eq!(back.text().await.unwrap_or_default(), "Atrás");
        back.click().await.expect("click Back");
        wait_spanish_contacts_with_the_name_kept(&client, &form).await;

        // And back to English.
        set_lang(&client, "#demo-form", "en").await;
        wait_text(&form, ".kf-section-title", "People we can contact").await;
        assert_eq!(
            field_value(&client, "#demo-form", "emergency_phone").await,
            "555-0100"
        );
    })
    .await;
}

/// A change of language fetches the new wording first. When it cannot (offline), the form
/// stays as it was, answers and all, in its language, and `kap-error` (`load-failed`) tells
/// the host; a later change fetches again.
/// A clinic's own definition is shown as written, whatever the page's language: a Spanish
/// page fetches the definition of the built-in it embeds, but not that built-in's Spanish
/// wording (a whole worded definition, which the form would not read).
#[tokio::test]
async fn a_clinics_definition_on_a_spanish_page_fetches_no_wording() {
    with_browser("languages_clinic_definition", |client| async move {
        open(&client, "load-failure.html").await;
        let own = json!({
            "format": "kapforms-definition",
            "schema_version": 1,
            "id": "clinic-mood",
            "version": "1",
            "title": "Our mood check",
            "sections": [{ "id": "mood", "title": "Mood", "module": "phq9" }],
        });
        import_loader_and_add_forms(
            &client,
            "",
            json!([["own", {"lang": "es"}, {"definition": own}]]),
        )
        .await;
        let form = Form::new(&client, "#own");
        form.wait_rendered().await;
        // The interface speaks Spanish; the clinic's questionnaire stays as written.
        wait_text(&form, "button[data-action=\"next\"]", "Continuar").await;
        assert_eq!(
            form.text(".kf-caption").await.as_deref(),
            Some("Our mood check")
        );
        assert_eq!(
            form.text("[data-item=\"mood.phq9_1\"] legend")
                .await
                .as_deref(),
            Some("Little interest or pleasure in doing things")
        );
        assert_eq!(fetched_builtin_files(&client).await, ["phq9.json"]);
    })
    .await;
}

#[tokio::test]
async fn a_language_whose_wording_cannot_load_keeps_the_form_and_tells_the_host() {
    with_browser("languages_wording_fails", |client| async move {
        open(&client, "intake.html").await;
        let form = Form::new(&client, "#demo-form");
        form.wait_rendered().await;
        type_into(&form, "emergency_name", "Ana Example").await;
        run_js(
            &client,
            "window.__errors = [];\n\
             document.addEventListener('kap-error', (e) => window.__errors.push(e.detail));\n\
             window.__realFetch = window.fetch;\n\
             window.fetch = (url, init) => String(url).includes('/instruments/es/')\n\
               ? Promise.reject(new TypeError('offline')) : window.__realFetch(url, init);",
            vec![],
        )
        .await;
        set_lang(&client, "#demo-form", "es").await;
        let errors = wait_for("kap-error load-failed", UPDATE_TIMEOUT, || async {
            let errors = run_js(&client, "return window.__errors;", vec![]).await;
            if errors.as_array().is_some_and(|list| !list.is_empty()) {
                Ok(errors)
            } else {
                Err(errors.to_string())
            }
        })
        .await;
        assert_eq!(errors[0]["code"], "load-failed", "{errors}");
        assert_eq!(
            form.text(".kf-section-title").await.as_deref(),
            Some("People we can contact")
        );
        assert_eq!(
            field_value(&client, "#demo-form", "emergency_name").await,
            "Ana Example"
        );

        // Back online, the next change of language fetches the wording and applies it.
        run_js(&client, "window.fetch = window.__realFetch;", vec![]).await;
        set_lang(&client, "#demo-form", "en").await;
        set_lang(&client, "#demo-form", "es").await;
        wait_spanish_contacts_with_the_name_kept(&client, &form).await;
    })
    .await;
}

#[tokio::test]
async fn a_response_in_spanish_is_the_english_one_apart_from_its_language() {
    with_browser("languages_same_response", |client| async move {
        open(&client, "languages.html").await;
        run_js(
            &client,
            "window.kapResponses = {};\n\
             document.addEventListener('kap-submit', (e) => { window.kapResponses[e.target.id] = e.detail.response; });",
            vec![],
        )
        .await;
        let codes = ["1", "2", "0", "3", "1", "0", "2", "1", "0"];
        for id in ["#es", "#en"] {
            let form = Form::new(&client, id);
            form.wait_rendered().await;
            for (item, code) in PHQ9_ITEMS.iter().zip(codes) {
                form.answer(item, code).await;
            }
            if id == "#es" {
                // Switch to English and back mid-form: nothing may change but the wording.
                set_lang(&client, "#es", "en").await;
                wait_text(&form, "[data-item=\"phq9_1\"] legend", "Little interest or pleasure in doing things").await;
                set_lang(&client, "#es", "es").await;
                wait_text(&form, "[data-item=\"phq9_1\"] legend", "Poco interés o placer en hacer cosas").await;
            }
            form.submit().await;
        }
        let responses = wait_for("both responses", RENDER_TIMEOUT, || async {
            let value = run_js(&client, "return window.kapResponses;", vec![]).await;
            if value.get("es").is_some() && value.get("en").is_some() { Ok(value) } else { Err(value.to_string()) }
        })
        .await;
        let comparable = |mut response: Value| {
            let object = response.as_object_mut().expect("an object");
            for field in ["started_at", "updated_at", "completed_at"] {
                object.remove(field);
            }
            response
        };
        let mut spanish = comparable(responses["es"].clone());
        let english = comparable(responses["en"].clone());
        assert_eq!(spanish["language"], "es", "{spanish:#}");
        assert_eq!(english["language"], "en", "{english:#}");
        spanish["language"] = json!("en");
        assert_eq!(spanish, english, "the Spanish response differs beyond its language");
        assert_eq!(english["scores"][0]["value"], 10, "{english:#}");
        assert_eq!(english["scores"][0]["label"], "PHQ-9 total score", "the definition's own label");
    })
    .await;
}

#[tokio::test]
async fn a_scale_without_an_official_spanish_translation_stays_english_with_a_notice() {
    with_browser("languages_english_only", |client| async move {
        open(&client, "languages.html").await;
        let form = Form::new(&client, "#es");
        form.wait_rendered().await;
        // The WHO-5 has no official Spanish translation here: in a Spanish page it keeps its
        // English wording, marked as English, under a notice in Spanish.
        run_js(
            &client,
            "document.querySelector('#es').setAttribute('instrument', 'who5');",
            vec![],
        )
        .await;
        wait_text(
            &form,
            "[data-english-only]",
            "Este cuestionario solo está disponible en inglés.",
        )
        .await;
        form.wait_rendered().await;
        wait_text(
            &form,
            "[data-item=\"who5_1\"] legend",
            "I have felt cheerful and in good spirits",
        )
        .await;
        assert!(
            form.exists("section[lang=\"en\"]").await,
            "{}",
            form.html().await
        );
        assert_eq!(
            form.text("button[data-action=\"next\"]").await.as_deref(),
            Some("Continuar")
        );
    })
    .await;
}

#[tokio::test]
async fn the_clinician_view_follows_lang_too() {
    with_browser("languages_results", |client| async move {
        open(&client, "results.html").await;
        let view = Form::new(&client, "#results");
        wait_text(&view, "h1", "Questionnaire results").await;
        set_lang(&client, "#results", "es").await;
        wait_text(&view, "h1", "Resultados de los cuestionarios").await;
        let print = run_js(
            &client,
            "return document.querySelector('#results').shadowRoot\
               .querySelector('[data-action=\"print\"]').textContent;",
            vec![],
        )
        .await;
        assert_eq!(print, "Imprimir o guardar como PDF");
    })
    .await;
}
