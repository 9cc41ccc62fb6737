//! Reads a built-in definition that the build has already validated, field by field from a
//! parsed JSON value, without serde's derived readers. The patient's WebAssembly bundle of
//! built-ins shows only such definitions (its copies without provenance, pinned by integrity
//! hashes), and serde's readers of the definition types weighed about 52 KB of its code; this
//! reader is 8 KB (the swap saved 8.5 KiB gzip), because it only walks a `serde_json::Value`
//! the bundle parses anyway. Everything else (a clinic's own definition, the
//! CLI, the build's validation) reads definitions with serde ([`crate::json_path::parse`]),
//! which names where a problem is and says what was expected.
//!
//! The two readers must agree. Every built-in and module, and random valid definitions, are read
//! both ways in the tests, which compare the results field by field; a field this reader does
//! not know is refused by name (as `deny_unknown_fields` does), so a field added to a
//! definition type but not here fails those tests instead of being dropped. Provenance is
//! refused: the copies this reader is for have none. A key written twice keeps its last value
//! here (a parsed value holds one), where serde refuses the file; the copies this reader is
//! for were made from files serde read.

use litemap::LiteMap;

use serde_json::{Map, Value};

use crate::answer::AnswerValue;
use crate::condition::{AnswerTest, Condition, MedicationField, MedicationTest, ScoreTest};
use crate::definition::{
    AnswerOption, Coding, Item, Options, Questionnaire, RawItem, Section, Threshold,
};
use crate::diagnostic::Diagnostic;
use crate::flags::{FlagRule, Severity};
use crate::scoring::{Band, MissingRule, ScoreMethod, ScoreRule};

/// Reads `text` (after an optional byte order mark), a definition without provenance that
/// was validated when it was built. Never panics; an error names the JSON path of the first
/// field found wrong.
pub fn read(text: &str) -> Result<Questionnaire, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // No position in the message: these copies are JSON the build wrote, read with core's
    // own parser (serde_json's deserializer is not in the patient's bundle).
    let value = crate::json_value::parse(text).map_err(|_| Diagnostic::new(".", "not JSON"))?;
    read_value(value)
}

/// Reads a definition as [`read`] does, from its parsed JSON `value`.
pub fn read_value(value: Value) -> Result<Questionnaire, Diagnostic> {
    let mut reader = Reader::default();
    let questionnaire = reader.questionnaire(value);
    match reader.problem {
        None => Ok(questionnaire),
        Some(problem) => Err(problem),
    }
}

/// The reader's state: where it is, and the first problem it met. A reading step that meets
/// a problem records it and gives a stand-in value, so that each step is straight-line code
/// (no early return that would drop every field read so far, which is what made a reader
/// built on `?` nearly as large as serde's).
#[derive(Default)]
struct Reader {
    /// The JSON path being read, as a diagnostic writes it (`sections[0].items[3]`).
    path: String,
    problem: Option<Diagnostic>,
}

/// A JSON object being read: each field is taken out as it is read, so that what is left at
/// the end is what this reader does not know.
type Object = Map<String, Value>;

impl Reader {
    fn fail(&mut self, message: &'static str) {
        if self.problem.is_none() {
            let path = if self.path.is_empty() {
                "."
            } else {
                &self.path
            };
            self.problem = Some(Diagnostic::new(path, message));
        }
    }

    /// Runs `read` with `segment` added to the path (`key`, or `[index]` when `index` is
    /// given).
    fn within<T>(
        &mut self,
        key: &str,
        index: Option<usize>,
        read: impl FnOnce(&mut Reader) -> T,
    ) -> T {
        let length = self.path.len();
        match index {
            Some(index) => {
                self.path.push('[');
                self.path.push_str(&index.to_string());
                self.path.push(']');
            }
            None => {
                if length > 0 {
                    self.path.push('.');
                }
                self.path.push_str(key);
            }
        }
        let value = read(self);
        self.path.truncate(length);
        value
    }

    fn object(&mut self, value: Value) -> Object {
        match value {
            Value::Object(map) => map,
            _ => {
                self.fail("expected an object");
                Object::new()
            }
        }
    }

    /// Refuses whatever fields of `object` were not read.
    fn finish(&mut self, object: Object) {
        if let Some((key, _)) = object.into_iter().next() {
            self.within(&key, None, |reader| reader.fail("unknown field"));
        }
    }

    /// The field `key` read by `read`, or `None` when it is absent or null.
    fn optional<T>(
        &mut self,
        object: &mut Object,
        key: &str,
        read: fn(&mut Reader, Value) -> T,
    ) -> Option<T> {
        match object.remove(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(self.within(key, None, |reader| read(reader, value))),
        }
    }

    /// The field `key` read by `read`; when it is missing, a problem and `stand_in`.
    fn required<T>(
        &mut self,
        object: &mut Object,
        key: &str,
        read: fn(&mut Reader, Value) -> T,
        stand_in: T,
    ) -> T {
        match self.optional(object, key, read) {
            Some(value) => value,
            None => {
                self.within(key, None, |reader| reader.fail("missing field"));
                stand_in
            }
        }
    }

    fn text(&mut self, object: &mut Object, key: &str) -> String {
        self.required(object, key, Reader::string, String::new())
    }

    fn optional_text(&mut self, object: &mut Object, key: &str) -> Option<String> {
        self.optional(object, key, Reader::string)
    }

    fn flag(&mut self, object: &mut Object, key: &str) -> bool {
        self.optional(object, key, Reader::boolean).unwrap_or(false)
    }

    /// The list `key`, each element read by `read`; empty when absent or null.
    fn list<T>(
        &mut self,
        object: &mut Object,
        key: &str,
        read: fn(&mut Reader, Value) -> T,
    ) -> Vec<T> {
        match object.remove(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(value) => self.within(key, None, |reader| reader.elements(value, read)),
        }
    }

    fn elements<T>(&mut self, value: Value, read: fn(&mut Reader, Value) -> T) -> Vec<T> {
        let Value::Array(values) = value else {
            self.fail("expected a list");
            return Vec::new();
        };
        let mut elements = Vec::with_capacity(values.len());
        for (index, value) in values.into_iter().enumerate() {
            elements.push(self.within("", Some(index), |reader| read(reader, value)));
        }
        elements
    }

    fn strings(&mut self, value: Value) -> Vec<String> {
        self.elements(value, Reader::string)
    }

    fn string(&mut self, value: Value) -> String {
        match value {
            Value::String(text) => text,
            _ => {
                self.fail("expected a string");
                String::new()
            }
        }
    }

    fn boolean(&mut self, value: Value) -> bool {
        value.as_bool().unwrap_or_else(|| {
            self.fail("expected true or false");
            false
        })
    }

    fn number(&mut self, value: Value) -> f64 {
        value.as_f64().unwrap_or_else(|| {
            self.fail("expected a number");
            0.0
        })
    }

    fn integer(&mut self, value: Value) -> i64 {
        value.as_i64().unwrap_or_else(|| {
            self.fail("expected an integer");
            0
        })
    }

    fn count(&mut self, value: Value) -> u32 {
        match value.as_u64().map(u32::try_from) {
            Some(Ok(count)) => count,
            _ => {
                self.fail("expected a whole number");
                0
            }
        }
    }

    fn size(&mut self, value: Value) -> usize {
        match value.as_u64().map(usize::try_from) {
            Some(Ok(size)) => size,
            _ => {
                self.fail("expected a whole number");
                0
            }
        }
    }

    fn questionnaire(&mut self, value: Value) -> Questionnaire {
        let mut o = self.object(value);
        if o.contains_key("provenance") {
            self.within("provenance", None, |reader| {
                reader.fail("provenance is not read here")
            });
        }
        let questionnaire = Questionnaire {
            format: self.text(&mut o, "format"),
            schema_version: self.required(&mut o, "schema_version", Reader::count, 0),
            id: self.text(&mut o, "id"),
            version: self.text(&mut o, "version"),
            title: self.text(&mut o, "title"),
            code: self.optional(&mut o, "code", Reader::coding),
            description: self.optional_text(&mut o, "description"),
            provenance: None,
            option_sets: self
                .optional(&mut o, "option_sets", Reader::option_sets)
                .unwrap_or_default(),
            sections: self.required(&mut o, "sections", Reader::sections, Vec::new()),
            scores: self.list(&mut o, "scores", Reader::score_rule),
            flags: self.list(&mut o, "flags", Reader::flag_rule),
            thresholds: self.list(&mut o, "thresholds", Reader::threshold),
            running_total: self.optional_text(&mut o, "running_total"),
            restricted_text: self.flag(&mut o, "restricted_text"),
            threshold_overrides: LiteMap::new(),
        };
        o.remove("provenance");
        self.finish(o);
        questionnaire
    }

    fn option_sets(&mut self, value: Value) -> LiteMap<String, Vec<AnswerOption>> {
        let mut sets = LiteMap::new();
        for (name, options) in self.object(value) {
            let options = self.within(&name, None, |reader| {
                reader.elements(options, Reader::answer_option)
            });
            sets.insert(name, options);
        }
        sets
    }

    fn coding(&mut self, value: Value) -> Coding {
        let mut o = self.object(value);
        let coding = Coding {
            system: self.text(&mut o, "system"),
            code: self.text(&mut o, "code"),
            display: self.optional_text(&mut o, "display"),
        };
        self.finish(o);
        coding
    }

    fn sections(&mut self, value: Value) -> Vec<Section> {
        self.elements(value, Reader::section)
    }

    fn section(&mut self, value: Value) -> Section {
        let mut o = self.object(value);
        let section = Section {
            id: self.text(&mut o, "id"),
            title: self.text(&mut o, "title"),
            intro: self.optional_text(&mut o, "intro"),
            module: self.optional_text(&mut o, "module"),
            optional: self.flag(&mut o, "optional"),
            restricted_text: self.flag(&mut o, "restricted_text"),
            items: self.list(&mut o, "items", Reader::item),
        };
        self.finish(o);
        section
    }

    fn items(&mut self, value: Value) -> Vec<Item> {
        self.elements(value, Reader::item)
    }

    fn item(&mut self, value: Value) -> Item {
        let mut o = self.object(value);
        let raw = RawItem {
            id: self.text(&mut o, "id"),
            item_type: self.text(&mut o, "type"),
            text: self.text(&mut o, "text"),
            help: self.optional_text(&mut o, "help"),
            required: self.flag(&mut o, "required"),
            enable_when: self.optional(&mut o, "enable_when", Reader::condition),
            code: self.optional(&mut o, "code", Reader::coding),
            options: self.optional(&mut o, "options", Reader::options),
            yes_score: self.optional(&mut o, "yes_score", Reader::number),
            no_score: self.optional(&mut o, "no_score", Reader::number),
            max_length: self.optional(&mut o, "max_length", Reader::count),
            min: self.optional(&mut o, "min", Reader::integer),
            max: self.optional(&mut o, "max", Reader::integer),
            unit: self.optional_text(&mut o, "unit"),
            fields: self.optional(&mut o, "fields", Reader::items),
            max_rows: self.optional(&mut o, "max_rows", Reader::count),
        };
        self.finish(o);
        // A built-in's items were all checked when it was built: one that is not a valid
        // item of its type is an error here, not kept for validation to report.
        Item::try_from(raw).unwrap_or_else(|_| {
            self.fail("not a valid item of its type");
            Item::display(String::new(), String::new())
        })
    }

    fn options(&mut self, value: Value) -> Options {
        match value {
            Value::String(name) => Options::Set(name),
            value => Options::Inline(self.elements(value, Reader::answer_option)),
        }
    }

    fn answer_option(&mut self, value: Value) -> AnswerOption {
        let mut o = self.object(value);
        let option = AnswerOption {
            value: self.text(&mut o, "value"),
            label: self.text(&mut o, "label"),
            score: self.optional(&mut o, "score", Reader::number),
            code: self.optional(&mut o, "code", Reader::coding),
        };
        self.finish(o);
        option
    }

    /// A condition is an object with one field, its kind (`{"answer": {...}}`).
    fn condition(&mut self, value: Value) -> Condition {
        let mut fields = self.object(value).into_iter();
        let (Some((kind, inner)), None) = (fields.next(), fields.next()) else {
            self.fail("expected an object with one field, the condition's kind");
            return Condition::All(Vec::new());
        };
        self.within(&kind, None, |reader| match kind.as_str() {
            "all" => Condition::All(reader.elements(inner, Reader::condition)),
            "any" => Condition::Any(reader.elements(inner, Reader::condition)),
            "not" => Condition::Not(Box::new(reader.condition(inner))),
            "answer" => Condition::Answer(reader.answer_test(inner)),
            "score" => Condition::Score(reader.score_test(inner)),
            "medication_class" => Condition::MedicationClass(reader.medication_test(inner)),
            "medication_unrecognised" => {
                Condition::MedicationUnrecognised(reader.medication_field(inner))
            }
            _ => {
                reader.fail("unknown kind of condition");
                Condition::All(Vec::new())
            }
        })
    }

    fn answer_test(&mut self, value: Value) -> AnswerTest {
        let mut o = self.object(value);
        let test = AnswerTest {
            item: self.text(&mut o, "item"),
            score_at_least: self.optional(&mut o, "score_at_least", Reader::number),
            score_above: self.optional(&mut o, "score_above", Reader::number),
            equals: self.optional(&mut o, "equals", Reader::answer_value),
            one_of: self.optional(&mut o, "one_of", Reader::strings),
            includes: self.optional_text(&mut o, "includes"),
            answered: self.optional(&mut o, "answered", Reader::boolean),
            threshold: self.optional_text(&mut o, "threshold"),
        };
        self.finish(o);
        test
    }

    fn score_test(&mut self, value: Value) -> ScoreTest {
        let mut o = self.object(value);
        let test = ScoreTest {
            score: self.text(&mut o, "score"),
            at_least: self.optional(&mut o, "at_least", Reader::number),
            at_most: self.optional(&mut o, "at_most", Reader::number),
            below: self.optional(&mut o, "below", Reader::number),
            threshold: self.optional_text(&mut o, "threshold"),
        };
        self.finish(o);
        test
    }

    fn medication_test(&mut self, value: Value) -> MedicationTest {
        let mut o = self.object(value);
        let test = MedicationTest {
            item: self.text(&mut o, "item"),
            field: self.text(&mut o, "field"),
            class: self.text(&mut o, "class"),
        };
        self.finish(o);
        test
    }

    fn medication_field(&mut self, value: Value) -> MedicationField {
        let mut o = self.object(value);
        let field = MedicationField {
            item: self.text(&mut o, "item"),
            field: self.text(&mut o, "field"),
        };
        self.finish(o);
        field
    }

    /// An answer as a condition compares it ([`AnswerValue::from_value`]).
    fn answer_value(&mut self, value: Value) -> AnswerValue {
        AnswerValue::from_value(value).unwrap_or_else(|| {
            self.fail("expected an answer");
            AnswerValue::Bool(false)
        })
    }

    fn score_rule(&mut self, value: Value) -> ScoreRule {
        let mut o = self.object(value);
        let rule = ScoreRule {
            id: self.text(&mut o, "id"),
            label: self.text(&mut o, "label"),
            method: self.required(&mut o, "method", Reader::score_method, ScoreMethod::Sum),
            items: self.required(&mut o, "items", Reader::strings, Vec::new()),
            reverse: self.list(&mut o, "reverse", Reader::string),
            threshold: self.optional(&mut o, "threshold", Reader::number),
            multiply: self.optional(&mut o, "multiply", Reader::number),
            missing: self.optional(&mut o, "missing", Reader::missing_rule),
            bands: self.list(&mut o, "bands", Reader::band),
            code: self.optional(&mut o, "code", Reader::coding),
            instrument: self.optional_text(&mut o, "instrument"),
        };
        self.finish(o);
        rule
    }

    fn score_method(&mut self, value: Value) -> ScoreMethod {
        match value.as_str() {
            Some("sum") => ScoreMethod::Sum,
            Some("mean") => ScoreMethod::Mean,
            Some("count") => ScoreMethod::Count,
            _ => {
                self.fail("expected sum, mean or count");
                ScoreMethod::Sum
            }
        }
    }

    fn missing_rule(&mut self, value: Value) -> MissingRule {
        let mut o = self.object(value);
        let rule = MissingRule {
            prorate_up_to: self.required(&mut o, "prorate_up_to", Reader::size, 0),
            citation: self.text(&mut o, "citation"),
        };
        self.finish(o);
        rule
    }

    fn band(&mut self, value: Value) -> Band {
        let mut o = self.object(value);
        let band = Band {
            min: self.required(&mut o, "min", Reader::number, 0.0),
            max: self.required(&mut o, "max", Reader::number, 0.0),
            label: self.text(&mut o, "label"),
        };
        self.finish(o);
        band
    }

    fn flag_rule(&mut self, value: Value) -> FlagRule {
        let mut o = self.object(value);
        let rule = FlagRule {
            id: self.text(&mut o, "id"),
            label: self.text(&mut o, "label"),
            severity: self.required(&mut o, "severity", Reader::severity, Severity::Info),
            when: self.required(
                &mut o,
                "when",
                Reader::condition,
                Condition::All(Vec::new()),
            ),
        };
        self.finish(o);
        rule
    }

    fn severity(&mut self, value: Value) -> Severity {
        match value.as_str() {
            Some("safety") => Severity::Safety,
            Some("exclude_pending_review") => Severity::ExcludePendingReview,
            Some("medical_clearance") => Severity::MedicalClearance,
            Some("monitor") => Severity::Monitor,
            Some("info") => Severity::Info,
            _ => {
                self.fail("unknown severity");
                Severity::Info
            }
        }
    }

    fn threshold(&mut self, value: Value) -> Threshold {
        let mut o = self.object(value);
        let threshold = Threshold {
            id: self.text(&mut o, "id"),
            label: self.text(&mut o, "label"),
            default: self.required(&mut o, "default", Reader::number, 0.0),
            min: self.required(&mut o, "min", Reader::number, 0.0),
            max: self.required(&mut o, "max", Reader::number, 0.0),
            unit: self.optional_text(&mut o, "unit"),
        };
        self.finish(o);
        threshold
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::definition::Questionnaire;

    /// A definition using every field this reader knows, each kind of item, condition,
    /// score method and severity (not necessarily a valid one: neither reader validates).
    fn every_field() -> serde_json::Value {
        let code = json!({"system": "http://loinc.org", "code": "44249-1", "display": "PHQ-9"});
        let bare_code = json!({"system": "urn:example", "code": "x"});
        let condition = json!({"all": [
           {"answer": {"item": "a", "score_at_least": 1}},
           {"any": [
               {"answer": {"item": "a", "score_above": 0.5}},
               {"answer": {"item": "a", "equals": "1"}},
               {"answer": {"item": "c", "equals": true}},
               {"answer": {"item": "f", "equals": -3}},
               {"answer": {"item": "b", "equals": ["x", "y"]}},
               {"answer": {"item": "meds", "equals": [{"name": "Xanax", "dose": 1}]}},
               {"answer": {"item": "b", "equals": []}},
               {"answer": {"item": "a", "one_of": ["0", "1"]}},
               {"answer": {"item": "b", "includes": "x"}},
               {"answer": {"item": "a", "answered": false}},
               {"answer": {"item": "a", "score_at_least": 2, "threshold": "t"}}
           ]},
           {"not": {"score": {"score": "total", "at_least": 1, "at_most": 9.5,
                              "below": 10, "threshold": "t"}}}
        ]});
        let items = json!([
            {"id": "a", "type": "single_choice", "text": "A", "help": "Hint",
             "required": true, "code": code, "options": "frequency"},
            {"id": "b", "type": "multiple_choice", "text": "B",
             "options": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}],
             "enable_when": condition},
            {"id": "c", "type": "yes_no", "text": "C", "yes_score": 1, "no_score": 0},
            {"id": "d", "type": "short_text", "text": "D", "max_length": 80},
            {"id": "e", "type": "long_text", "text": "E"},
            {"id": "f", "type": "integer", "text": "F", "min": -10, "max": 300,
             "unit": "mmHg"},
            {"id": "g", "type": "date", "text": "G"},
            {"id": "h", "type": "display", "text": "H"},
            {"id": "meds", "type": "repeating_group", "text": "Medicines",
             "max_rows": 12, "fields": [
                {"id": "name", "type": "short_text", "text": "Name"},
                {"id": "dose", "type": "integer", "text": "Dose", "min": 0}
             ]}
        ]);
        let scores = json!([
            {"id": "total", "label": "Total", "method": "sum", "items": ["a", "c"],
             "reverse": ["c"], "multiply": 4, "missing": {"prorate_up_to": 2,
             "citation": "A source"}, "bands": [{"min": 0, "max": 4, "label": "Low"},
             {"min": 4.5, "max": 27, "label": "High"}], "code": code,
             "instrument": "phq9"},
            {"id": "mean", "label": "Mean", "method": "mean", "items": ["a"]},
            {"id": "count", "label": "Count", "method": "count", "items": ["a"],
             "threshold": 1}
        ]);
        let flags = json!([
            {"id": "s", "label": "Safety", "severity": "safety",
             "when": {"answer": {"item": "a", "score_at_least": 1}}},
            {"id": "x", "label": "Exclude", "severity": "exclude_pending_review",
             "when": {"medication_class": {"item": "meds", "field": "name",
                                           "class": "maois"}}},
            {"id": "m", "label": "Clearance above {t}", "severity": "medical_clearance",
             "when": {"medication_unrecognised": {"item": "meds", "field": "name"}}},
            {"id": "o", "label": "Monitor", "severity": "monitor",
             "when": {"answer": {"item": "f", "answered": true}}},
            {"id": "i", "label": "Info", "severity": "info",
             "when": {"answer": {"item": "g", "answered": true}}}
        ]);
        json!({
            "format": "kapforms.questionnaire",
            "schema_version": 1,
            "id": "every-field",
            "version": "1.2.3",
            "title": "Every field",
            "code": code,
            "description": "What this covers.",
            "option_sets": {
                "frequency": [
                    {"value": "0", "label": "Never", "score": 0, "code": bare_code},
                    {"value": "1", "label": "Often", "score": 1.5}
                ],
                "empty": []
            },
            "sections": [
                {
                    "id": "one",
                    "title": "One",
                    "intro": "Before the items.",
                    "optional": true,
                    "restricted_text": true,
                    "items": items
                },
                {"id": "two", "title": "Two", "module": "phq9"},
                {"id": "three", "title": "Three", "items": []}
            ],
            "scores": scores,
            "flags": flags,
            "thresholds": [
                {"id": "t", "label": "Cut-off", "default": 140, "min": 100, "max": 200.5,
                 "unit": "mmHg"},
                {"id": "u", "label": "Other", "default": 1, "min": 0, "max": 2}
            ],
            "running_total": "total",
            "restricted_text": true
        })
    }

    #[test]
    fn reads_every_field_as_serde_does() {
        let text = every_field().to_string();
        let trusted = Questionnaire::parse_trusted(&text).expect("reads");
        let serde = Questionnaire::parse_unchecked(&text).expect("serde reads it too");
        assert_eq!(trusted, serde);
        // Absent optional fields and null ones read alike.
        let mut nulls = every_field();
        nulls["description"] = json!(null);
        nulls["sections"][0]["items"][0]["help"] = json!(null);
        let mut absent = every_field();
        absent
            .as_object_mut()
            .expect("object")
            .remove("description");
        absent["sections"][0]["items"][0]
            .as_object_mut()
            .expect("object")
            .remove("help");
        assert_eq!(
            Questionnaire::parse_trusted(&nulls.to_string()).expect("reads"),
            Questionnaire::parse_unchecked(&absent.to_string()).expect("reads"),
        );
    }

    /// Each case: a change to the definition, and the path and message of the problem.
    #[test]
    fn refuses_what_it_does_not_know_by_path() {
        type Change = fn(&mut serde_json::Value);
        let cases: [(Change, &str, &str); 9] = [
            (
                |d| d["sections"][0]["items"][5]["colour"] = json!("red"),
                "sections[0].items[5].colour",
                "unknown field",
            ),
            (
                |d| d["provenance"] = json!({"source": "s", "licence": "l"}),
                "provenance",
                "provenance is not read here",
            ),
            (
                |d| d["sections"][0]["items"][0]["required"] = json!("yes"),
                "sections[0].items[0].required",
                "expected true or false",
            ),
            (
                |d| {
                    d["sections"][1]
                        .as_object_mut()
                        .expect("object")
                        .remove("title");
                },
                "sections[1].title",
                "missing field",
            ),
            (
                |d| d["flags"][0]["when"] = json!({"answer": {"item": "a"}, "score": {}}),
                "flags[0].when",
                "expected an object with one field, the condition's kind",
            ),
            (
                |d| d["flags"][1]["when"] = json!({"sometimes": {}}),
                "flags[1].when.sometimes",
                "unknown kind of condition",
            ),
            (
                |d| d["scores"][1]["method"] = json!("median"),
                "scores[1].method",
                "expected sum, mean or count",
            ),
            (
                |d| d["sections"][0]["items"][2]["options"] = json!("frequency"),
                "sections[0].items[2]",
                "not a valid item of its type",
            ),
            (
                |d| d["option_sets"]["frequency"][1]["score"] = json!("high"),
                "option_sets.frequency[1].score",
                "expected a number",
            ),
        ];
        for (change, path, message) in cases {
            let mut definition = every_field();
            change(&mut definition);
            let problem =
                Questionnaire::parse_trusted(&definition.to_string()).expect_err("refused");
            assert_eq!(
                (problem.path.as_str(), problem.message.as_str()),
                (path, message)
            );
        }
        let problem = Questionnaire::parse_trusted("[1, 2").expect_err("not JSON");
        assert_eq!(problem.message, "not JSON");
    }
}
