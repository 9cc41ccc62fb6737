//! Modules: a questionnaire may embed another instrument as a section
//! (`{"id": "mood", "title": "...", "module": "phq9"}`), scored as that instrument. Reading the
//! definition splices the instrument in: its sections become sections of this questionnaire,
//! and every id it declares or refers to (items, option sets, scores, flags) is prefixed with
//! the section's id and a dot (`mood.phq9_1`, `mood.phq9_total`), so one instrument can be
//! embedded twice and never clashes with the host's own ids. The module's wording is kept
//! verbatim; the section's own title heads its first section and the section's own intro, if
//! any, is shown before the module's questions. Its provenance travels in
//! `provenance.modules`, and its scores record the instrument and version they belong to; its
//! configurable thresholds come along, prefixed like everything else. A module section marked
//! `"optional": true` splices the instrument's questions in as not required. A skeleton
//! (`restricted_text`) embedded as a module does not make its host a skeleton: its sections
//! are marked `restricted_text` and withheld until the clinic's text pack supplies their
//! wording (see [`crate::definition::Questionnaire::withheld_sections`]).
//!
//! Core does not know the built-in instruments: the caller passes a resolver (the
//! instruments crate resolves built-in ids). A module that embeds itself, directly or through
//! others, is refused.

use litemap::LiteMap;

use crate::condition::Condition;
use crate::definition::{
    Item, ItemKind, ModuleProvenance, Options, Provenance, Questionnaire, Section,
};
use crate::diagnostic::Diagnostic;

/// Finds the definition of an instrument by id, as read but not yet expanded
/// ([`Questionnaire::parse_unchecked`]): expansion then follows its own modules with the same
/// resolver, which is how a module that embeds itself is caught.
pub type Resolver<'a> = &'a dyn Fn(&str) -> Option<Questionnaire>;

/// Expands every module section of `questionnaire`. `chain` holds the instruments being
/// expanded above this one (to refuse cycles).
pub fn expand(
    questionnaire: &mut Questionnaire,
    resolve: Resolver<'_>,
    chain: &mut Vec<String>,
) -> Result<(), Vec<Diagnostic>> {
    if !questionnaire.sections.iter().any(|s| s.module.is_some()) {
        return Ok(());
    }
    chain.push(questionnaire.id.clone());
    let mut problems = Vec::new();
    let mut sections = Vec::with_capacity(questionnaire.sections.len());
    for (index, section) in std::mem::take(&mut questionnaire.sections)
        .into_iter()
        .enumerate()
    {
        let Some(module_id) = section.module.clone() else {
            sections.push(section);
            continue;
        };
        let path = format!("sections[{index}].module");
        if !section.items.is_empty() {
            problems.push(Diagnostic::new(
                format!("sections[{index}].items"),
                "a module section takes no items of its own",
            ));
            continue;
        }
        if chain.contains(&module_id) {
            problems.push(Diagnostic::new(
                path,
                format!(
                    "module `{module_id}` embeds itself (through {})",
                    chain.join(" → ")
                ),
            ));
            continue;
        }
        let Some(mut module) = resolve(&module_id) else {
            problems.push(Diagnostic::new(
                path,
                format!("no instrument is called `{module_id}`"),
            ));
            continue;
        };
        if let Err(inner) = expand(&mut module, resolve, chain) {
            problems.extend(
                inner.into_iter().map(|d| {
                    Diagnostic::new(path.clone(), format!("in module `{module_id}`: {d}"))
                }),
            );
            continue;
        }
        splice(questionnaire, &section, module, &mut sections);
    }
    chain.pop();
    questionnaire.sections = sections;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Adds `module`'s sections, scores, flags and option sets to `host`, prefixed.
fn splice(
    host: &mut Questionnaire,
    section: &Section,
    module: Questionnaire,
    out: &mut Vec<Section>,
) {
    let prefix = format!("{}.", section.id);
    let name = |id: &str| format!("{prefix}{id}");
    let instrument = format!("{}@{}", module.id, module.version);
    for (set, options) in &module.option_sets {
        host.option_sets.insert(name(set), options.clone());
    }
    for (position, module_section) in module.sections.iter().enumerate() {
        let mut items: Vec<Item> = Vec::new();
        if position == 0 {
            if let Some(intro) = &section.intro {
                items.push(Item::display(name("intro"), intro.clone()));
            }
        }
        items.extend(module_section.items.iter().map(|item| {
            let mut item = rename_item(item, &name);
            if section.optional {
                item.required = false;
            }
            item
        }));
        out.push(Section {
            id: name(&module_section.id),
            title: if position == 0 {
                section.title.clone()
            } else {
                module_section.title.clone()
            },
            intro: module_section.intro.clone(),
            module: None,
            optional: false,
            // A skeleton's wording is the clinic's to supply: its sections are withheld until
            // it does, rather than holding back the whole host questionnaire.
            restricted_text: module.restricted_text || module_section.restricted_text,
            items,
        });
    }
    for threshold in &module.thresholds {
        let mut threshold = threshold.clone();
        threshold.id = name(&threshold.id);
        threshold.label = format!("{} ({})", threshold.label, section.title);
        host.thresholds.push(threshold);
    }
    for score in &module.scores {
        let mut score = score.clone();
        score.id = name(&score.id);
        score.items = score.items.iter().map(|id| name(id)).collect();
        score.reverse = score.reverse.iter().map(|id| name(id)).collect();
        score.label = format!("{} ({})", score.label, section.title);
        score.instrument.get_or_insert_with(|| instrument.clone());
        host.scores.push(score);
    }
    for flag in &module.flags {
        let mut flag = flag.clone();
        flag.id = name(&flag.id);
        flag.when = rename_condition(&flag.when, &name);
        flag.label = crate::placeholders::fill(&flag.label, &|placeholder| {
            module
                .thresholds
                .iter()
                .any(|threshold| threshold.id == placeholder)
                .then(|| format!("{{{}}}", name(placeholder)))
        });
        host.flags.push(flag);
    }
    if let Some(provenance) = module.provenance {
        host.provenance
            .get_or_insert_with(|| Provenance {
                source: String::new(),
                licence: String::new(),
                attribution: None,
                citations: Vec::new(),
                modules: Vec::new(),
            })
            .modules
            .push(ModuleProvenance {
                section: section.id.clone(),
                instrument,
                provenance: Box::new(provenance),
            });
    }
}

fn rename_item(item: &Item, name: &dyn Fn(&str) -> String) -> Item {
    let mut item = item.clone();
    item.id = name(&item.id);
    item.enable_when = item.enable_when.as_ref().map(|c| rename_condition(c, name));
    match &mut item.kind {
        ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options } => {
            if let Options::Set(set) = options {
                *set = name(set);
            }
        }
        ItemKind::RepeatingGroup { fields, .. } => {
            // Field ids are local to the group; only their option sets move.
            for field in fields {
                if let ItemKind::SingleChoice {
                    options: Options::Set(set),
                }
                | ItemKind::MultipleChoice {
                    options: Options::Set(set),
                } = &mut field.kind
                {
                    *set = name(set);
                }
            }
        }
        _ => {}
    }
    item
}

fn rename_condition(condition: &Condition, name: &dyn Fn(&str) -> String) -> Condition {
    match condition {
        Condition::All(inner) => {
            Condition::All(inner.iter().map(|c| rename_condition(c, name)).collect())
        }
        Condition::Any(inner) => {
            Condition::Any(inner.iter().map(|c| rename_condition(c, name)).collect())
        }
        Condition::Not(inner) => Condition::Not(Box::new(rename_condition(inner, name))),
        Condition::Answer(test) => {
            let mut test = test.clone();
            test.item = name(&test.item);
            test.threshold = test.threshold.as_deref().map(name);
            Condition::Answer(test)
        }
        Condition::Score(test) => {
            let mut test = test.clone();
            test.score = name(&test.score);
            test.threshold = test.threshold.as_deref().map(name);
            Condition::Score(test)
        }
        Condition::MedicationClass(test) => {
            let mut test = test.clone();
            test.item = name(&test.item);
            Condition::MedicationClass(test)
        }
        Condition::MedicationUnrecognised(test) => {
            let mut test = test.clone();
            test.item = name(&test.item);
            Condition::MedicationUnrecognised(test)
        }
    }
}

/// Built-in-free resolution: no module resolves.
pub fn no_modules(_: &str) -> Option<Questionnaire> {
    None
}

/// The ids of every module a definition names, for tools that list dependencies.
pub fn module_ids(questionnaire: &Questionnaire) -> LiteMap<String, String> {
    questionnaire
        .sections
        .iter()
        .filter_map(|s| s.module.clone().map(|m| (s.id.clone(), m)))
        .collect()
}
