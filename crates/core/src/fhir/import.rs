//! Import: a FHIR R4 `Questionnaire` as a definition. Three passes over the item tree: the
//! first lays out sections and gives every linkId its native id (so conditions can refer to
//! any question), the second builds the items, the third their conditions and the scores.
//! The result is validated like any definition; a problem found then is reported at the FHIR
//! path it came from. The heuristics are listed in [`crate::fhir`].

use crate::id_set::IdSet;
use litemap::LiteMap;
use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::answer::AnswerValue;
use crate::condition::Condition;
use crate::definition::{
    AnswerOption, Coding, Item, ItemKind, Options, Provenance, Questionnaire, Section, Threshold,
    DEFINITION_FORMAT, DEFINITION_SCHEMA_VERSION,
};
use crate::diagnostic::Diagnostic;
use crate::flags::FlagRule;
use crate::scoring::{item_score_range, ScoreMethod, ScoreRule};

use super::conditions::{from_enable_when, rename_items};
use super::{
    array_field, extension_bool, extension_number, extension_string, extensions, first_extension,
    join_path, loinc, parse_resource, str_field, unique, LinkIds, CALCULATED_EXPRESSION,
    CQF_EXPRESSION, DEFINITION_ID_SYSTEM, ENABLE_WHEN_EXPRESSION, HIDDEN, ITEM_CONTROL,
    ITEM_WEIGHT, KAPFORMS_ENABLE_WHEN, KAPFORMS_FLAG_RULE, KAPFORMS_HELP, KAPFORMS_NO_SCORE,
    KAPFORMS_OPTION_SET_NAME, KAPFORMS_OPTION_VALUE, KAPFORMS_PROVENANCE,
    KAPFORMS_RESTRICTED_SECTION, KAPFORMS_RESTRICTED_TEXT, KAPFORMS_RUNNING_TOTAL,
    KAPFORMS_SCORE_RULE, KAPFORMS_SECTION_ID, KAPFORMS_SECTION_INTRO, KAPFORMS_THRESHOLD,
    KAPFORMS_YES_SCORE, LOCAL_SYSTEM_PREFIX, MAX_VALUE, MIN_VALUE, ORDINAL_VALUE,
    QUESTIONNAIRE_UNIT, VARIABLE,
};

/// Longest native id, in bytes.
const MAX_ID_LENGTH: usize = 64;

/// An imported Questionnaire: the definition, where its ids came from, and what the import
/// left out or guessed.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The definition, validated.
    pub questionnaire: Questionnaire,
    /// Each native id's original linkId, and the linkIds deliberately not imported.
    pub link_ids: LinkIds,
    /// The Questionnaire's canonical `url`, if it has one.
    pub url: Option<String>,
    /// What was left out or worked out by a heuristic, at the FHIR path concerned.
    pub warnings: Vec<Diagnostic>,
}

impl Imported {
    /// Reads a `QuestionnaireResponse` to this Questionnaire back as answers by native id;
    /// see [`super::import_questionnaire_response`].
    pub fn import_response(
        &self,
        text: &str,
    ) -> Result<LiteMap<String, AnswerValue>, Vec<Diagnostic>> {
        super::import_questionnaire_response(&self.questionnaire, &self.link_ids, text)
    }
}

/// Reads a FHIR R4 `Questionnaire` (or a `Bundle` holding exactly one) as a definition.
///
/// Never panics. Every problem found is returned at its FHIR JSON path (`item[2].answerOption[0]`,
/// `entry[0].resource.item[1].enableWhen[0].question`); what was left out is listed in
/// [`Imported::warnings`]. The heuristics are documented in [`crate::fhir`].
pub fn import_questionnaire(text: &str) -> Result<Imported, Vec<Diagnostic>> {
    let (resource, prefix) = parse_resource(text, "Questionnaire")?;
    Importer::new(&resource, prefix).run()
}

/// The id spaces of a definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Space {
    Item,
    Section,
    Score,
}

/// An ancestor (or the item itself) whose enabling condition applies to an item.
#[derive(Clone)]
struct Gate<'a> {
    json: &'a Value,
    path: String,
}

/// An item found in pass 1.
struct DraftItem<'a> {
    id: String,
    json: &'a Value,
    path: String,
    /// Conditions of enclosing groups and questions, outermost first.
    gates: Vec<Gate<'a>>,
    /// A nested group's text, imported as a display item.
    header: bool,
    help: Option<String>,
}

/// A section found in pass 1.
struct DraftSection<'a> {
    id: String,
    title: String,
    path: String,
    intro: Option<String>,
    items: Vec<DraftItem<'a>>,
}

/// A calculated or total item, to become a score.
struct Total<'a> {
    json: &'a Value,
    path: String,
    link_id: String,
}

/// The import's state.
struct Importer<'a> {
    root: &'a Value,
    prefix: String,
    /// Written by kapforms: trust the kapforms extensions, use no heuristics.
    native: bool,
    restricted: bool,
    title: String,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Ids given out, by id space (one shared space unless the source is a kapforms export).
    used_ids: HashSet<(Space, String)>,
    /// Every linkId seen, to report repeats.
    seen_links: IdSet,
    /// Native id of each question's linkId.
    link_to_id: LiteMap<String, String>,
    link_ids: LinkIds,
    option_sets: LiteMap<String, Vec<AnswerOption>>,
    /// FHIR path of each option set's source, by set name.
    option_set_paths: LiteMap<String, String>,
    /// Set name of each value set read, by `contained[<index>]` or built-in name.
    value_set_keys: LiteMap<String, String>,
    /// Conditions already read, by the FHIR path of their element.
    gate_conditions: HashMap<String, Option<Condition>>,
}

impl<'a> Importer<'a> {
    fn new(root: &'a Value, prefix: String) -> Importer<'a> {
        Importer {
            root,
            prefix,
            native: false,
            restricted: false,
            title: String::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            used_ids: HashSet::new(),
            seen_links: IdSet::new(),
            link_to_id: LiteMap::new(),
            link_ids: LinkIds::default(),
            option_sets: LiteMap::new(),
            option_set_paths: LiteMap::new(),
            value_set_keys: LiteMap::new(),
            gate_conditions: HashMap::new(),
        }
    }

    fn path(&self, rest: &str) -> String {
        join_path(&self.prefix, rest)
    }

    fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Diagnostic::new(path, message));
    }

    fn warn(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Diagnostic::new(path, message));
    }

    fn run(mut self) -> Result<Imported, Vec<Diagnostic>> {
        let root = self.root;
        let native_id = array_field(root, "identifier")
            .iter()
            .find_map(|identifier| {
                (str_field(identifier, "system") == Some(DEFINITION_ID_SYSTEM))
                    .then(|| str_field(identifier, "value"))
                    .flatten()
            });
        self.native = native_id.is_some();
        self.restricted = extension_bool(root, KAPFORMS_RESTRICTED_TEXT) == Some(true);
        let url = str_field(root, "url").map(str::to_owned);
        let id = match native_id {
            Some(id) => id.to_owned(),
            None => {
                let from_url = url
                    .as_deref()
                    .and_then(|u| u.rsplit(['/', ':']).next())
                    .filter(|tail| !tail.is_empty());
                let source = [
                    str_field(root, "id"),
                    from_url,
                    str_field(root, "name"),
                    str_field(root, "title"),
                ]
                .into_iter()
                .flatten()
                .find(|s| !s.trim().is_empty())
                .unwrap_or("questionnaire");
                sanitize(source)
            }
        };
        let title = [str_field(root, "title"), str_field(root, "name")]
            .into_iter()
            .flatten()
            .find(|s| !s.trim().is_empty())
            .map_or_else(|| id.clone(), str::to_owned);
        self.title = title.clone();
        let version = str_field(root, "version")
            .filter(|v| !v.trim().is_empty())
            .unwrap_or("unversioned")
            .to_owned();

        // Pass 1: sections, ids, totals.
        let (mut sections, totals) = self.structure();
        self.find_intros(&mut sections);

        // Pass 2: items.
        let mut built: Vec<Vec<(Item, &DraftItem<'a>)>> = Vec::new();
        for section in &sections {
            let mut items = Vec::new();
            for draft in &section.items {
                if let Some(item) = self.build_item(draft) {
                    items.push((item, draft));
                }
            }
            built.push(items);
        }
        let mut questionnaire = Questionnaire {
            format: DEFINITION_FORMAT.to_owned(),
            schema_version: DEFINITION_SCHEMA_VERSION,
            id,
            version,
            title,
            code: first_coding(root),
            description: None,
            provenance: None,
            option_sets: self.option_sets.clone(),
            sections: sections
                .iter()
                .zip(&built)
                .map(|(section, items)| Section {
                    id: section.id.clone(),
                    title: section.title.clone(),
                    intro: section.intro.clone(),
                    module: None,
                    optional: false,
                    restricted_text: false,
                    items: items.iter().map(|(item, _)| item.clone()).collect(),
                })
                .collect(),
            scores: Vec::new(),
            flags: Vec::new(),
            thresholds: Vec::new(),
            running_total: None,
            restricted_text: self.restricted,
            threshold_overrides: Default::default(),
        };

        // Pass 3: conditions, scores, flags.
        let mut conditions = Vec::new();
        for items in &built {
            let mut section_conditions = Vec::new();
            for (_, draft) in items {
                section_conditions.push(self.enable_when(&questionnaire, draft));
            }
            conditions.push(section_conditions);
        }
        for (section, section_conditions) in questionnaire.sections.iter_mut().zip(conditions) {
            for (item, condition) in section.items.iter_mut().zip(section_conditions) {
                item.enable_when = condition;
            }
        }
        let (scores, score_paths) = self.scores(&questionnaire, &totals);
        questionnaire.scores = scores;
        self.root_fields(&mut questionnaire);

        // Drop sections left empty (their items were all hidden, say).
        let mut paths: Vec<(String, String)> = Vec::new();
        let mut kept = Vec::new();
        for ((section, draft), items) in questionnaire.sections.drain(..).zip(&sections).zip(&built)
        {
            if section.items.is_empty() && section.intro.is_none() {
                continue;
            }
            let index = kept.len();
            paths.push((format!("sections[{index}]"), draft.path.clone()));
            for (position, (_, item_draft)) in items.iter().enumerate() {
                paths.push((
                    format!("sections[{index}].items[{position}]"),
                    item_draft.path.clone(),
                ));
            }
            kept.push(section);
        }
        questionnaire.sections = kept;
        for (index, path) in score_paths.into_iter().enumerate() {
            paths.push((format!("scores[{index}]"), path));
        }
        for (name, path) in &self.option_set_paths {
            paths.push((format!("option_sets.{name}"), path.clone()));
        }

        sort_by_path(&mut self.warnings);
        if !self.errors.is_empty() {
            sort_by_path(&mut self.errors);
            return Err(self.errors);
        }
        let text = serde_json::to_string(&questionnaire)
            .map_err(|error| vec![Diagnostic::new(".", error.to_string())])?;
        let questionnaire = Questionnaire::from_json(&text).map_err(|error| {
            let mut problems: Vec<Diagnostic> = error
                .diagnostics()
                .into_iter()
                .map(|diagnostic| self.source_path(diagnostic, &paths))
                .collect();
            sort_by_path(&mut problems);
            problems
        })?;
        Ok(Imported {
            questionnaire,
            link_ids: self.link_ids,
            url,
            warnings: self.warnings,
        })
    }

    /// A validation problem of the built definition, at the FHIR path it came from.
    fn source_path(&self, diagnostic: Diagnostic, paths: &[(String, String)]) -> Diagnostic {
        let best = paths
            .iter()
            .filter(|(native, _)| {
                diagnostic
                    .path
                    .strip_prefix(native.as_str())
                    .is_some_and(|rest| {
                        rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')
                    })
            })
            .max_by_key(|(native, _)| native.len());
        match best {
            Some((_, fhir)) => Diagnostic::new(
                fhir.clone(),
                format!(
                    "{} (in the imported definition at {})",
                    diagnostic.message, diagnostic.path
                ),
            ),
            None => Diagnostic::new(
                if self.prefix.is_empty() {
                    ".".to_owned()
                } else {
                    self.prefix.trim_end_matches('.').to_owned()
                },
                format!(
                    "{} (in the imported definition at {})",
                    diagnostic.message, diagnostic.path
                ),
            ),
        }
    }

    /// Gives a linkId a native id made from `wanted` (a repeated linkId is an error).
    fn allocate(&mut self, link_id: &str, wanted: &str, path: &str, space: Space) -> String {
        if !self.seen_links.insert(link_id.to_owned()) {
            self.error(
                format!("{path}.linkId"),
                format!("linkId `{link_id}` is used twice"),
            );
        }
        let id = self.fresh(&sanitize(wanted), space);
        let map = match space {
            Space::Item => {
                self.link_to_id
                    .entry(link_id.to_owned())
                    .or_insert_with(|| id.clone());
                &mut self.link_ids.items
            }
            Space::Section => &mut self.link_ids.sections,
            Space::Score => &mut self.link_ids.scores,
        };
        map.insert(id.clone(), link_id.to_owned());
        id
    }

    /// An unused id made from `base`. Items, sections and scores are separate id spaces
    /// natively, but an import from elsewhere keeps them apart so every id is its own.
    fn fresh(&mut self, base: &str, space: Space) -> String {
        let space = if self.native { space } else { Space::Item };
        let id = if self.used_ids.contains(&(space, base.to_owned())) {
            let mut n = 2u32;
            loop {
                let suffix = format!("-{n}");
                let mut stem = base.to_owned();
                stem.truncate(MAX_ID_LENGTH - suffix.len());
                let candidate = stem + &suffix;
                if !self.used_ids.contains(&(space, candidate.clone())) {
                    break candidate;
                }
                n += 1;
            }
        } else {
            base.to_owned()
        };
        self.used_ids.insert((space, id.clone()));
        id
    }

    /// Pass 1 over the top level.
    fn structure(&mut self) -> (Vec<DraftSection<'a>>, Vec<Total<'a>>) {
        let root = self.root;
        let mut sections: Vec<DraftSection<'a>> = Vec::new();
        let mut totals = Vec::new();
        let mut in_default = false;
        for (index, node) in array_field(root, "item").iter().enumerate() {
            let path = self.path(&format!("item[{index}]"));
            let is_group = str_field(node, "type") == Some("group");
            if is_group && !is_hidden(node) && !self.is_total(node, "group") {
                let Some(link_id) = str_field(node, "linkId") else {
                    self.error(format!("{path}.linkId"), "missing");
                    continue;
                };
                let wanted = match extension_string(node, KAPFORMS_SECTION_ID) {
                    Some(id) if self.native => id,
                    _ => link_id,
                };
                let id = self.allocate(link_id, wanted, &path, Space::Section);
                self.warn_repeating_group(node, &path);
                let gates: Vec<Gate<'a>> = gate(node, &path).into_iter().collect();
                let mut items = Vec::new();
                for (child_index, child) in array_field(node, "item").iter().enumerate() {
                    self.walk(
                        child,
                        format!("{path}.item[{child_index}]"),
                        &gates,
                        &mut items,
                        &mut totals,
                    );
                }
                sections.push(DraftSection {
                    id,
                    title: text_of(node),
                    path,
                    intro: None,
                    items,
                });
                in_default = false;
            } else {
                if !in_default {
                    let id = self.fresh("section", Space::Section);
                    sections.push(DraftSection {
                        id,
                        title: self.title.clone(),
                        path: path.clone(),
                        intro: None,
                        items: Vec::new(),
                    });
                    in_default = true;
                }
                let mut items = Vec::new();
                self.walk(node, path, &[], &mut items, &mut totals);
                if let Some(section) = sections.last_mut() {
                    section.items.extend(items);
                }
            }
        }
        (sections, totals)
    }

    /// Pass 1 below the top level: flattens `node` and its children into `out`.
    fn walk(
        &mut self,
        node: &'a Value,
        path: String,
        gates: &[Gate<'a>],
        out: &mut Vec<DraftItem<'a>>,
        totals: &mut Vec<Total<'a>>,
    ) {
        let Some(link_id) = str_field(node, "linkId") else {
            self.error(format!("{path}.linkId"), "missing");
            return;
        };
        let Some(kind) = str_field(node, "type") else {
            self.error(format!("{path}.type"), "missing");
            return;
        };
        if self.is_total(node, kind) {
            totals.push(Total {
                json: node,
                path,
                link_id: link_id.to_owned(),
            });
            return;
        }
        if is_hidden(node) {
            self.ignore_subtree(node);
            self.warn(
                path,
                format!("hidden item `{link_id}` is left out (kapforms shows every item it has)"),
            );
            return;
        }
        let mut inner = gates.to_vec();
        if let Some(own) = gate(node, &path) {
            inner.push(own);
        }
        if kind == "group" {
            self.warn_repeating_group(node, &path);
            if !text_of(node).trim().is_empty() {
                let id = self.allocate(link_id, link_id, &path, Space::Item);
                out.push(DraftItem {
                    id,
                    json: node,
                    path: path.clone(),
                    gates: inner.clone(),
                    header: true,
                    help: None,
                });
            }
            for (index, child) in array_field(node, "item").iter().enumerate() {
                self.walk(child, format!("{path}.item[{index}]"), &inner, out, totals);
            }
            return;
        }
        let id = self.allocate(link_id, link_id, &path, Space::Item);
        let mut help: Option<String> = None;
        let mut rest = Vec::new();
        for (index, child) in array_field(node, "item").iter().enumerate() {
            if kind != "display" && is_help(child) {
                let text = text_of(child);
                help = Some(match help {
                    Some(before) => format!("{before}\n{text}"),
                    None => text,
                });
            } else {
                rest.push((index, child));
            }
        }
        out.push(DraftItem {
            id,
            json: node,
            path: path.clone(),
            gates: gates.to_vec(),
            header: false,
            help,
        });
        for (index, child) in rest {
            self.walk(child, format!("{path}.item[{index}]"), &inner, out, totals);
        }
    }

    /// A repeating group is imported once: kapforms asks each question once.
    fn warn_repeating_group(&mut self, node: &Value, path: &str) {
        if node.get("repeats").and_then(Value::as_bool) == Some(true) {
            self.warn(
                format!("{path}.repeats"),
                "a repeating group is imported once (each question is asked once)",
            );
        }
    }

    /// Marks a node and everything under it as not imported.
    fn ignore_subtree(&mut self, node: &Value) {
        if let Some(link_id) = str_field(node, "linkId") {
            self.link_ids.ignored.insert(link_id.to_owned());
        }
        for child in array_field(node, "item") {
            self.ignore_subtree(child);
        }
    }

    /// Whether a node is a total (or other calculated item) rather than a question.
    fn is_total(&self, node: &Value, kind: &str) -> bool {
        if first_extension(node, KAPFORMS_SCORE_RULE).is_some() {
            return true;
        }
        if self.native {
            return false;
        }
        let known = known_total(node).is_some();
        match kind {
            "decimal" | "integer" | "quantity" => {
                known
                    || first_extension(node, CALCULATED_EXPRESSION).is_some()
                    || first_extension(node, CQF_EXPRESSION).is_some()
            }
            "display" => known && is_hidden(node),
            _ => false,
        }
    }

    /// The first display item of each section becomes its intro: in a kapforms export when
    /// it is marked so, elsewhere when it is plain (no condition, no code).
    fn find_intros(&mut self, sections: &mut [DraftSection<'a>]) {
        for section in sections {
            let Some(first) = section.items.first() else {
                continue;
            };
            let node = first.json;
            let is_display = !first.header && str_field(node, "type") == Some("display");
            let marked = extension_bool(node, KAPFORMS_SECTION_INTRO);
            let intro = is_display
                && if self.native {
                    marked == Some(true)
                } else {
                    // An intro introduces something: a lone display stays an item.
                    section.items.len() > 1
                        && marked != Some(false)
                        && first.gates.is_empty()
                        && gate(node, "").is_none()
                        && node.get("code").is_none()
                        && !text_of(node).trim().is_empty()
                };
            if intro {
                section.intro = Some(text_of(node));
                let removed = section.items.remove(0);
                self.link_ids.items.remove(&removed.id);
            }
        }
    }

    /// Pass 2: one item, without its condition.
    fn build_item(&mut self, draft: &DraftItem<'a>) -> Option<Item> {
        let node = draft.json;
        let path = draft.path.as_str();
        let text = text_of(node);
        if draft.header {
            return Some(Item::display(draft.id.clone(), text));
        }
        let fhir_type = str_field(node, "type").unwrap_or_default();
        let repeats = node.get("repeats").and_then(Value::as_bool) == Some(true);
        let max_length = node
            .get("maxLength")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok());
        let kind = match fhir_type {
            "display" => ItemKind::Display,
            "boolean" => ItemKind::YesNo {
                yes_score: extension_number(node, KAPFORMS_YES_SCORE),
                no_score: extension_number(node, KAPFORMS_NO_SCORE),
            },
            "string" => ItemKind::ShortText { max_length },
            "text" => ItemKind::LongText { max_length },
            "integer" => ItemKind::Integer {
                min: extension_integer(node, MIN_VALUE),
                max: extension_integer(node, MAX_VALUE),
                unit: unit_of(node),
            },
            "date" => ItemKind::Date,
            "choice" | "open-choice" => {
                let options = self.options(node, path)?;
                if fhir_type == "open-choice" {
                    self.warn(
                        path,
                        "open-choice: the options are imported, the free-text answer is not",
                    );
                }
                if repeats {
                    ItemKind::MultipleChoice { options }
                } else {
                    ItemKind::SingleChoice { options }
                }
            }
            "decimal" | "quantity" => {
                self.error(
                    format!("{path}.type"),
                    format!(
                        "a `{fhir_type}` question cannot be imported: kapforms takes whole \
                         numbers only (a read-only calculated total becomes a score)"
                    ),
                );
                return None;
            }
            "dateTime" | "time" | "url" | "attachment" | "reference" => {
                self.error(
                    format!("{path}.type"),
                    format!("`{fhir_type}` questions cannot be imported"),
                );
                return None;
            }
            other => {
                self.error(
                    format!("{path}.type"),
                    format!("`{other}` is not an R4 item type"),
                );
                return None;
            }
        };
        if repeats && !matches!(fhir_type, "choice" | "open-choice") {
            self.warn(
                format!("{path}.repeats"),
                "only choice items can take several answers; imported as one answer",
            );
        }
        let required = node.get("required").and_then(Value::as_bool) == Some(true);
        if required && !kind.takes_answer() {
            self.warn(
                format!("{path}.required"),
                "a display item takes no answer; `required` is ignored",
            );
        }
        let help = match &kind {
            ItemKind::Display => extension_string(node, KAPFORMS_HELP).map(str::to_owned),
            _ => draft.help.clone(),
        };
        Some(Item {
            id: draft.id.clone(),
            text,
            help,
            required: required && kind.takes_answer(),
            enable_when: None,
            code: first_coding(node),
            kind,
            problem: None,
        })
    }

    /// A choice item's options.
    fn options(&mut self, node: &'a Value, path: &str) -> Option<Options> {
        let answer_options = array_field(node, "answerOption");
        if !answer_options.is_empty() {
            if node.get("answerValueSet").is_some() {
                self.warn(
                    format!("{path}.answerValueSet"),
                    "the item has answerOption too; answerValueSet is ignored",
                );
            }
            let mut options = Vec::new();
            for (index, option) in answer_options.iter().enumerate() {
                if let Some(option) =
                    self.answer_option(option, &format!("{path}.answerOption[{index}]"))
                {
                    options.push(option);
                }
            }
            self.tidy_options(&mut options, path);
            return Some(Options::Inline(options));
        }
        if let Some(reference) = str_field(node, "answerValueSet") {
            return self
                .value_set(reference, &format!("{path}.answerValueSet"))
                .map(Options::Set);
        }
        self.error(path, "a choice item needs answerOption or answerValueSet");
        None
    }

    /// One `answerOption`.
    fn answer_option(&mut self, option: &Value, path: &str) -> Option<AnswerOption> {
        let coding = option.get("valueCoding");
        let score = option_score(option).or_else(|| coding.and_then(option_score));
        let native = extension_string(option, KAPFORMS_OPTION_VALUE);
        if let Some(coding) = coding {
            return self.coded_option(
                str_field(coding, "system"),
                str_field(coding, "code"),
                str_field(coding, "display"),
                native,
                score,
                &format!("{path}.valueCoding"),
            );
        }
        let plain = match (option.get("valueString"), option.get("valueInteger")) {
            (Some(Value::String(text)), _) => Some(text.clone()),
            (_, Some(number)) => number.as_i64().map(|n| n.to_string()),
            _ => None,
        };
        match plain {
            Some(text) => Some(AnswerOption {
                value: native.map_or_else(|| text.clone(), str::to_owned),
                label: text,
                score,
                code: None,
            }),
            None => {
                self.error(
                    path,
                    "only valueCoding, valueString and valueInteger options can be imported",
                );
                None
            }
        }
    }

    /// An option from a coding (an answerOption's, or a ValueSet concept).
    fn coded_option(
        &mut self,
        system: Option<&str>,
        code: Option<&str>,
        display: Option<&str>,
        native: Option<&str>,
        score: Option<f64>,
        path: &str,
    ) -> Option<AnswerOption> {
        let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
            self.error(format!("{path}.code"), "a coded option needs a code");
            return None;
        };
        let label = match display.filter(|d| !d.trim().is_empty()) {
            Some(display) => display.to_owned(),
            None if self.restricted => String::new(),
            None => code.to_owned(),
        };
        let coding = system
            .filter(|s| !s.is_empty() && !s.starts_with(LOCAL_SYSTEM_PREFIX))
            .map(|system| Coding {
                system: system.to_owned(),
                code: code.to_owned(),
                display: None,
            });
        Some(AnswerOption {
            value: native.unwrap_or(code).to_owned(),
            label,
            score,
            code: coding,
        })
    }

    /// Makes option values unique, and drops scores when only some options have one.
    fn tidy_options(&mut self, options: &mut [AnswerOption], path: &str) {
        let mut seen: IdSet = IdSet::new();
        for option in options.iter_mut() {
            if seen.contains(&option.value) {
                let value = unique(&option.value, &seen);
                self.warn(
                    path,
                    format!(
                        "option code `{}` appears twice; the second is imported as `{value}`",
                        option.value
                    ),
                );
                option.value = value;
            }
            seen.insert(option.value.clone());
        }
        let scored = options.iter().filter(|o| o.score.is_some()).count();
        if scored > 0 && scored < options.len() {
            self.warn(
                path,
                "only some options carry a score (ordinalValue/itemWeight); the item is \
                 imported unscored",
            );
            for option in options.iter_mut() {
                option.score = None;
            }
        }
    }

    /// The option set an `answerValueSet` names, read once.
    fn value_set(&mut self, reference: &str, path: &str) -> Option<String> {
        let root = self.root;
        let canonical = reference.split('|').next().unwrap_or(reference);
        let contained = array_field(root, "contained")
            .iter()
            .enumerate()
            .find(|(_, resource)| {
                str_field(resource, "resourceType") == Some("ValueSet")
                    && match canonical.strip_prefix('#') {
                        Some(id) => str_field(resource, "id") == Some(id),
                        None => str_field(resource, "url") == Some(canonical),
                    }
            });
        let key = match contained {
            Some((index, _)) => format!("contained[{index}]"),
            None if loinc::is_ll358_3(canonical) => loinc::LL358_3_NAME.to_owned(),
            None => {
                self.error(
                    path,
                    format!(
                        "answerValueSet `{reference}` is not a contained ValueSet, and it \
                         cannot be expanded offline (the only external list built in is \
                         LOINC LL358-3)"
                    ),
                );
                return None;
            }
        };
        if let Some(name) = self.value_set_keys.get(&key) {
            return Some(name.clone());
        }
        let (wanted, options, source_path) = match contained {
            Some((index, set)) => {
                let set_path = self.path(&format!("contained[{index}]"));
                let wanted = extension_string(set, KAPFORMS_OPTION_SET_NAME)
                    .or_else(|| str_field(set, "id"))
                    .unwrap_or("options")
                    .to_owned();
                let options = self.read_value_set(set, &set_path)?;
                (wanted, options, set_path)
            }
            None => (
                loinc::LL358_3_NAME.to_owned(),
                loinc::ll358_3(),
                path.to_owned(),
            ),
        };
        let taken: IdSet = self.option_sets.keys().cloned().collect();
        let name = unique(&wanted, &taken);
        self.option_sets.insert(name.clone(), options);
        self.option_set_paths.insert(name.clone(), source_path);
        self.value_set_keys.insert(key, name.clone());
        Some(name)
    }

    /// The options of a contained ValueSet: its expansion, else its composition.
    fn read_value_set(&mut self, set: &Value, path: &str) -> Option<Vec<AnswerOption>> {
        let mut options = Vec::new();
        let errors_before = self.errors.len();
        if let Some(contains) = set
            .get("expansion")
            .and_then(|e| e.get("contains"))
            .and_then(Value::as_array)
        {
            self.read_contains(
                contains,
                &format!("{path}.expansion.contains"),
                &mut options,
            );
        } else if let Some(compose) = set.get("compose") {
            if compose.get("exclude").is_some() {
                self.error(
                    format!("{path}.compose.exclude"),
                    "a ValueSet with exclusions cannot be expanded offline",
                );
            }
            for (index, include) in array_field(compose, "include").iter().enumerate() {
                let include_path = format!("{path}.compose.include[{index}]");
                let concepts = array_field(include, "concept");
                if concepts.is_empty()
                    || include.get("filter").is_some()
                    || include.get("valueSet").is_some()
                {
                    self.error(
                        include_path,
                        "only an include that lists its concepts can be read offline",
                    );
                    continue;
                }
                let system = str_field(include, "system");
                for (c, concept) in concepts.iter().enumerate() {
                    if let Some(option) = self.coded_option(
                        system,
                        str_field(concept, "code"),
                        str_field(concept, "display"),
                        extension_string(concept, KAPFORMS_OPTION_VALUE),
                        option_score(concept),
                        &format!("{include_path}.concept[{c}]"),
                    ) {
                        options.push(option);
                    }
                }
            }
        } else {
            self.error(
                path,
                "the ValueSet has neither an expansion nor a compose listing its codes",
            );
        }
        if self.errors.len() > errors_before {
            return None;
        }
        if options.is_empty() {
            self.error(path, "the ValueSet lists no codes");
            return None;
        }
        self.tidy_options(&mut options, path);
        Some(options)
    }

    /// The codes of an expansion (nested `contains` flattened, abstract entries skipped).
    fn read_contains(&mut self, contains: &[Value], path: &str, out: &mut Vec<AnswerOption>) {
        for (index, entry) in contains.iter().enumerate() {
            let entry_path = format!("{path}[{index}]");
            let is_abstract = entry.get("abstract").and_then(Value::as_bool) == Some(true);
            if !is_abstract {
                if let Some(option) = self.coded_option(
                    str_field(entry, "system"),
                    str_field(entry, "code"),
                    str_field(entry, "display"),
                    extension_string(entry, KAPFORMS_OPTION_VALUE),
                    option_score(entry),
                    &entry_path,
                ) {
                    out.push(option);
                }
            }
            let nested = array_field(entry, "contains");
            if !nested.is_empty() {
                self.read_contains(nested, &format!("{entry_path}.contains"), out);
            }
        }
    }

    /// Pass 3: an item's condition, from its enclosing groups and questions and its own.
    fn enable_when(
        &mut self,
        questionnaire: &Questionnaire,
        draft: &DraftItem<'a>,
    ) -> Option<Condition> {
        let mut parts = Vec::new();
        for gate in &draft.gates {
            if let Some(condition) = self.gate_condition(questionnaire, gate.json, &gate.path) {
                parts.push(condition);
            }
        }
        if !draft.header {
            if let Some(condition) = self.gate_condition(questionnaire, draft.json, &draft.path) {
                parts.push(condition);
            }
        }
        match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Condition::All(parts)),
        }
    }

    /// The condition of one element, read once.
    fn gate_condition(
        &mut self,
        questionnaire: &Questionnaire,
        node: &Value,
        path: &str,
    ) -> Option<Condition> {
        if let Some(known) = self.gate_conditions.get(path) {
            return known.clone();
        }
        let condition = self.read_condition(questionnaire, node, path);
        self.gate_conditions
            .insert(path.to_owned(), condition.clone());
        condition
    }

    fn read_condition(
        &mut self,
        questionnaire: &Questionnaire,
        node: &Value,
        path: &str,
    ) -> Option<Condition> {
        if let Some(text) = extension_string(node, KAPFORMS_ENABLE_WHEN) {
            return match serde_json::from_str::<Condition>(text) {
                Ok(mut condition) => {
                    let links = &self.link_to_id;
                    rename_items(&mut condition, &|id| links.get(id).cloned());
                    Some(condition)
                }
                Err(error) => {
                    self.error(
                        format!("{path}.extension"),
                        format!("the kapforms enable-when extension is not a condition: {error}"),
                    );
                    None
                }
            };
        }
        if first_extension(node, ENABLE_WHEN_EXPRESSION).is_some() {
            self.error(
                path,
                "an enableWhenExpression (FHIRPath) cannot be imported: kapforms would show \
                 the item when it should be hidden",
            );
            return None;
        }
        let entries = array_field(node, "enableWhen");
        if entries.is_empty() {
            return None;
        }
        let behavior = str_field(node, "enableBehavior");
        if entries.len() > 1 && behavior.is_none() {
            self.warn(
                path,
                "several enableWhen without an enableBehavior; taken as `all`",
            );
        }
        let result = {
            let links = &self.link_to_id;
            let ignored = &self.link_ids.ignored;
            let resolve = |link: &str| {
                if ignored.contains(link) {
                    None
                } else {
                    links.get(link).cloned()
                }
            };
            from_enable_when(questionnaire, entries, behavior, path, &resolve)
        };
        match result {
            Ok(condition) => Some(condition),
            Err(problems) => {
                self.errors.extend(problems);
                None
            }
        }
    }

    /// Pass 3: the score rules, with the FHIR path of each.
    fn scores(
        &mut self,
        questionnaire: &Questionnaire,
        totals: &[Total<'a>],
    ) -> (Vec<ScoreRule>, Vec<String>) {
        let scored: Vec<&Item> = questionnaire
            .items()
            .filter(|item| {
                matches!(
                    item.kind,
                    ItemKind::SingleChoice { .. } | ItemKind::MultipleChoice { .. }
                ) && item_score_range(questionnaire, &item.id).is_some()
            })
            .collect();
        let mut rules = Vec::new();
        let mut paths = Vec::new();
        for total in totals {
            let node = total.json;
            if let Some(text) = extension_string(node, KAPFORMS_SCORE_RULE) {
                match serde_json::from_str::<ScoreRule>(text) {
                    Ok(mut rule) => {
                        let rename = |id: &mut String| {
                            if let Some(new) = self.link_to_id.get(id.as_str()) {
                                id.clone_from(new);
                            }
                        };
                        rule.items.iter_mut().for_each(rename);
                        rule.reverse.iter_mut().for_each(rename);
                        rule.id =
                            self.allocate(&total.link_id, &rule.id, &total.path, Space::Score);
                        rules.push(rule);
                        paths.push(total.path.clone());
                    }
                    Err(error) => self.error(
                        format!("{}.extension", total.path),
                        format!("the kapforms score-rule extension is not a score rule: {error}"),
                    ),
                }
                continue;
            }
            // A hidden display's text is instructions, not a name: use its code's display.
            let label = if str_field(node, "type") == Some("display") {
                first_coding(node)
                    .and_then(|coding| coding.display)
                    .unwrap_or_default()
            } else {
                text_of(node)
            };
            let known = known_total(node);
            let is_sum = known.is_some()
                || self.expression_is_sum(node)
                || mentions_total(&total.link_id)
                || mentions_total(&label);
            if !is_sum {
                self.link_ids.ignored.insert(total.link_id.clone());
                self.warn(
                    &total.path,
                    format!(
                        "calculated item `{}` is not a sum of answer scores (kapforms scores \
                         are sums, means and counts of answers); left out",
                        total.link_id
                    ),
                );
                continue;
            }
            let mut items: Vec<String> = Vec::new();
            if let Some(codes) = known {
                items = scored
                    .iter()
                    .filter(|item| {
                        item.code.as_ref().is_some_and(|code| {
                            code.system == loinc::LOINC && codes.contains(&code.code.as_str())
                        })
                    })
                    .map(|item| item.id.clone())
                    .collect();
            }
            if items.is_empty() {
                let texts = self.expression_texts(node);
                items = scored
                    .iter()
                    .filter(|item| {
                        self.link_ids.items.get(&item.id).is_some_and(|link| {
                            let quoted = format!("'{link}'");
                            texts.iter().any(|text| text.contains(&quoted))
                        })
                    })
                    .map(|item| item.id.clone())
                    .collect();
            }
            if items.is_empty() {
                items = scored.iter().map(|item| item.id.clone()).collect();
            }
            if items.is_empty() {
                self.link_ids.ignored.insert(total.link_id.clone());
                self.warn(
                    &total.path,
                    format!(
                        "total `{}` has no scored choice items to add up; left out",
                        total.link_id
                    ),
                );
                continue;
            }
            let id = self.allocate(&total.link_id, &total.link_id, &total.path, Space::Score);
            rules.push(sum_rule(
                id,
                if label.trim().is_empty() {
                    "Total score".to_owned()
                } else {
                    label
                },
                items,
                first_coding(node),
            ));
            paths.push(total.path.clone());
        }
        if totals.is_empty() && !self.native {
            let choices: Vec<&Item> = questionnaire
                .items()
                .filter(|item| {
                    matches!(
                        item.kind,
                        ItemKind::SingleChoice { .. } | ItemKind::MultipleChoice { .. }
                    )
                })
                .collect();
            if !choices.is_empty() && choices.len() == scored.len() {
                let id = self.fresh("total", Space::Score);
                self.warn(
                    self.path("item"),
                    format!(
                        "the form has no total item but every choice item carries scores; \
                         a sum score `{id}` over them was added"
                    ),
                );
                rules.push(sum_rule(
                    id,
                    "Total score".to_owned(),
                    scored.iter().map(|item| item.id.clone()).collect(),
                    None,
                ));
                paths.push(self.path("item"));
            }
        }
        (rules, paths)
    }

    /// Whether a calculated item's FHIRPath is a sum: it adds (`+`) or calls `sum(`, itself or
    /// in the variable it names.
    fn expression_is_sum(&self, node: &'a Value) -> bool {
        let is_sum = |text: &str| text.contains("sum(") || text.contains('+');
        let variables = self.variables(node);
        expressions(node).any(|(language, text)| {
            if language != Some("text/fhirpath") {
                return false;
            }
            if is_sum(text) {
                return true;
            }
            let name = text.trim().strip_prefix('%').unwrap_or_default();
            variables
                .iter()
                .any(|(variable, expression)| *variable == name && is_sum(expression))
        })
    }

    /// Every expression a calculated item depends on: its own and the variables in scope.
    fn expression_texts(&self, node: &'a Value) -> Vec<String> {
        let mut texts: Vec<String> = expressions(node).map(|(_, t)| t.to_owned()).collect();
        texts.extend(self.variables(node).into_iter().map(|(_, t)| t.to_owned()));
        texts
    }

    /// The `variable` extensions on a node and on the Questionnaire: (name, expression).
    fn variables(&self, node: &'a Value) -> Vec<(&'a str, &'a str)> {
        extensions(node, VARIABLE)
            .chain(extensions(self.root, VARIABLE))
            .filter_map(|ext| {
                let expression = ext.get("valueExpression")?;
                Some((
                    str_field(expression, "name")?,
                    str_field(expression, "expression")?,
                ))
            })
            .collect()
    }

    /// Description, provenance and flags.
    fn root_fields(&mut self, questionnaire: &mut Questionnaire) {
        let root = self.root;
        if self.native {
            questionnaire.description = str_field(root, "description").map(str::to_owned);
            questionnaire.running_total =
                extension_string(root, KAPFORMS_RUNNING_TOTAL).map(str::to_owned);
            if let Some(text) = extension_string(root, KAPFORMS_PROVENANCE) {
                match serde_json::from_str::<Provenance>(text) {
                    Ok(provenance) => questionnaire.provenance = Some(provenance),
                    Err(error) => self.error(
                        self.path("extension"),
                        format!("the kapforms provenance extension is not provenance: {error}"),
                    ),
                }
            }
            for (index, ext) in extensions(root, KAPFORMS_THRESHOLD).enumerate() {
                let text = ext
                    .get("valueString")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                match serde_json::from_str::<Threshold>(text) {
                    Ok(threshold) => questionnaire.thresholds.push(threshold),
                    Err(error) => self.error(
                        self.path("extension"),
                        format!("kapforms threshold extension {index} is not a threshold: {error}"),
                    ),
                }
            }
            for ext in extensions(root, KAPFORMS_RESTRICTED_SECTION) {
                let id = ext.get("valueString").and_then(Value::as_str);
                for section in &mut questionnaire.sections {
                    if Some(section.id.as_str()) == id {
                        section.restricted_text = true;
                    }
                }
            }
            for (index, ext) in extensions(root, KAPFORMS_FLAG_RULE).enumerate() {
                let text = ext
                    .get("valueString")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                match serde_json::from_str::<FlagRule>(text) {
                    Ok(mut flag) => {
                        let links = &self.link_to_id;
                        rename_items(&mut flag.when, &|id| links.get(id).cloned());
                        questionnaire.flags.push(flag);
                    }
                    Err(error) => self.error(
                        self.path("extension"),
                        format!("kapforms flag-rule extension {index} is not a flag rule: {error}"),
                    ),
                }
            }
            return;
        }
        if str_field(root, "description").is_some() {
            self.warn(
                self.path("description"),
                "not imported: FHIR descriptions are often written for implementers, and \
                 kapforms shows its description to patients",
            );
        }
        if let Some(copyright) = str_field(root, "copyright").filter(|c| !c.trim().is_empty()) {
            let source = match (str_field(root, "url"), str_field(root, "publisher")) {
                (Some(url), Some(publisher)) => {
                    format!("FHIR Questionnaire {url}, published by {publisher}")
                }
                (Some(url), None) => format!("FHIR Questionnaire {url}"),
                (None, Some(publisher)) => format!("FHIR Questionnaire published by {publisher}"),
                (None, None) => "FHIR Questionnaire".to_owned(),
            };
            questionnaire.provenance = Some(Provenance {
                source,
                licence: copyright.to_owned(),
                attribution: None,
                citations: Vec::new(),
                modules: Vec::new(),
            });
        }
    }
}

/// Sorts diagnostics into document order (`item[2]` before `item[10]`), stably.
fn sort_by_path(diagnostics: &mut [Diagnostic]) {
    let key = |path: &str| -> String {
        let mut out = String::with_capacity(path.len() + 16);
        let mut digits = String::new();
        for c in path.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            if !digits.is_empty() {
                out.push_str(&format!("{digits:0>10}"));
                digits.clear();
            }
            out.push(c);
        }
        if !digits.is_empty() {
            out.push_str(&format!("{digits:0>10}"));
        }
        out
    };
    diagnostics.sort_by_cached_key(|d| key(&d.path));
}

/// A sum score rule.
fn sum_rule(id: String, label: String, items: Vec<String>, code: Option<Coding>) -> ScoreRule {
    ScoreRule {
        id,
        label,
        method: ScoreMethod::Sum,
        items,
        reverse: Vec::new(),
        threshold: None,
        multiply: None,
        missing: None,
        bands: Vec::new(),
        code,
        instrument: None,
    }
}

/// A valid native id made from a linkId (see [`crate::fhir`]).
fn sanitize(link_id: &str) -> String {
    let mapped: String = link_id
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut id = mapped.trim_matches('_').to_owned();
    id.truncate(MAX_ID_LENGTH);
    if id.is_empty() {
        "item".to_owned()
    } else {
        id
    }
}

/// The enabling condition of a node, if it has one.
fn gate<'a>(node: &'a Value, path: &str) -> Option<Gate<'a>> {
    let conditional = !array_field(node, "enableWhen").is_empty()
        || first_extension(node, ENABLE_WHEN_EXPRESSION).is_some()
        || first_extension(node, KAPFORMS_ENABLE_WHEN).is_some();
    conditional.then(|| Gate {
        json: node,
        path: path.to_owned(),
    })
}

/// A node's text, or empty.
fn text_of(node: &Value) -> String {
    str_field(node, "text").unwrap_or_default().to_owned()
}

/// Whether a node carries `questionnaire-hidden: true`.
fn is_hidden(node: &Value) -> bool {
    extension_bool(node, HIDDEN) == Some(true)
}

/// Whether a node is a display item rendered as help (`itemControl` help or flyover).
fn is_help(node: &Value) -> bool {
    str_field(node, "type") == Some("display")
        && first_extension(node, ITEM_CONTROL)
            .and_then(|ext| ext.get("valueCodeableConcept"))
            .map(|concept| array_field(concept, "coding"))
            .is_some_and(|codings| {
                codings
                    .iter()
                    .any(|c| matches!(str_field(c, "code"), Some("help" | "flyover")))
            })
}

/// The first coding of `code` with a system and a code.
fn first_coding(node: &Value) -> Option<Coding> {
    array_field(node, "code").iter().find_map(|coding| {
        let system = str_field(coding, "system").filter(|s| !s.is_empty())?;
        let code = str_field(coding, "code").filter(|c| !c.is_empty())?;
        Some(Coding {
            system: system.to_owned(),
            code: code.to_owned(),
            display: str_field(coding, "display").map(str::to_owned),
        })
    })
}

/// The item codes of the LOINC total a node is coded as, if any.
fn known_total(node: &Value) -> Option<&'static [&'static str]> {
    array_field(node, "code").iter().find_map(|coding| {
        if str_field(coding, "system") != Some(loinc::LOINC) {
            return None;
        }
        loinc::total_items(str_field(coding, "code")?)
    })
}

/// Whether a linkId or label says it is a total or sum.
fn mentions_total(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("total") || lower.contains("sum")
}

/// An option's score: `ordinalValue`, else `itemWeight`.
fn option_score(element: &Value) -> Option<f64> {
    extension_number(element, ORDINAL_VALUE).or_else(|| extension_number(element, ITEM_WEIGHT))
}

/// An integer extension value.
fn extension_integer(element: &Value, url: &str) -> Option<i64> {
    first_extension(element, url)?
        .get("valueInteger")
        .and_then(Value::as_i64)
}

/// A numeric item's unit (`questionnaire-unit`: the coding's display, else its code).
fn unit_of(node: &Value) -> Option<String> {
    let coding = first_extension(node, QUESTIONNAIRE_UNIT)?.get("valueCoding")?;
    str_field(coding, "display")
        .or_else(|| str_field(coding, "code"))
        .filter(|unit| !unit.trim().is_empty())
        .map(str::to_owned)
}

/// The calculation expressions of a node: (language, expression).
fn expressions(node: &Value) -> impl Iterator<Item = (Option<&str>, &str)> {
    extensions(node, CALCULATED_EXPRESSION)
        .chain(extensions(node, CQF_EXPRESSION))
        .filter_map(|ext| {
            let expression = ext.get("valueExpression")?;
            Some((
                str_field(expression, "language"),
                str_field(expression, "expression")?,
            ))
        })
}
