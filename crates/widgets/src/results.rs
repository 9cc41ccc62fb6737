//! [`ResultsView`]: the clinician's summary of one patient's responses, drawn from a
//! [`Review`] (core's re-scoring of each response). The page order is the issue's: what to
//! check first (scores that do not match the answers, unknown or different definitions,
//! unreadable files), safety and exclusion flags, then medical clearance and monitoring flags
//! with the answers that raised them and the citations of their rules, scale scores with
//! their bands and ranges, trends over time, motivation and readiness, and every answer by
//! section. The same component renders in the `<kap-results>` element and, on the server
//! side, in the CLI's self-contained HTML report. It shows; it never scores.

use kapforms_core::LiteMap;
use std::rc::Rc;

use kapforms_core::definition::Citation;
use kapforms_core::wire::WireScore;
use kapforms_core::{AnswerValue, Item, ItemKind, Severity, Status};
use yew::prelude::*;

use crate::answer_text::{answer_text, is_declined};
use crate::results_text::ResultsTexts;
use crate::review::{when_text, DefinitionMatch, FlagEntry, Origin, Review, Reviewed};
use crate::trend::trend_chart;

/// A review shared with the view, compared by identity (a new review is a new page).
#[derive(Debug, Clone)]
pub struct SharedReview(pub Rc<Review>);

impl PartialEq for SharedReview {
    fn eq(&self, other: &SharedReview) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Identifying fields of the patient, as the host passed them; shown in the header (and so
/// on the printed summary). The widget never asks for them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patient {
    /// The patient's name.
    pub name: Option<String>,
    /// The date of birth, as the host writes it.
    pub date_of_birth: Option<String>,
    /// The clinic's identifier for the patient.
    pub id: Option<String>,
}

/// Properties of [`ResultsView`].
#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The responses, read and re-scored.
    pub review: SharedReview,
    /// Who the responses belong to.
    #[prop_or_default]
    pub patient: Patient,
    /// The date the summary is prepared (`YYYY-MM-DD`), from the host's clock.
    #[prop_or_default]
    pub prepared_on: AttrValue,
    /// The interface strings.
    #[prop_or_default]
    pub texts: ResultsTexts,
}

/// The clinician's results page.
#[function_component(ResultsView)]
pub fn results_view(props: &ResultsProps) -> Html {
    let review = &*props.review.0;
    let texts = &props.texts;
    let urgent = review.flags(&[Severity::Safety, Severity::ExcludePendingReview]);
    let clearance = review.flags(&[Severity::MedicalClearance, Severity::Monitor]);
    let info = review.flags(&[Severity::Info]);
    html! {
        <div class="kf-root kr-root" data-results="">
            { header(review, &props.patient, &props.prepared_on, texts) }
            if review.is_empty() {
                <p class="kr-empty" data-empty="">{ texts.empty }</p>
            } else {
                { flag_section("urgent", texts.urgent_heading, &urgent, texts, true) }
                { flag_section("clearance", texts.review_heading, &clearance, texts, true) }
                { flag_section("info", texts.info_heading, &info, texts, false) }
                { attention(review, texts) }
                { scores_section(review, texts) }
                { trends_section(review, texts) }
                { readiness_section(review, texts) }
                { answers_section(review, texts) }
                { inventory(review, texts) }
            }
        </div>
    }
}

/// The heading, the patient, the date, and (when something needs checking) a short banner
/// naming it; the details follow the flags.
fn header(review: &Review, patient: &Patient, prepared_on: &str, texts: &ResultsTexts) -> Html {
    let field = |class: &'static str, label: &'static str, value: Option<&str>| {
        value.filter(|v| !v.trim().is_empty()).map(|value| {
            html! {
                <div class={classes!("kr-field", class)}>
                    <dt>{ label }</dt>
                    <dd>{ value.to_owned() }</dd>
                </div>
            }
        })
    };
    let mut problems: Vec<String> = review
        .needs_attention()
        .rev()
        .map(|response| {
            let (_, check) = check_mark(response, texts);
            format!("{check}: {}", response_heading(response))
        })
        .collect();
    problems.extend(
        review
            .unreadable
            .iter()
            .map(|unreadable| format!("{}: {}", texts.unreadable_title, unreadable.source)),
    );
    html! {
        <header class="kr-header">
            <h1 class="kf-title">{ texts.title }</h1>
            <dl class="kr-patient" data-patient="">
                { for field("kr-name", texts.patient_name, patient.name.as_deref()) }
                { for field("kr-dob", texts.date_of_birth, patient.date_of_birth.as_deref()) }
                { for field("kr-id", texts.patient_id, patient.id.as_deref()) }
                { for field("kr-prepared", texts.prepared, Some(prepared_on)) }
            </dl>
            if !problems.is_empty() {
                <div class="kr-banner" role="alert" data-banner="">
                    <strong>{ texts.attention_heading }</strong>
                    <ul>{ for problems.into_iter().map(|line| html! { <li>{ line }</li> }) }</ul>
                    <p class="kr-note">{ texts.banner_more }</p>
                </div>
            }
        </header>
    }
}

/// Every response with its instrument, version and check, newest first.
fn inventory(review: &Review, texts: &ResultsTexts) -> Html {
    if review.responses.is_empty() {
        return Html::default();
    }
    let rows = review.responses.iter().rev().map(|response| {
        let instrument = &response.stored.instrument;
        let (check_class, check) = check_mark(response, texts);
        html! {
            <tr data-response={response.source.clone()}>
                <td>{ when_text(response.when()) }</td>
                <td>
                    { response.title().to_owned() }
                    <span class="kr-version">{ format!(" {} {}", instrument.id, instrument.version) }</span>
                </td>
                <td>{ status_text(response, texts) }</td>
                <td class={check_class}>{ check }</td>
                <td class="kr-source">{ response.source.clone() }</td>
            </tr>
        }
    });
    html! {
        <section class="kr-section kr-inventory" data-section="inventory" aria-labelledby="kr-inventory-heading">
            <h2 id="kr-inventory-heading">{ texts.responses_heading }</h2>
            { scrolling_table(texts.responses_heading, html! {
                <table class="kr-table kr-responses">
                    <thead>
                        <tr>
                            <th scope="col">{ texts.col_date }</th>
                            <th scope="col">{ texts.col_instrument }</th>
                            <th scope="col">{ texts.col_status }</th>
                            <th scope="col">{ texts.col_check }</th>
                            <th scope="col">{ texts.col_source }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }) }
        </section>
    }
}

/// A table in its own horizontally scrolling box, so a table wider than a narrow screen never
/// makes the page scroll sideways (WCAG 1.4.10). The box is in the tab order, labelled, so
/// keyboard users can reach it and scroll it with the arrow keys (WCAG 2.1.1).
pub(crate) fn scrolling_table(label: &str, table: Html) -> Html {
    html! {
        <div class="kr-table-scroll" tabindex="0" role="region" aria-label={label.to_owned()}>
            { table }
        </div>
    }
}

/// The integrity mark of a response: its class and words.
fn check_mark(response: &Reviewed, texts: &ResultsTexts) -> (&'static str, &'static str) {
    if response.has_mismatches() {
        ("kr-check kr-check-bad", texts.mismatch_title)
    } else {
        match response.matched {
            DefinitionMatch::Unknown => ("kr-check kr-check-bad", texts.unknown_title),
            DefinitionMatch::Different => ("kr-check kr-check-warn", texts.different_title),
            DefinitionMatch::Same => ("kr-check kr-check-ok", texts.verified),
        }
    }
}

fn status_text(response: &Reviewed, texts: &ResultsTexts) -> &'static str {
    match response.stored.status {
        Status::Completed => texts.completed,
        Status::InProgress => texts.in_progress,
    }
}

/// A response's name in a list: title and date.
fn response_heading(response: &Reviewed) -> String {
    format!("{} · {}", response.title(), when_text(response.when()))
}

/// What must be checked before the results are relied on.
fn attention(review: &Review, texts: &ResultsTexts) -> Html {
    let mut alerts: Vec<Html> = Vec::new();
    for response in review.needs_attention() {
        let instrument = &response.stored.instrument;
        if response.has_mismatches() {
            let mismatches = response
                .mismatches()
                .iter()
                .map(|m| html! { <li>{ m.to_string() }</li> });
            alerts.push(html! {
                <div class="kr-alert kr-alert-bad" data-integrity="mismatch"
                    data-response={response.source.clone()}>
                    <h3>{ texts.mismatch_title }</h3>
                    <p class="kr-meta">{ response_heading(response) }{ " · " }{ response.source.clone() }</p>
                    <p>{ texts.mismatch_body }</p>
                    <ul>{ for mismatches }</ul>
                </div>
            });
        }
        match response.matched {
            DefinitionMatch::Same => {}
            DefinitionMatch::Different => {
                let stored = if instrument.content_hash.is_empty() {
                    texts.version.replace("{version}", &instrument.version)
                } else {
                    format!(
                        "{}, {}",
                        texts.version.replace("{version}", &instrument.version),
                        instrument.content_hash
                    )
                };
                let used = response
                    .definition
                    .as_ref()
                    .map_or_else(String::new, |q| q.version.clone());
                alerts.push(html! {
                    <div class="kr-alert kr-alert-warn" data-integrity="different-definition"
                        data-response={response.source.clone()}>
                        <h3>{ texts.different_title }</h3>
                        <p class="kr-meta">{ response_heading(response) }{ " · " }{ response.source.clone() }</p>
                        <p>{ texts.different_body.replace("{id}", &instrument.id)
                            .replace("{stored}", &stored).replace("{used}", &used) }</p>
                    </div>
                });
            }
            DefinitionMatch::Unknown => alerts.push(html! {
                <div class="kr-alert kr-alert-bad" data-integrity="unknown-definition"
                    data-response={response.source.clone()}>
                    <h3>{ texts.unknown_title }</h3>
                    <p class="kr-meta">{ response_heading(response) }{ " · " }{ response.source.clone() }</p>
                    <p>{ texts.unknown_body.replace("{id}", &instrument.id)
                        .replace("{version}", &instrument.version) }</p>
                </div>
            }),
        }
    }
    for unreadable in &review.unreadable {
        alerts.push(html! {
            <div class="kr-alert kr-alert-bad" data-integrity="unreadable"
                data-response={unreadable.source.clone()}>
                <h3>{ texts.unreadable_title }{ ": " }{ unreadable.source.clone() }</h3>
                <p>{ unreadable.message.clone() }</p>
            </div>
        });
    }
    if alerts.is_empty() {
        return Html::default();
    }
    html! {
        <section class="kr-section kr-attention" data-section="attention"
            aria-labelledby="kr-attention-heading">
            <h2 id="kr-attention-heading">{ texts.attention_heading }</h2>
            { for alerts }
        </section>
    }
}

/// A group of flags, or "None raised." when `always` and there are none.
fn flag_section(
    key: &'static str,
    heading: &'static str,
    entries: &[FlagEntry<'_>],
    texts: &ResultsTexts,
    always: bool,
) -> Html {
    if entries.is_empty() && !always {
        return Html::default();
    }
    let heading_id = format!("kr-{key}-heading");
    html! {
        <section class={classes!("kr-section", "kr-flags", format!("kr-flags-{key}"))}
            data-section={format!("{key}-flags")} aria-labelledby={heading_id.clone()}>
            <h2 id={heading_id}>{ heading }</h2>
            if entries.is_empty() {
                <p class="kr-none">{ texts.none_raised }</p>
            }
            { for entries.iter().map(|entry| flag_card(entry, texts)) }
        </section>
    }
}

fn flag_card(entry: &FlagEntry<'_>, texts: &ResultsTexts) -> Html {
    let response = entry.response;
    let flag = entry.flag;
    let severity = flag.severity.as_str();
    let answers = response.flag_items(flag);
    let scores = response.flag_scores(flag);
    let citations = response.flag_citations(&flag.id);
    let answer_lines = answers
        .iter()
        .map(|(item, value)| answer_line(response, item, *value, texts));
    let score_lines = scores.iter().map(|score| {
        html! { <li>{ format!("{}: {}", score.label, score_value(score)) }</li> }
    });
    html! {
        <article class={classes!("kr-flag", format!("kr-sev-{severity}"))}
            data-flag={flag.id.clone()} data-severity={severity}
            data-response={response.source.clone()}>
            <h3 class="kr-flag-title">
                <span class={classes!("kr-badge", format!("kr-badge-{severity}"))}>
                    { texts.severity(flag.severity) }
                </span>
                { " " }{ flag.label.clone() }
            </h3>
            <p class="kr-meta">
                { response_heading(response) }
                if response.verification.is_none() {
                    { " · " }<span class="kr-unchecked">{ texts.as_stored }</span>
                }
            </p>
            <dl class="kr-flag-details">
                if !answers.is_empty() {
                    <dt>{ texts.raised_by }</dt>
                    <dd><ul class="kr-raised">{ for answer_lines }</ul></dd>
                }
                if !scores.is_empty() {
                    <dt>{ texts.scores_tested }</dt>
                    <dd><ul>{ for score_lines }</ul></dd>
                }
                if !flag.details.is_empty() {
                    <dt>{ texts.found }</dt>
                    <dd>{ flag.details.join(", ") }</dd>
                }
                if !citations.is_empty() {
                    <dt>{ texts.rule_source }</dt>
                    <dd>{ citation_list(&citations) }</dd>
                }
            </dl>
        </article>
    }
}

/// One question and its answer, for a flag.
fn answer_line(
    response: &Reviewed,
    item: &Item,
    value: Option<&AnswerValue>,
    texts: &ResultsTexts,
) -> Html {
    html! {
        <li data-item={item.id.clone()}>
            <span class="kr-question">{ question_text(item) }</span>
            { ": " }
            { answer_cell(response, item, value, texts) }
        </li>
    }
}

/// An item's question, or its id when the wording is missing (a skeleton).
fn question_text(item: &Item) -> String {
    if item.text.trim().is_empty() {
        item.id.clone()
    } else {
        item.text.clone()
    }
}

/// An answer as shown: the answer (rows of a repeating group as a list), "Not answered", or
/// marked "Prefer not to say".
fn answer_cell(
    response: &Reviewed,
    item: &Item,
    value: Option<&AnswerValue>,
    texts: &ResultsTexts,
) -> Html {
    let Some(definition) = &response.definition else {
        return Html::default();
    };
    match (value, &item.kind) {
        (None, _) => {
            html! { <span class="kr-unanswered" data-unanswered="">{ texts.not_answered }</span> }
        }
        (Some(AnswerValue::Rows(rows)), ItemKind::RepeatingGroup { fields, .. }) => {
            let rows = rows.iter().filter(|row| !row.is_empty()).map(|row| {
                let parts: Vec<String> = fields
                    .iter()
                    .filter_map(|field| {
                        let value = row.get(&field.id).filter(|v| !v.is_empty())?;
                        Some(format!(
                            "{}: {}",
                            question_text(field),
                            answer_text(definition, field, value, &texts.form)
                        ))
                    })
                    .collect();
                html! { <li>{ parts.join("; ") }</li> }
            });
            html! { <ol class="kr-rows">{ for rows }</ol> }
        }
        (Some(value), _) if is_declined(definition, item, value) => html! {
            <span class="kr-declined" data-declined="">{ answer_text(definition, item, value, &texts.form) }</span>
        },
        (Some(value), _) => html! {
            <span class="kr-answer-text">{ answer_text(definition, item, value, &texts.form) }</span>
        },
    }
}

/// Citations as a list: the reference, then what it supports.
fn citation_list(citations: &[&Citation]) -> Html {
    let items = citations.iter().map(|citation| {
        html! {
            <li>
                <span class="kr-reference">{ citation.reference.clone() }</span>
                <span class="kr-supports">{ format!(" ({})", citation.supports) }</span>
            </li>
        }
    });
    html! { <ul class="kr-citations">{ for items }</ul> }
}

/// `15 (Moderately severe)`: the value and its band.
fn score_value(score: &WireScore) -> String {
    let value = kapforms_core::number::display(score.value);
    let band = score
        .band
        .as_ref()
        .map_or_else(String::new, |band| format!(" ({band})"));
    format!("{value}{band}")
}

/// The scale scores, one table per instrument with its responses newest first; each score
/// with its band, its range, the rule's bands and the citations behind them.
fn scores_section(review: &Review, texts: &ResultsTexts) -> Html {
    let scored: Vec<&Reviewed> = review
        .responses
        .iter()
        .rev()
        .filter(|response| !response.is_readiness() && !response.scores().is_empty())
        .collect();
    let mut instruments: Vec<&str> = Vec::new();
    for response in &scored {
        if !instruments.contains(&response.stored.instrument.id.as_str()) {
            instruments.push(&response.stored.instrument.id);
        }
    }
    if instruments.is_empty() {
        return Html::default();
    }
    let groups = instruments.iter().map(|id| {
        let responses: Vec<&Reviewed> = scored
            .iter()
            .copied()
            .filter(|response| response.stored.instrument.id == *id)
            .collect();
        instrument_scores(&responses, texts)
    });
    html! {
        <section class="kr-section kr-scores" data-section="scores" aria-labelledby="kr-scores-heading">
            <h2 id="kr-scores-heading">{ texts.scores_heading }</h2>
            { for groups }
        </section>
    }
}

/// One instrument's scores over its responses (newest first).
fn instrument_scores(responses: &[&Reviewed], texts: &ResultsTexts) -> Html {
    let Some(newest) = responses.first() else {
        return Html::default();
    };
    let mut citations: Vec<&Citation> = Vec::new();
    let mut rows: Vec<Html> = Vec::new();
    for response in responses {
        let (check_class, check) = check_mark(response, texts);
        for (index, score) in response.scores().iter().enumerate() {
            for citation in response.score_citations(&score.id) {
                if !citations.contains(&citation) {
                    citations.push(citation);
                }
            }
            let stored = response
                .stored_score(&score.id)
                .filter(|stored| {
                    response.verification.is_some()
                        && (stored.value != score.value || stored.band != score.band)
                })
                .map(|stored| texts.stored_as.replace("{stored}", &score_value(stored)));
            let note = if !score.available {
                Some(texts.not_available.to_owned())
            } else if !score.complete {
                Some(
                    texts
                        .incomplete
                        .replace("{answered}", &score.answered.to_string())
                        .replace("{counted}", &score.counted.to_string()),
                )
            } else if score.prorated {
                Some(texts.prorated.to_owned())
            } else {
                None
            };
            let first = index == 0;
            rows.push(html! {
                <tr data-response={response.source.clone()} data-score={score.id.clone()}
                    class={classes!(first.then_some("kr-row-first"), stored.is_some().then_some("kr-row-mismatch"))}>
                    <td>{ if first { when_text(response.when()) } else { String::new() } }</td>
                    <th scope="row">{ score.label.clone() }</th>
                    <td class="kr-value">
                        if score.available {
                            <strong>{ kapforms_core::number::display(score.value) }</strong>
                        }
                        if let Some(stored) = stored {
                            <span class="kr-stored">{ stored }</span>
                        }
                        if let Some(note) = note {
                            <span class="kr-note">{ note }</span>
                        }
                    </td>
                    <td>{ score.band.clone().unwrap_or_else(|| texts.no_band.to_owned()) }</td>
                    <td>{ format!("{}–{}", kapforms_core::number::display(score.min),
                        kapforms_core::number::display(score.max)) }</td>
                    <td class={check_class}>{ if first { check } else { "" } }</td>
                </tr>
            });
        }
    }
    let band_lines = newest.definition.iter().flat_map(|definition| {
        definition
            .scores
            .iter()
            .filter(|rule| !rule.bands.is_empty())
            .map(|rule| {
                let bands: Vec<String> = rule
                    .bands
                    .iter()
                    .map(|band| {
                        format!(
                            "{} {}–{}",
                            band.label,
                            kapforms_core::number::display(band.min),
                            kapforms_core::number::display(band.max)
                        )
                    })
                    .collect();
                html! { <li>{ format!("{}: {}", rule.label, bands.join(" · ")) }</li> }
            })
    });
    let band_lines: Vec<Html> = band_lines.collect();
    let instrument = &newest.stored.instrument;
    html! {
        <div class="kr-group" data-instrument={instrument.id.clone()}>
            <h3>{ newest.title().to_owned() }</h3>
            if responses.iter().any(|response| response.origin == Origin::Fhir) {
                <p class="kr-note">{ texts.fhir_note }</p>
            }
            { scrolling_table(newest.title(), html! {
                <table class="kr-table kr-score-table">
                    <thead>
                        <tr>
                            <th scope="col">{ texts.col_date }</th>
                            <th scope="col">{ texts.col_score }</th>
                            <th scope="col">{ texts.col_value }</th>
                            <th scope="col">{ texts.col_band }</th>
                            <th scope="col">{ texts.col_range }</th>
                            <th scope="col">{ texts.col_check }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }) }
            if !band_lines.is_empty() {
                <span class="kr-label">{ texts.col_bands }</span>
                <ul class="kr-bands">{ for band_lines }</ul>
            }
            if !citations.is_empty() {
                <span class="kr-label">{ texts.rule_source }</span>
                { citation_list(&citations) }
            }
        </div>
    }
}

fn trends_section(review: &Review, texts: &ResultsTexts) -> Html {
    let trends = review.trends();
    if trends.is_empty() {
        return Html::default();
    }
    html! {
        <section class="kr-section kr-trends" data-section="trends" aria-labelledby="kr-trends-heading">
            <h2 id="kr-trends-heading">{ texts.trends_heading }</h2>
            { for trends.iter().enumerate().map(|(index, trend)| trend_chart(trend, index, texts)) }
        </section>
    }
}

fn readiness_section(review: &Review, texts: &ResultsTexts) -> Html {
    let groups: Vec<Html> = review
        .responses
        .iter()
        .rev()
        .filter(|response| response.is_readiness())
        .map(|response| {
            let scores = response.scores().iter().map(|score| {
                html! {
                    <li data-score={score.id.clone()}>
                        { format!("{}: ", score.label) }
                        <strong>{ kapforms_core::number::display(score.value) }</strong>
                        { format!(" {} {}", texts.of, kapforms_core::number::display(score.max)) }
                    </li>
                }
            });
            let gaps = response.flags().iter().map(|flag| {
                let severity = flag.severity.as_str();
                let answers = response.flag_items(flag);
                html! {
                    <li data-flag={flag.id.clone()}>
                        <span class={classes!("kr-badge", format!("kr-badge-{severity}"))}>
                            { texts.severity(flag.severity) }
                        </span>
                        { " " }{ flag.label.clone() }
                        if !answers.is_empty() {
                            <ul class="kr-raised">
                                { for answers.iter().map(|(item, value)| answer_line(response, item, *value, texts)) }
                            </ul>
                        }
                    </li>
                }
            });
            html! {
                <div class="kr-group" data-response={response.source.clone()}
                    data-instrument={response.stored.instrument.id.clone()}>
                    <h3>{ response_heading(response) }</h3>
                    if !response.scores().is_empty() {
                        <ul class="kr-rulers">{ for scores }</ul>
                    }
                    <p class="kr-label">{ texts.gaps }</p>
                    if response.flags().is_empty() {
                        <p class="kr-none">{ texts.no_gaps }</p>
                    } else {
                        <ul class="kr-gaps">{ for gaps }</ul>
                    }
                </div>
            }
        })
        .collect();
    if groups.is_empty() {
        return Html::default();
    }
    html! {
        <section class="kr-section kr-readiness" data-section="readiness" aria-labelledby="kr-readiness-heading">
            <h2 id="kr-readiness-heading">{ texts.readiness_heading }</h2>
            { for groups }
        </section>
    }
}

fn answers_section(review: &Review, texts: &ResultsTexts) -> Html {
    let groups = review.responses.iter().rev().map(|response| {
        let flagged: Vec<&str> = response
            .flags()
            .iter()
            .flat_map(|flag| flag.items.iter().map(String::as_str))
            .collect();
        let body = match &response.definition {
            Some(definition) => {
                let sections = definition.sections.iter().filter_map(|section| {
                    let rows: Vec<Html> = section
                        .items
                        .iter()
                        .filter(|item| item.kind.takes_answer() && response.visible.contains(&item.id))
                        .map(|item| {
                            let value = response.answer(&item.id);
                            let declined = value.is_some_and(|v| is_declined(definition, item, v));
                            let raised = flagged.contains(&item.id.as_str());
                            html! {
                                <div class={classes!("kr-answer-row", value.is_none().then_some("kr-row-unanswered"),
                                        declined.then_some("kr-row-declined"), raised.then_some("kr-row-flagged"))}
                                    data-item={item.id.clone()} data-flagged={raised.then_some("")}>
                                    <dt>{ question_text(item) }</dt>
                                    <dd>{ answer_cell(response, item, value, texts) }</dd>
                                </div>
                            }
                        })
                        .collect();
                    (!rows.is_empty()).then(|| html! {
                        <div class="kr-answer-section">
                            <h4>{ section.title.clone() }</h4>
                            <dl class="kr-answers">{ for rows }</dl>
                        </div>
                    })
                });
                html! { <>{ for sections }</> }
            }
            None => {
                let raw: LiteMap<&String, String> = response
                    .stored
                    .answers
                    .iter()
                    .map(|(id, value)| (id, serde_json::to_string(value).unwrap_or_default()))
                    .collect();
                let rows = raw.into_iter().map(|(id, value)| html! {
                    <div class="kr-answer-row" data-item={id.clone()}>
                        <dt>{ id.clone() }</dt>
                        <dd>{ value }</dd>
                    </div>
                });
                html! { <dl class="kr-answers">{ for rows }</dl> }
            }
        };
        html! {
            <div class="kr-group" data-response={response.source.clone()}
                data-instrument={response.stored.instrument.id.clone()}>
                <h3>{ response_heading(response) }</h3>
                { body }
            </div>
        }
    });
    html! {
        <section class="kr-section kr-all-answers" data-section="answers" aria-labelledby="kr-answers-heading">
            <h2 id="kr-answers-heading">{ texts.answers_heading }</h2>
            { for groups }
        </section>
    }
}
