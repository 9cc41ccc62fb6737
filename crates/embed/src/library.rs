//! The built-in definitions and their wording that a `<kap-form>` reads. In the patient's
//! bundle they are not compiled in: `cargo xtask dist` writes each built-in prepared
//! (`kapforms_instruments::prepared`: without provenance, the built-ins it embeds spliced
//! in) to `dist/instruments/<id>.json`, and worded in each shipped language to
//! `dist/instruments/<lang>/<id>.json`; `kapforms.js` fetches, beside the module and pinned
//! by integrity hashes it carries, the files of the instrument an element shows (or of the
//! built-ins a clinic's own definition embeds), and passes their text to `mountForm` as
//! `{definitions: {id: text}, wording: {id: text}}` (wording in the element's language). So
//! a PHQ-9 page downloads the PHQ-9 and nothing of the other fifteen, and the module only
//! reads what it is given: it splices and rewords nothing. The clinician's bundle
//! carries the files as written anyway (its view cites them), so there the library is the
//! compiled-in catalogue and what JavaScript passes is not read.

use kapforms_core::{DefinitionError, Questionnaire};
use kapforms_instruments::translations::Worded;
use wasm_bindgen::JsValue;

/// The built-ins a form can read: their definitions and their wording in its language.
#[derive(Debug)]
pub struct Library {
    /// Each fetched built-in's definition text (the copy without provenance), by id.
    #[cfg_attr(feature = "results", allow(dead_code))]
    definitions: Vec<(String, String)>,
    /// Each fetched built-in's wording in the form's language, by id.
    #[cfg_attr(feature = "results", allow(dead_code))]
    wording: Vec<(String, String)>,
}

impl Library {
    /// Reads `{definitions: {id: text}, wording: {id: text}}`; anything else, or a missing
    /// part, reads as empty (a built-in not in it is then reported as not loaded).
    pub fn from_js(value: &JsValue) -> Library {
        Library {
            definitions: text_entries(value, "definitions"),
            wording: text_entries(value, "wording"),
        }
    }

    /// The same definitions, with `wording` (an `{id: text}` object) as the wording: what a
    /// change of language fetched.
    pub fn with_wording(&self, wording: &JsValue) -> Library {
        Library {
            definitions: self.definitions.clone(),
            wording: entries_of(wording),
        }
    }

    #[cfg_attr(feature = "results", allow(dead_code))]
    fn definition(&self, id: &str) -> Option<&str> {
        find(&self.definitions, id)
    }

    #[cfg_attr(feature = "results", allow(dead_code))]
    fn wording_of(&self, id: &str) -> Option<&str> {
        find(&self.wording, id)
    }

    /// The built-in `id`, its modules spliced in; `None` when it is not in the library.
    pub fn load(&self, id: &str) -> Option<Result<Questionnaire, DefinitionError>> {
        #[cfg(feature = "results")]
        return kapforms_instruments::load(id);
        #[cfg(not(feature = "results"))]
        return self
            .definition(id)
            .map(kapforms_instruments::prepared::read_definition);
    }

    /// Parses and validates a clinic's own definition, its module sections resolved against
    /// the library.
    /// Only the bundle for those (`custom`) reads them: the patient's bundle of built-ins
    /// carries no validator, and `kapforms.js` never gives it one.
    pub fn parse(&self, json: &str) -> Result<Questionnaire, DefinitionError> {
        #[cfg(feature = "results")]
        return kapforms_instruments::parse(json);
        #[cfg(all(feature = "custom", not(feature = "results")))]
        return kapforms_instruments::parse_with_modules_from(json, &|id| self.definition(id));
        #[cfg(not(feature = "custom"))]
        {
            let _ = json;
            Err(DefinitionError::Parse(kapforms_core::Diagnostic::new(
                "",
                "this bundle shows the built-ins as shipped; a clinic's own definition needs \
                 kapforms_form_custom (kapforms.js chooses it by itself)",
            )))
        }
    }

    /// The built-in `id` worded in `language` (the language the library's wording is in);
    /// `None` when it has no wording in it.
    pub fn load_in(&self, id: &str, language: &str) -> Option<Result<Worded, DefinitionError>> {
        #[cfg(feature = "results")]
        return kapforms_instruments::translations::load_in(id, language);
        #[cfg(not(feature = "results"))]
        {
            let _ = language;
            self.wording_of(id)
                .map(kapforms_instruments::prepared::read_wording)
        }
    }
}

fn find<'a>(entries: &'a [(String, String)], id: &str) -> Option<&'a str> {
    entries
        .iter()
        .find(|(key, _)| key == id)
        .map(|(_, text)| text.as_str())
}

/// The string-valued entries of the object at `value[key]`.
fn text_entries(value: &JsValue, key: &str) -> Vec<(String, String)> {
    js_sys::Reflect::get(value, &JsValue::from_str(key))
        .map(|object| entries_of(&object))
        .unwrap_or_default()
}

/// The string-valued entries of an object (none for anything that is not one).
fn entries_of(object: &JsValue) -> Vec<(String, String)> {
    if !object.is_object() {
        return Vec::new();
    }
    js_sys::Object::entries(&js_sys::Object::from(object.clone()))
        .iter()
        .filter_map(|entry| {
            let pair = js_sys::Array::from(&entry);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}
