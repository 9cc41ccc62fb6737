//! Measurements of the widgets as laid out in the page, for the WCAG 2.2 AA checks axe-core
//! cannot make alone: every interactive element inside the widgets' shadow roots is at least
//! 24 by 24 CSS pixels (a radio button or checkbox together with its label, which is part of
//! its target), and the page reflows (no horizontal scrolling of the document and no widget
//! element reaching past the viewport's right edge) at the current viewport width.

use fantoccini::Client;
use serde_json::Value;

use crate::run_js;

/// The smallest target WCAG 2.2 (2.5.8, AA) allows, in CSS pixels.
pub const MIN_TARGET: f64 = 24.0;

/// JavaScript defining `widgetRoots()` (the shadow roots of every `<kap-form>` and
/// `<kap-results>`, nested ones included) and `describe(el)` (a short readable name).
const HELPERS: &str = "\
    const widgetRoots = () => {\n\
      const roots = [];\n\
      const collect = (root) => {\n\
        roots.push(root);\n\
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) collect(el.shadowRoot);\n\
      };\n\
      for (const host of document.querySelectorAll('kap-form, kap-results')) {\n\
        if (host.shadowRoot) collect(host.shadowRoot);\n\
      }\n\
      return roots;\n\
    };\n\
    const describe = (el) => {\n\
      let name = el.tagName.toLowerCase();\n\
      if (el.type) name += '[type=' + el.type + ']';\n\
      if (el.className && typeof el.className === 'string') name += '.' + el.className.trim().split(/\\s+/).join('.');\n\
      if (el.dataset && el.dataset.action) name += '[data-action=' + el.dataset.action + ']';\n\
      const text = (el.textContent || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);\n\
      return text ? name + ' \"' + text + '\"' : name;\n\
    };\n";

/// Interactive elements too small to be a target.
#[derive(Debug, Clone)]
pub struct TargetReport {
    /// How many interactive elements were measured.
    pub measured: usize,
    /// Those smaller than [`MIN_TARGET`] in width or height, described with their size.
    pub too_small: Vec<String>,
}

/// Measures every visible interactive element in the widgets (links, buttons, form controls,
/// anything in the tab order); a radio button or checkbox is measured together with its labels.
pub async fn measure_targets(client: &Client) -> TargetReport {
    let script = format!(
        "{HELPERS}\
         const selector = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex=\"-1\"])';\n\
         let measured = 0;\n\
         const small = [];\n\
         for (const root of widgetRoots()) {{\n\
           for (const el of root.querySelectorAll(selector)) {{\n\
             if (el.type === 'hidden') continue;\n\
             if (!el.checkVisibility({{ checkOpacity: true, checkVisibilityCSS: true }})) continue;\n\
             if (el.closest('.kf-visually-hidden')) continue;\n\
             const rects = [el.getBoundingClientRect()];\n\
             if ((el.type === 'radio' || el.type === 'checkbox') && el.labels) {{\n\
               for (const label of el.labels) rects.push(label.getBoundingClientRect());\n\
             }}\n\
             const left = Math.min(...rects.map((r) => r.left));\n\
             const right = Math.max(...rects.map((r) => r.right));\n\
             const top = Math.min(...rects.map((r) => r.top));\n\
             const bottom = Math.max(...rects.map((r) => r.bottom));\n\
             const width = right - left, height = bottom - top;\n\
             if (width === 0 && height === 0) continue;\n\
             measured += 1;\n\
             if (width < arguments[0] - 0.01 || height < arguments[0] - 0.01) {{\n\
               small.push(describe(el) + ' is ' + width.toFixed(1) + ' x ' + height.toFixed(1) + ' px');\n\
             }}\n\
           }}\n\
         }}\n\
         return {{ measured, small }};"
    );
    let value = run_js(client, &script, vec![MIN_TARGET.into()]).await;
    TargetReport {
        measured: value["measured"].as_u64().unwrap_or(0) as usize,
        too_small: strings(&value["small"]),
    }
}

/// What a page's layout looks like at the current viewport width.
#[derive(Debug, Clone)]
pub struct ReflowReport {
    /// The viewport's width in CSS pixels (`innerWidth`).
    pub viewport: f64,
    /// The document's `clientWidth` and `scrollWidth`.
    pub client_width: f64,
    /// The document's `scrollWidth`: larger than `client_width` means horizontal scrolling.
    pub scroll_width: f64,
    /// Widget elements reaching past the right (or left) edge outside any scrolling box.
    pub overflowing: Vec<String>,
}

impl ReflowReport {
    /// Whether the page reflows: no horizontal scrolling, nothing sticking out.
    pub fn reflows(&self) -> bool {
        self.scroll_width <= self.client_width && self.overflowing.is_empty()
    }
}

/// Measures the document's scroll width and every widget element's horizontal extent.
pub async fn measure_reflow(client: &Client) -> ReflowReport {
    let script = format!(
        "{HELPERS}\
         window.scrollTo(0, window.scrollY);\n\
         const doc = document.documentElement;\n\
         const width = doc.clientWidth;\n\
         const clipped = (el) => {{\n\
           for (let p = el.parentElement; p; p = p.parentElement) {{\n\
             const overflow = getComputedStyle(p).overflowX;\n\
             if (overflow !== 'visible') return true;\n\
           }}\n\
           return false;\n\
         }};\n\
         const overflowing = [];\n\
         for (const root of widgetRoots()) {{\n\
           for (const el of root.querySelectorAll('*')) {{\n\
             const r = el.getBoundingClientRect();\n\
             if (r.width === 0 && r.height === 0) continue;\n\
             if (el.closest('.kf-visually-hidden')) continue;\n\
             if ((r.right > width + 0.5 || r.left < -0.5) && !clipped(el)) {{\n\
               overflowing.push(describe(el) + ' spans ' + r.left.toFixed(1) + '..' + r.right.toFixed(1));\n\
             }}\n\
           }}\n\
         }}\n\
         return {{ viewport: window.innerWidth, clientWidth: width, scrollWidth: doc.scrollWidth,\n\
                  overflowing: overflowing.slice(0, 12) }};"
    );
    let value = run_js(client, &script, vec![]).await;
    ReflowReport {
        viewport: value["viewport"].as_f64().unwrap_or(0.0),
        client_width: value["clientWidth"].as_f64().unwrap_or(0.0),
        scroll_width: value["scrollWidth"].as_f64().unwrap_or(f64::MAX),
        overflowing: strings(&value["overflowing"]),
    }
}

/// A JSON array of strings as a vector (anything else is empty).
fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
