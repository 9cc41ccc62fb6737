//! The clinician's review of stored responses, as data (no yew here): each response read (the
//! native format, or a FHIR QuestionnaireResponse written by kapforms), matched to its
//! definition and re-scored by [`kapforms_core::verify`]; then what the results page shows,
//! in its order: flags by severity with the answers that raised them and the citations of
//! their rules, scores with their bands, trends over time, and every answer. The yew view
//! ([`crate::ResultsView`]) and the CLI's HTML report draw this; neither scores anything.
//!
//! A response is re-scored with the definition of its instrument id: a clinic's own
//! definition when the host gave one, else the built-in. When the response's content hash is
//! not that definition's (another version, or edited content), it is still re-scored, and the
//! view says so; with no definition of that id it is shown as stored and marked unchecked.

use kapforms_core::IdSet;
use kapforms_core::LiteMap;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use kapforms_core::definition::{Citation, Provenance};
use kapforms_core::evaluation::Setting;
use kapforms_core::fhir::LinkIds;
use kapforms_core::scoring::{Band, ScoreRule};
use kapforms_core::wire::{WireFlag, WireScore};
use kapforms_core::{
    verify, AnswerValue, Evaluation, Item, Mismatch, Questionnaire, Response, Severity, Status,
    Timestamps, Verification,
};
use serde_json::Value;

/// Instruments whose responses the results page summarises under "Motivation and readiness"
/// rather than among the symptom scales (besides a clinic's own definitions, which are
/// summarised there too).
pub const READINESS_INSTRUMENTS: [&str; 3] = ["readiness", "readiness-ruler", "motivation"];

/// One response as given to the view: where it came from (a file name, "host") and its JSON
/// text (one response, or an array of responses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseInput {
    /// Where the response came from, as the clinician would recognise it.
    pub source: String,
    /// The JSON text.
    pub text: String,
}

/// The definitions a review can re-score with.
pub struct Definitions<'a> {
    /// Definitions the host passed in (a clinic's own forms); they win over built-ins.
    pub clinic: &'a [Arc<Questionnaire>],
    /// The built-in definition of an instrument id, if there is one.
    pub built_in: &'a dyn Fn(&str) -> Option<Questionnaire>,
}

/// The format a response was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The native response format, version 1.
    Native,
    /// A FHIR R4 QuestionnaireResponse (it carries the definition's version but no content
    /// hash, and no flags: those are recomputed).
    Fhir,
}

/// How the definition used for re-scoring relates to the one the response was made with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefinitionMatch {
    /// The same definition (same content hash, or for FHIR the same version).
    Same,
    /// A definition of the same id but other content: the response was made with another
    /// version (or an edited copy), and re-scoring may legitimately differ.
    Different,
    /// No definition of this id is known: the response is shown as stored, unchecked.
    Unknown,
}

/// One response, read and re-scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviewed {
    /// Where it came from.
    pub source: String,
    /// The format it was read from.
    pub origin: Origin,
    /// The response as stored (for FHIR: its answers, with the totals it carried).
    pub stored: Response,
    /// The definition it was re-scored with, if any.
    pub definition: Option<Arc<Questionnaire>>,
    /// Whether that definition is the one the response was made with.
    pub matched: DefinitionMatch,
    /// Core's re-scoring, when there is a definition.
    pub verification: Option<Verification>,
    /// Whether the definition is a clinic's own (given by the host) rather than a built-in.
    pub clinic_definition: bool,
    /// Ids of the items shown to the patient, worked out from the answers.
    pub visible: IdSet,
}

/// A file or response that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Where it came from.
    pub source: String,
    /// What is wrong with it.
    pub message: String,
}

/// Every response of one patient, oldest first, and what could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Review {
    /// The responses read, oldest first.
    pub responses: Vec<Reviewed>,
    /// The inputs that could not be read.
    pub unreadable: Vec<Unreadable>,
}

/// A raised flag with the response it was raised in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlagEntry<'a> {
    /// The response.
    pub response: &'a Reviewed,
    /// The flag (recomputed from the answers when the definition is known).
    pub flag: &'a WireFlag,
}

/// One score's values over time, for a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// A stable key: `<instrument id>/<score id>`.
    pub key: String,
    /// The score's label.
    pub label: String,
    /// Lowest possible value.
    pub min: f64,
    /// Highest possible value.
    pub max: f64,
    /// The score's bands, ascending (may be empty).
    pub bands: Vec<Band>,
    /// One point per response, in date order.
    pub points: Vec<TrendPoint>,
}

/// One response's value on a trend.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// The response's timestamp as stored.
    pub when: String,
    /// The same as days since 1970-01-01 (UTC), for the axis.
    pub day: f64,
    /// The recomputed value.
    pub value: f64,
    /// Its band label, if the score has bands.
    pub band: Option<String>,
    /// Whether the stored value differs from the recomputed one.
    pub mismatch: bool,
}

impl Review {
    /// Reads, matches and re-scores every input. Never panics: an input that cannot be read
    /// is listed in [`Review::unreadable`] with the reason.
    pub fn new(inputs: &[ResponseInput], definitions: &Definitions<'_>) -> Review {
        let mut cache: HashMap<String, Option<(Arc<Questionnaire>, bool)>> = HashMap::new();
        let mut lookup = |id: &str| -> Option<(Arc<Questionnaire>, bool)> {
            cache
                .entry(id.to_owned())
                .or_insert_with(|| {
                    if let Some(clinic) = definitions.clinic.iter().find(|q| q.id == id) {
                        return Some((clinic.clone(), true));
                    }
                    (definitions.built_in)(id).map(|q| (Arc::new(q), false))
                })
                .clone()
        };
        let mut review = Review::default();
        for input in inputs {
            let value: Value = match serde_json::from_str(&input.text) {
                Ok(value) => value,
                Err(error) => {
                    review.unreadable.push(Unreadable {
                        source: input.source.clone(),
                        message: format!("not JSON: {error}"),
                    });
                    continue;
                }
            };
            let documents: Vec<(String, Value)> = match value {
                Value::Array(list) if list.len() == 1 => {
                    vec![(
                        input.source.clone(),
                        list.into_iter().next().unwrap_or_default(),
                    )]
                }
                Value::Array(list) => list
                    .into_iter()
                    .enumerate()
                    .map(|(index, value)| (format!("{} [{}]", input.source, index + 1), value))
                    .collect(),
                value => vec![(input.source.clone(), value)],
            };
            for (source, value) in documents {
                match read(&source, &value, &mut lookup) {
                    Ok(reviewed) => review.responses.push(reviewed),
                    Err(message) => review.unreadable.push(Unreadable { source, message }),
                }
            }
        }
        insertion_sort(&mut review.responses, |a, b| {
            a.day()
                .total_cmp(&b.day())
                .then(a.when().cmp(b.when()))
                .is_lt()
        });
        review
    }

    /// Whether nothing at all was given.
    pub fn is_empty(&self) -> bool {
        self.responses.is_empty() && self.unreadable.is_empty()
    }

    /// The flags of the given severities over every response: most severe first, then the
    /// newest response first.
    pub fn flags(&self, severities: &[Severity]) -> Vec<FlagEntry<'_>> {
        let mut entries: Vec<FlagEntry<'_>> = self
            .responses
            .iter()
            .rev()
            .flat_map(|response| {
                response
                    .flags()
                    .iter()
                    .filter(|flag| severities.contains(&flag.severity))
                    .map(move |flag| FlagEntry { response, flag })
            })
            .collect();
        insertion_sort(&mut entries, |a, b| a.flag.severity < b.flag.severity);
        entries
    }

    /// Responses whose scores disagree with their answers, or whose definition is unknown or
    /// different: what the page must say first.
    pub fn needs_attention(&self) -> impl DoubleEndedIterator<Item = &Reviewed> {
        self.responses
            .iter()
            .filter(|r| r.has_mismatches() || r.matched != DefinitionMatch::Same)
    }

    /// One trend per score that several responses share: each instrument's first score,
    /// complete, from responses whose definition is known.
    pub fn trends(&self) -> Vec<Trend> {
        let mut trends: Vec<Trend> = Vec::new();
        for response in &self.responses {
            let (Some(definition), Some(verification)) =
                (&response.definition, &response.verification)
            else {
                continue;
            };
            let mut seen_instruments: HashSet<&str> = HashSet::new();
            for score in &verification.recomputed.scores {
                let instrument = score
                    .instrument
                    .split('@')
                    .next()
                    .unwrap_or(&score.instrument);
                if !seen_instruments.insert(instrument) || !score.complete {
                    continue;
                }
                let Some(day) = day_number(response.when()) else {
                    continue;
                };
                let local_id = score.id.rsplit('.').next().unwrap_or(&score.id);
                let key = format!("{instrument}/{local_id}");
                let rule = definition.scores.iter().find(|rule| rule.id == score.id);
                let point = TrendPoint {
                    when: response.when().to_owned(),
                    day,
                    value: score.value,
                    band: score.band.clone(),
                    mismatch: response
                        .stored_score(&score.id)
                        .is_none_or(|stored| stored.value != score.value),
                };
                match trends.iter_mut().find(|trend| trend.key == key) {
                    Some(trend) => trend.points.push(point),
                    None => trends.push(Trend {
                        key,
                        label: score.label.clone(),
                        min: score.min,
                        max: score.max,
                        bands: rule.map(|rule| rule.bands.clone()).unwrap_or_default(),
                        points: vec![point],
                    }),
                }
            }
        }
        trends.retain(|trend| trend.points.len() >= 2);
        for trend in &mut trends {
            insertion_sort(&mut trend.points, |a, b| a.day < b.day);
        }
        trends
    }

    /// The definitions used, once each: `(id, version, content hash, title)`.
    pub fn instruments(&self) -> Vec<(String, String, String, String)> {
        let mut seen = Vec::new();
        for response in &self.responses {
            let entry = match &response.definition {
                Some(q) => (
                    q.id.clone(),
                    q.version.clone(),
                    q.content_hash(),
                    q.title.clone(),
                ),
                None => (
                    response.stored.instrument.id.clone(),
                    response.stored.instrument.version.clone(),
                    response.stored.instrument.content_hash.clone(),
                    response.stored.instrument.id.clone(),
                ),
            };
            if !seen.contains(&entry) {
                seen.push(entry);
            }
        }
        seen
    }
}

impl Reviewed {
    /// When the response was completed (else last changed), as stored.
    pub fn when(&self) -> &str {
        self.stored
            .completed_at
            .as_deref()
            .unwrap_or(&self.stored.updated_at)
    }

    /// [`Reviewed::when`] as days since 1970-01-01 (UTC); unreadable dates sort first.
    pub fn day(&self) -> f64 {
        day_number(self.when()).unwrap_or(f64::NEG_INFINITY)
    }

    /// The definition's title, else the instrument id.
    pub fn title(&self) -> &str {
        self.definition
            .as_ref()
            .map_or(&self.stored.instrument.id, |q| &q.title)
    }

    /// The scores to show: recomputed when the definition is known, else as stored.
    pub fn scores(&self) -> &[WireScore] {
        match &self.verification {
            Some(verification) => &verification.recomputed.scores,
            None => &self.stored.scores,
        }
    }

    /// The flags to show: recomputed when the definition is known, else as stored.
    pub fn flags(&self) -> &[WireFlag] {
        match &self.verification {
            Some(verification) => &verification.recomputed.flags,
            None => &self.stored.flags,
        }
    }

    /// Every disagreement between the stored response and its re-scoring.
    pub fn mismatches(&self) -> &[Mismatch] {
        self.verification
            .as_ref()
            .map_or(&[], |verification| &verification.mismatches)
    }

    /// Whether stored scores, bands or flags disagree with the answers.
    pub fn has_mismatches(&self) -> bool {
        !self.mismatches().is_empty()
    }

    /// The stored score with this id, if the response had one.
    pub fn stored_score(&self, id: &str) -> Option<&WireScore> {
        self.stored.scores.iter().find(|score| score.id == id)
    }

    /// The definition's rule of a score.
    pub fn score_rule(&self, id: &str) -> Option<&ScoreRule> {
        self.definition
            .as_ref()?
            .scores
            .iter()
            .find(|rule| rule.id == id)
    }

    /// Whether the page summarises this response under "Motivation and readiness".
    pub fn is_readiness(&self) -> bool {
        self.clinic_definition
            || READINESS_INSTRUMENTS.contains(&self.stored.instrument.id.as_str())
    }

    /// The items a flag tested, each with its answer (`None`: not answered). Items the
    /// definition does not have (or with no definition) are left out.
    pub fn flag_items(&self, flag: &WireFlag) -> Vec<(&Item, Option<&AnswerValue>)> {
        let Some(definition) = &self.definition else {
            return Vec::new();
        };
        flag.items
            .iter()
            .filter_map(|id| definition.item(id))
            .filter(|item| item.kind.takes_answer())
            .map(|item| (item, self.answer(&item.id)))
            .collect()
    }

    /// The scores a flag's rule tests (recomputed).
    pub fn flag_scores(&self, flag: &WireFlag) -> Vec<&WireScore> {
        let Some(rule) = self
            .definition
            .as_ref()
            .and_then(|q| q.flags.iter().find(|rule| rule.id == flag.id))
        else {
            return Vec::new();
        };
        let tested = rule.when.referenced_scores();
        self.scores()
            .iter()
            .filter(|score| tested.contains(&score.id.as_str()))
            .collect()
    }

    /// The patient's answer to an item, if given.
    pub fn answer(&self, id: &str) -> Option<&AnswerValue> {
        self.stored
            .answers
            .get(id)
            .filter(|value| !value.is_empty())
    }

    /// The citations that support a flag rule (see [`citations_for`]).
    pub fn flag_citations(&self, id: &str) -> Vec<&Citation> {
        self.definition
            .as_ref()
            .map_or_else(Vec::new, |q| citations_for(q, id, Cited::Flag))
    }

    /// The citations that support a score rule and its bands (see [`citations_for`]).
    pub fn score_citations(&self, id: &str) -> Vec<&Citation> {
        self.definition
            .as_ref()
            .map_or_else(Vec::new, |q| citations_for(q, id, Cited::Score))
    }
}

/// What a citation is looked up for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cited {
    /// A flag rule.
    Flag,
    /// A score rule (its items, range and bands).
    Score,
}

/// The citations of a definition's provenance that support the flag or score `id`.
///
/// Citations say what they support in words (`supports`), so the match is by those words: a
/// citation that names the rule's id supports it; failing that, for a flag, the citations
/// about flags that name no other flag (PHQ-9's "safety flag: …"), and for a score, the
/// citations that are not about flags. A rule of an embedded instrument (id
/// `<section>.<id>`) is looked up in that instrument's own provenance.
pub fn citations_for<'q>(
    questionnaire: &'q Questionnaire,
    id: &str,
    cited: Cited,
) -> Vec<&'q Citation> {
    let Some(provenance) = &questionnaire.provenance else {
        return Vec::new();
    };
    let (provenance, local_id, prefix) = match id.split_once('.') {
        Some((section, local)) => match provenance
            .modules
            .iter()
            .find(|module| module.section == section)
        {
            Some(module) => (&*module.provenance, local, format!("{section}.")),
            None => (provenance, id, String::new()),
        },
        None => (provenance, id, String::new()),
    };
    let flag_ids: Vec<&str> = questionnaire
        .flags
        .iter()
        .filter_map(|rule| rule.id.strip_prefix(prefix.as_str()))
        .collect();
    cited_in(provenance, local_id, cited, &flag_ids)
}

fn cited_in<'p>(
    provenance: &'p Provenance,
    id: &str,
    cited: Cited,
    flag_ids: &[&str],
) -> Vec<&'p Citation> {
    let named: Vec<&Citation> = provenance
        .citations
        .iter()
        .filter(|citation| names(&citation.supports, id))
        .collect();
    if !named.is_empty() {
        return named;
    }
    let about_flags = |citation: &Citation| {
        names(&citation.supports.to_lowercase(), "flag")
            || names(&citation.supports.to_lowercase(), "flags")
    };
    let names_a_flag =
        |citation: &Citation| flag_ids.iter().any(|flag| names(&citation.supports, flag));
    provenance
        .citations
        .iter()
        .filter(|citation| match cited {
            Cited::Flag => about_flags(citation) && !names_a_flag(citation),
            Cited::Score => !about_flags(citation) && !names_a_flag(citation),
        })
        .collect()
}

/// Whether `text` contains `word` as a whole word (ids count `_` and `-` as word characters).
fn names(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// Finds the definition of an instrument id, and whether it is a clinic's own.
type Lookup<'a> = dyn FnMut(&str) -> Option<(Arc<Questionnaire>, bool)> + 'a;

/// Reads one response document, native or FHIR, and re-scores it.
fn read(source: &str, value: &Value, lookup: &mut Lookup<'_>) -> Result<Reviewed, String> {
    let text = value.to_string();
    match value.get("resourceType").and_then(Value::as_str) {
        Some("QuestionnaireResponse" | "Bundle") => read_fhir(source, value, &text, lookup),
        Some(other) => Err(format!(
            "a FHIR {other}, not a QuestionnaireResponse or a kapforms response"
        )),
        None => {
            let stored = Response::from_json(&text)
                .map_err(|problem| format!("not a kapforms response: {problem}"))?;
            Ok(reviewed(source, Origin::Native, stored, lookup))
        }
    }
}

/// Re-scores a native response with the definition of its instrument, if known.
fn reviewed(source: &str, origin: Origin, stored: Response, lookup: &mut Lookup<'_>) -> Reviewed {
    let found = lookup(&stored.instrument.id);
    let (definition, clinic_definition) = match found {
        Some((definition, clinic)) => (Some(definition), clinic),
        None => (None, false),
    };
    let verification = definition.as_ref().map(|q| verify(q, &stored));
    let matched = match (&verification, origin) {
        (None, _) => DefinitionMatch::Unknown,
        (Some(v), Origin::Native) if v.content_hash_matches => DefinitionMatch::Same,
        (Some(_), Origin::Fhir)
            if definition
                .as_ref()
                .is_some_and(|q| q.version == stored.instrument.version) =>
        {
            DefinitionMatch::Same
        }
        (Some(_), _) => DefinitionMatch::Different,
    };
    let visible = definition.as_ref().map_or_else(
        || stored.answers.keys().cloned().collect(),
        // What the patient was shown: with the sections the response says were withheld.
        |q| Evaluation::with(q, &stored.answers, Setting::recorded_in(&stored)).visible,
    );
    Reviewed {
        source: source.to_owned(),
        origin,
        stored,
        definition,
        matched,
        verification,
        clinic_definition,
        visible,
    }
}

/// Reads a FHIR QuestionnaireResponse that kapforms wrote: the Questionnaire it names
/// (`<canonical>|<version>`, the id at the end of the canonical), its answers read back by
/// core against that definition, and the totals it carried taken as its stored scores.
fn read_fhir(
    source: &str,
    value: &Value,
    text: &str,
    lookup: &mut Lookup<'_>,
) -> Result<Reviewed, String> {
    let resource = if value.get("resourceType").and_then(Value::as_str) == Some("Bundle") {
        let found: Vec<&Value> = value
            .get("entry")
            .and_then(Value::as_array)
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|entry| entry.get("resource"))
                    .filter(|r| {
                        r.get("resourceType").and_then(Value::as_str)
                            == Some("QuestionnaireResponse")
                    })
                    .collect()
            })
            .unwrap_or_default();
        match found.as_slice() {
            [one] => *one,
            _ => return Err("a FHIR Bundle without exactly one QuestionnaireResponse".to_owned()),
        }
    } else {
        value
    };
    let canonical = resource
        .get("questionnaire")
        .and_then(Value::as_str)
        .ok_or("a FHIR QuestionnaireResponse that names no Questionnaire")?;
    let (url, version) = canonical.split_once('|').unwrap_or((canonical, ""));
    let id = url.rsplit([':', '/']).next().unwrap_or(url);
    let (definition, _) = lookup(id).ok_or_else(|| {
        format!(
            "a FHIR QuestionnaireResponse of “{canonical}”, a definition that is not known \
             here: its answers cannot be read"
        )
    })?;
    let answers =
        kapforms_core::fhir::import_questionnaire_response(&definition, &LinkIds::default(), text)
            .map_err(|problems| {
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                format!("FHIR answers that do not fit “{id}”: {}", lines.join("; "))
            })?;
    let status = match resource.get("status").and_then(Value::as_str) {
        Some("completed" | "amended") => Status::Completed,
        _ => Status::InProgress,
    };
    let authored = resource
        .get("authored")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    // A licensed section the answers fill was asked (the clinic supplied its wording).
    let mut setting = Setting::of(&definition);
    setting.withheld.retain(|withheld| {
        !definition
            .sections
            .iter()
            .filter(|section| &section.id == withheld)
            .flat_map(|section| section.items.iter())
            .any(|item| answers.contains_key(&item.id))
    });
    let evaluation = Evaluation::with(&definition, &answers, setting);
    let mut stored = Response::build(
        &definition,
        &answers,
        &evaluation,
        status,
        Timestamps {
            started_at: None,
            updated_at: authored.clone(),
            completed_at: (status == Status::Completed).then_some(authored),
        },
    );
    let mut totals = LiteMap::new();
    collect_totals(resource, &mut totals);
    for score in &mut stored.scores {
        let carried = totals
            .get(&score.id)
            .or_else(|| totals.get(&format!("{}.score", score.id)));
        if let Some(&value) = carried {
            if value != score.value {
                score.value = value;
                score.band = definition
                    .scores
                    .iter()
                    .find(|rule| rule.id == score.id)
                    .and_then(|rule| rule.band_of(value))
                    .map(|band| band.label.clone());
            }
        }
    }
    if !version.is_empty() && version != definition.version {
        stored.instrument.version = version.to_owned();
    }
    Ok(reviewed(source, Origin::Fhir, stored, lookup))
}

/// The decimal or integer answers of every item, by linkId (the totals among them are the
/// scores the resource carried).
fn collect_totals(node: &Value, totals: &mut LiteMap<String, f64>) {
    for item in node
        .get("item")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let link = item.get("linkId").and_then(Value::as_str);
        let first = item
            .get("answer")
            .and_then(Value::as_array)
            .and_then(|answers| answers.first());
        if let (Some(link), Some(answer)) = (link, first) {
            if let Some(number) = answer
                .get("valueDecimal")
                .or_else(|| answer.get("valueInteger"))
                .and_then(Value::as_f64)
            {
                totals.insert(link.to_owned(), number);
            }
        }
        collect_totals(item, totals);
    }
}

/// A stable sort for the short lists of one patient's responses: much less WebAssembly than
/// the standard library's sort, instantiated once per element type.
fn insertion_sort<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for end in 1..items.len() {
        let mut at = end;
        while at > 0 && less(&items[at], &items[at - 1]) {
            items.swap(at, at - 1);
            at -= 1;
        }
    }
}

/// An RFC 3339 timestamp (or a plain `YYYY-MM-DD` date) as days since 1970-01-01 in UTC,
/// with the time of day as the fraction.
pub fn day_number(timestamp: &str) -> Option<f64> {
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = timestamp.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let mut minutes = 0;
    if timestamp.len() >= 16 && matches!(timestamp.as_bytes()[10], b'T' | b't' | b' ') {
        minutes = digits(11..13)? * 60 + digits(14..16)?;
        let zone = timestamp[16..]
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '.');
        if let Some(sign) = zone.chars().next().filter(|c| *c == '+' || *c == '-') {
            let hours: i64 = zone.get(1..3)?.parse().ok()?;
            let mins: i64 = zone.get(4..6).and_then(|m| m.parse().ok()).unwrap_or(0);
            let offset = hours * 60 + mins;
            minutes -= if sign == '+' { offset } else { -offset };
        }
    }
    #[allow(clippy::cast_precision_loss)]
    Some(days as f64 + minutes as f64 / 1440.0)
}

/// A timestamp for people: `2026-11-10 10:18 UTC`, or the date alone.
pub fn when_text(timestamp: &str) -> String {
    let date = timestamp.get(..10).unwrap_or(timestamp);
    match timestamp.get(11..16) {
        Some(time) if timestamp.ends_with('Z') || timestamp.ends_with("+00:00") => {
            format!("{date} {time} UTC")
        }
        Some(time) => format!(
            "{date} {time} {}",
            timestamp.get(16..).map_or("", |z| z
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '.'))
        ),
        None => date.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_epoch_with_the_time_as_fraction() {
        assert_eq!(day_number("1970-01-01"), Some(0.0));
        assert_eq!(day_number("2000-03-01"), Some(11_017.0));
        assert_eq!(day_number("1970-01-02T12:00:00Z"), Some(1.5));
        assert_eq!(day_number("1970-01-02T12:00:00.000+12:00"), Some(1.0));
        assert_eq!(day_number("not a date"), None);
    }

    #[test]
    fn the_sort_is_stable() {
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        insertion_sort(&mut items, |a, b| a.0 < b.0);
        assert_eq!(items, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
    }

    #[test]
    fn whole_words_only() {
        assert!(names("flag phq2_positive: a total", "phq2_positive"));
        assert!(!names("flag phq2_positive_x", "phq2_positive"));
        assert!(names("safety flag: any answer", "flag"));
        assert!(!names("flagged", "flag"));
    }

    #[test]
    fn timestamps_read_as_dates_and_times() {
        assert_eq!(
            when_text("2026-11-10T10:18:30.000Z"),
            "2026-11-10 10:18 UTC"
        );
        assert_eq!(when_text("2026-11-10"), "2026-11-10");
    }
}
