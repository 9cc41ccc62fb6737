//! Fuzz target `fhir_import`: arbitrary UTF-8 through `fhir::import_questionnaire` (a FHIR R4
//! Questionnaire or a Bundle of one). An import it accepts is a valid definition: it must
//! pass `Questionnaire::from_json` again after a JSON round trip, export back to FHIR, and
//! read a QuestionnaireResponse without panicking. Any panic or failed check is a crash.

#![no_main]

use kapforms_core::{fhir, Questionnaire};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(imported) = fhir::import_questionnaire(text) else {
        return;
    };
    let written =
        serde_json::to_string(&imported.questionnaire).expect("an imported definition serializes");
    if let Err(error) = Questionnaire::from_json(&written) {
        panic!("an imported definition does not validate: {error}\n{written}");
    }
    let exported = fhir::questionnaire(&imported.questionnaire);
    let _ = fhir::import_questionnaire(&exported.to_string());
    let _ = imported.import_response(text);
});
