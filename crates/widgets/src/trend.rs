//! A score's trend over time as an SVG line chart, drawn here (it is small): dates along the
//! x axis, the score up the y axis over its whole possible range, the rule's severity bands
//! shaded behind, one point per response in date order, and the same values as a table for
//! anyone who cannot see the chart. The chart is an image with a title and a description
//! (`role="img"`); colours come from classes in the stylesheet, so no inline style is needed
//! under a strict Content-Security-Policy.

use yew::prelude::*;

use crate::results::scrolling_table;
use crate::results_text::ResultsTexts;
use crate::review::{when_text, Trend};

/// The chart's drawing area, in SVG user units.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = WIDTH - 118.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = HEIGHT - 36.0;
/// The least room between two date labels.
const LABEL_ROOM: f64 = 84.0;

/// A coordinate as written in the SVG: whole units are precise enough.
fn at(value: f64) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let rounded = value.round() as i64;
    rounded.to_string()
}

/// A value for people: `27`, `1.5`.
fn number(value: f64) -> String {
    kapforms_core::number::display(value)
}

/// Draws one trend; `index` makes its element ids unique on the page.
pub fn trend_chart(trend: &Trend, index: usize, texts: &ResultsTexts) -> Html {
    let id = format!("kr-trend-{index}");
    let (first_day, last_day) = match (trend.points.first(), trend.points.last()) {
        (Some(first), Some(last)) => (first.day, last.day),
        _ => return Html::default(),
    };
    let pad = ((last_day - first_day) * 0.06).max(1.0);
    let (from, to) = (first_day - pad, last_day + pad);
    let x = |day: f64| LEFT + (day - from) / (to - from) * (RIGHT - LEFT);
    let span = trend.max - trend.min;
    let y = |value: f64| {
        if span > 0.0 {
            BOTTOM - (value - trend.min) / span * (BOTTOM - TOP)
        } else {
            (TOP + BOTTOM) / 2.0
        }
    };
    let clamp = |value: f64| value.clamp(trend.min, trend.max);

    let bands = trend.bands.iter().enumerate().map(|(i, band)| {
        let lower = match i.checked_sub(1).and_then(|p| trend.bands.get(p)) {
            Some(previous) => (previous.max + band.min) / 2.0,
            None => band.min,
        };
        let upper = match trend.bands.get(i + 1) {
            Some(next) => (band.max + next.min) / 2.0,
            None => band.max,
        };
        let (top, bottom) = (y(clamp(upper)), y(clamp(lower)));
        html! {
            <g class={format!("kr-band kr-band-{}", i.min(5))}>
                <rect x={at(LEFT)} y={at(top)} width={at(RIGHT - LEFT)} height={at(bottom - top)} />
                <text class="kr-band-label" x={at(RIGHT + 6.0)} y={at((top + bottom) / 2.0 + 4.0)}>
                    { &band.label }</text>
            </g>
        }
    });

    let mut ticks: Vec<f64> = trend.bands.iter().map(|band| band.min).collect();
    if ticks.is_empty() {
        ticks = vec![trend.min, (trend.min + trend.max) / 2.0];
    }
    ticks.push(trend.max);
    ticks.dedup();
    let y_ticks = ticks.iter().map(|value| {
        html! {
            <g class="kr-tick">
                <line x1={at(LEFT - 4.0)} x2={at(RIGHT)} y1={at(y(*value))} y2={at(y(*value))} />
                <text x={at(LEFT - 8.0)} y={at(y(*value) + 4.0)} text-anchor="end">{ number(*value) }</text>
            </g>
        }
    });

    let mut last_label = f64::NEG_INFINITY;
    let x_labels: Vec<Html> = trend
        .points
        .iter()
        .filter_map(|point| {
            let px = x(point.day);
            if px - last_label < LABEL_ROOM {
                return None;
            }
            last_label = px;
            let date = point.when.get(..10).unwrap_or(&point.when).to_owned();
            Some(html! {
                <text class="kr-date" x={at(px)} y={at(BOTTOM + 20.0)} text-anchor="middle">{ date }</text>
            })
        })
        .collect();

    let line: Vec<String> = trend
        .points
        .iter()
        .map(|point| format!("{},{}", at(x(point.day)), at(y(clamp(point.value)))))
        .collect();
    let points = trend.points.iter().map(|point| {
        let label = match &point.band {
            Some(band) => format!(
                "{}: {} ({band})",
                when_text(&point.when),
                number(point.value)
            ),
            None => format!("{}: {}", when_text(&point.when), number(point.value)),
        };
        let class = if point.mismatch {
            "kr-point kr-point-mismatch"
        } else {
            "kr-point"
        };
        html! {
            <circle class={class} cx={at(x(point.day))} cy={at(y(clamp(point.value)))} r="5"
                data-date={point.when.clone()} data-value={number(point.value)}>
                <title>{ label }</title>
            </circle>
        }
    });

    let values: Vec<String> = trend
        .points
        .iter()
        .map(|point| number(point.value))
        .collect();
    let date = |day: &str| day.get(..10).unwrap_or(day).to_owned();
    let description = texts
        .trend_desc
        .replace("{label}", &trend.label)
        .replace(
            "{from}",
            &date(trend.points.first().map_or("", |p| &p.when)),
        )
        .replace("{to}", &date(trend.points.last().map_or("", |p| &p.when)))
        .replace("{values}", &values.join(", "));
    let rows = trend.points.iter().map(|point| {
        html! {
            <tr data-date={point.when.clone()}>
                <th scope="row">{ when_text(&point.when) }</th>
                <td>{ number(point.value) }</td>
                <td>{ point.band.clone().unwrap_or_else(|| texts.no_band.to_owned()) }</td>
                <td>
                    if point.mismatch {
                        <span class="kr-mismatch-note">{ texts.mismatch_title }</span>
                    }
                </td>
            </tr>
        }
    });
    let caption = texts.trend_table.replace("{label}", &trend.label);

    html! {
        <figure class="kr-trend" data-trend={trend.key.clone()}>
            <figcaption class="kr-trend-title">{ &trend.label }</figcaption>
            <svg class="kr-chart" viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-labelledby={format!("{id}-title {id}-desc")} focusable="false">
                <title id={format!("{id}-title")}>{ &trend.label }</title>
                <desc id={format!("{id}-desc")}>{ description }</desc>
                { for bands }
                { for y_ticks }
                <line class="kr-axis" x1={at(LEFT)} x2={at(RIGHT)} y1={at(BOTTOM)} y2={at(BOTTOM)} />
                { for x_labels }
                <polyline class="kr-line" points={line.join(" ")} />
                { for points }
            </svg>
            { scrolling_table(&caption, html! {
                <table class="kr-table kr-trend-table">
                    <caption>{ caption.clone() }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ texts.col_date }</th>
                            <th scope="col">{ texts.col_value }</th>
                            <th scope="col">{ texts.col_band }</th>
                            <th scope="col">{ texts.col_note }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }) }
        </figure>
    }
}
