//! JSON Schemas of the two wire formats, generated from the very types that read and write
//! them (so the schema cannot drift from the code): the definition format
//! (`kapforms-definition`, schema version 1) and the native response format
//! (`kapforms-response`, schema version 1). The generated files are committed in `schema/` at
//! the repository root and shipped in `dist/schema/`; a test keeps them equal to these.
//!
//! A schema checks shape only; a definition must also pass validation
//! ([`crate::Questionnaire::from_json`]) for the rules a schema cannot express (unique ids,
//! references, bands without gaps).

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::definition::Questionnaire;
use crate::wire::Response;

fn generate<T: schemars::JsonSchema>(id: &str, title: &str) -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<T>();
    let mut value = serde_json::to_value(schema).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("$id".into(), Value::String(id.into()));
        map.insert("title".into(), Value::String(title.into()));
    }
    value
}

/// The JSON Schema of a questionnaire definition, version 1.
pub fn definition() -> Value {
    generate::<Questionnaire>(
        "urn:kapforms:schema:definition:1",
        "kapforms questionnaire definition, schema version 1",
    )
}

/// The JSON Schema of a native response, version 1.
pub fn response() -> Value {
    generate::<Response>(
        "urn:kapforms:schema:response:1",
        "kapforms native response, schema version 1",
    )
}
