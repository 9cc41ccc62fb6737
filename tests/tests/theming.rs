//! Theming and isolation in headless Chromium: a host page with a deliberately hostile
//! stylesheet (`www/theming.html`: element and class selectors aimed at the widget's insides,
//! inherited text styles on the body) changes nothing inside `<kap-form>`, the widget's
//! stylesheet changes nothing on the host page (host elements borrowing its class names), and
//! `--kap-*` custom properties on the element do theme it; light and dark follow
//! `prefers-color-scheme` while the form is open; and motion only when the user allows it (no
//! transition or animation outside `prefers-reduced-motion: no-preference`, none at all under
//! an emulated `reduce`).

use fantoccini::Client;
use kapforms_e2e::devtools::emulate_media;
use kapforms_e2e::{open, run_js, with_browser, Form};
use serde_json::{json, Value};

/// Waits until the `<kap-form>` matching `host` shows its questions.
async fn wait_questions(client: &Client, host: &str) {
    Form::new(client, host).wait_rendered().await;
}

/// Computed styles of parts of `host`'s widget: `(selector, [properties])` → values.
async fn widget_styles(client: &Client, host: &str, parts: Value) -> Value {
    run_js(
        client,
        "const root = document.querySelector(arguments[0]).shadowRoot;\n\
         const out = {};\n\
         for (const [css, properties] of Object.entries(arguments[1])) {\n\
           const el = root.querySelector(css);\n\
           if (!el) { out[css] = null; continue; }\n\
           const style = getComputedStyle(el);\n\
           out[css] = { visible: el.checkVisibility({ checkVisibilityCSS: true }) };\n\
           for (const p of properties) out[css][p] = style.getPropertyValue(p);\n\
         }\n\
         return out;",
        vec![json!(host), parts],
    )
    .await
}

#[tokio::test]
async fn host_styles_stay_out_the_widgets_stay_in_and_custom_properties_theme_it() {
    with_browser("theming_isolation", |client| async move {
        emulate_media(&client, &[("prefers-color-scheme", "light")]).await;
        open(&client, "theming.html").await;
        wait_questions(&client, "#plain").await;
        wait_questions(&client, "#themed").await;
        let parts = json!({
            ".kf-root": ["display", "letter-spacing", "word-spacing", "text-transform",
                         "text-align", "font-style", "color", "cursor", "text-indent"],
            "fieldset[data-item]": ["display"],
            "legend": ["display", "letter-spacing", "text-transform"],
            "input[type=radio]": ["display"],
            ".kf-option label": ["display", "font-style"],
            ".kf-section-title": ["color"],
            "button[data-action=next]": ["background-color", "font-size", "border-radius",
                                         "font-family"],
        });
        let plain = widget_styles(&client, "#plain", parts.clone()).await;
        let themed = widget_styles(&client, "#themed", parts).await;

        // Nothing of the host's stylesheet inside.
        for (css, property, expected) in [
            (".kf-root", "display", "block"),
            (".kf-root", "letter-spacing", "normal"),
            (".kf-root", "word-spacing", "0px"),
            (".kf-root", "text-transform", "none"),
            (".kf-root", "text-align", "start"),
            (".kf-root", "font-style", "normal"),
            (".kf-root", "color", "rgb(31, 41, 51)"),
            (".kf-root", "cursor", "auto"),
            (".kf-root", "text-indent", "0px"),
            ("fieldset[data-item]", "display", "block"),
            ("legend", "letter-spacing", "normal"),
            ("legend", "text-transform", "none"),
            (".kf-option label", "font-style", "normal"),
            (".kf-section-title", "color", "rgb(31, 41, 51)"),
            (
                "button[data-action=next]",
                "background-color",
                "rgb(29, 92, 140)",
            ),
            ("button[data-action=next]", "border-radius", "4px"),
        ] {
            assert_eq!(
                plain[css][property], expected,
                "#plain {css} {property}: {:#}",
                plain[css]
            );
        }
        for css in [
            "fieldset[data-item]",
            "legend",
            "input[type=radio]",
            ".kf-option label",
        ] {
            assert_eq!(
                plain[css]["visible"], true,
                "#plain {css} hidden by the host"
            );
            assert_ne!(
                plain[css]["display"], "none",
                "#plain {css} hidden by the host"
            );
        }
        assert_ne!(plain["button[data-action=next]"]["font-size"], "40px");

        // The supported way in: custom properties on the element.
        let button = &themed["button[data-action=next]"];
        assert_eq!(button["background-color"], "rgb(0, 102, 51)", "{button:#}");
        assert_eq!(button["border-radius"], "12px", "{button:#}");
        assert!(
            button["font-family"]
                .as_str()
                .unwrap_or("")
                .contains("Georgia"),
            "{button:#}"
        );

        // Nothing of the widget's stylesheet outside.
        let host = run_js(
            &client,
            "const style = (id) => getComputedStyle(document.getElementById(id));\n\
             const hidden = document.getElementById('host-hidden').getBoundingClientRect();\n\
             return { hiddenWidth: hidden.width, hiddenPosition: style('host-hidden').position,\n\
                      buttonWeight: style('host-button').fontWeight,\n\
                      buttonMinHeight: style('host-button').minHeight,\n\
                      optionDisplay: style('host-option').display,\n\
                      optionMinHeight: style('host-option').minHeight };",
            vec![],
        )
        .await;
        assert!(
            host["hiddenWidth"].as_f64().unwrap_or(0.0) > 100.0,
            "{host:#}"
        );
        assert_eq!(host["hiddenPosition"], "static", "{host:#}");
        assert_eq!(host["buttonWeight"], "400", "{host:#}");
        assert!(
            matches!(host["buttonMinHeight"].as_str(), Some("auto" | "0px")),
            "the widget's min-height reached a host element: {host:#}"
        );
        assert_eq!(host["optionDisplay"], "block", "{host:#}");
        assert!(
            matches!(host["optionMinHeight"].as_str(), Some("auto" | "0px")),
            "the widget's min-height reached a host element: {host:#}"
        );
    })
    .await;
}

#[tokio::test]
async fn light_and_dark_follow_the_users_colour_scheme_while_the_form_is_open() {
    with_browser("theming_dark", |client| async move {
        emulate_media(&client, &[("prefers-color-scheme", "light")]).await;
        open(&client, "index.html").await;
        wait_questions(&client, "kap-form").await;
        let parts = json!({
            ".kf-root": ["background-color", "color"],
            "button[data-action=next]": ["background-color", "color"],
        });
        let light = widget_styles(&client, "kap-form", parts.clone()).await;
        assert_eq!(
            light[".kf-root"]["background-color"], "rgb(255, 255, 255)",
            "{light:#}"
        );
        assert_eq!(light[".kf-root"]["color"], "rgb(31, 41, 51)", "{light:#}");
        assert_eq!(
            light["button[data-action=next]"]["background-color"], "rgb(29, 92, 140)",
            "{light:#}"
        );

        // The patient's system switches to dark: the open form follows, without a reload.
        emulate_media(&client, &[("prefers-color-scheme", "dark")]).await;
        let dark = widget_styles(&client, "kap-form", parts).await;
        emulate_media(&client, &[]).await;
        assert_eq!(
            dark[".kf-root"]["background-color"], "rgb(20, 25, 31)",
            "{dark:#}"
        );
        assert_eq!(dark[".kf-root"]["color"], "rgb(228, 231, 235)", "{dark:#}");
        assert_eq!(
            dark["button[data-action=next]"]["background-color"], "rgb(124, 196, 250)",
            "{dark:#}"
        );
        assert_eq!(
            dark["button[data-action=next]"]["color"], "rgb(11, 31, 51)",
            "{dark:#}"
        );
    })
    .await;
}

#[tokio::test]
async fn nothing_moves_unless_the_user_allows_motion() {
    with_browser("reduced_motion", |client| async move {
        open(&client, "index.html").await;
        wait_questions(&client, "kap-form").await;

        // The stylesheet: every transition, animation or smooth scrolling sits inside
        // `@media (prefers-reduced-motion: no-preference)`.
        let unguarded = run_js(
            &client,
            "const root = document.querySelector('kap-form').shadowRoot;\n\
             const found = [];\n\
             const moves = (style) =>\n\
               (style.transitionDuration && style.transitionDuration.split(',').some((d) => parseFloat(d) > 0))\n\
               || (style.animationName && !['none', 'initial'].includes(style.animationName))\n\
               || style.scrollBehavior === 'smooth';\n\
             const walk = (rules, allowed) => {\n\
               for (const rule of rules) {\n\
                 if (rule instanceof CSSMediaRule) {\n\
                   walk(rule.cssRules, allowed || /prefers-reduced-motion:\\s*no-preference/.test(rule.conditionText));\n\
                 } else if (rule instanceof CSSKeyframesRule) {\n\
                   if (!allowed) found.push('@keyframes ' + rule.name);\n\
                 } else if (rule.style && moves(rule.style) && !allowed) {\n\
                   found.push(rule.cssText);\n\
                 } else if (rule.cssRules) {\n\
                   walk(rule.cssRules, allowed);\n\
                 }\n\
               }\n\
             };\n\
             let rules = 0;\n\
             for (const sheet of root.adoptedStyleSheets) { rules += sheet.cssRules.length; walk(sheet.cssRules, false); }\n\
             return { rules, found };",
            vec![],
        )
        .await;
        assert!(unguarded["rules"].as_u64().unwrap_or(0) > 50, "{unguarded}");
        assert_eq!(unguarded["found"], json!([]), "motion without asking: {unguarded:#}");

        // With reduced motion asked for, nothing in the widget has a transition or animation.
        emulate_media(&client, &[("prefers-reduced-motion", "reduce")]).await;
        let moving = run_js(
            &client,
            "const root = document.querySelector('kap-form').shadowRoot;\n\
             const found = [];\n\
             let checked = 0;\n\
             for (const el of root.querySelectorAll('*')) {\n\
               checked += 1;\n\
               const s = getComputedStyle(el);\n\
               const moves = s.transitionDuration.split(',').some((d) => parseFloat(d) > 0)\n\
                 || s.animationName !== 'none' || s.scrollBehavior === 'smooth';\n\
               if (moves) found.push(el.tagName + '.' + el.className);\n\
             }\n\
             return { checked, found, reduce: matchMedia('(prefers-reduced-motion: reduce)').matches };",
            vec![],
        )
        .await;
        emulate_media(&client, &[]).await;
        assert_eq!(moving["reduce"], true, "the emulation did not take: {moving}");
        assert!(moving["checked"].as_u64().unwrap_or(0) > 20, "{moving}");
        assert_eq!(moving["found"], json!([]), "{moving:#}");
    })
    .await;
}
