//! A keyboard and nothing else: key presses sent with WebDriver actions (real key events to
//! whatever has focus, as a keyboard user's would be), and what has focus, looked up through
//! shadow roots, with the computed style that makes its focus visible.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::Client;
use serde_json::Value;

use crate::run_js;

/// The character WebDriver uses for a special key.
fn key_char(key: Key) -> char {
    key.chars().next().unwrap_or('\u{e000}')
}

/// Presses and releases keys in order, holding each modifier in `held` meanwhile.
async fn perform(client: &Client, held: &[Key], keys: &[char]) {
    let mut actions = KeyActions::new("keyboard".to_owned());
    for modifier in held {
        actions = actions.then(KeyAction::Down {
            value: key_char(*modifier),
        });
    }
    for key in keys {
        actions = actions
            .then(KeyAction::Down { value: *key })
            .then(KeyAction::Up { value: *key });
    }
    for modifier in held.iter().rev() {
        actions = actions.then(KeyAction::Up {
            value: key_char(*modifier),
        });
    }
    client
        .perform_actions(actions)
        .await
        .unwrap_or_else(|e| panic!("pressing {keys:?} failed: {e}"));
}

/// Presses one key (Tab, Enter, Space, an arrow...).
pub async fn press(client: &Client, key: Key) {
    perform(client, &[], &[key_char(key)]).await;
}

/// Presses Shift+Tab.
pub async fn shift_tab(client: &Client) {
    perform(client, &[Key::Shift], &[key_char(Key::Tab)]).await;
}

/// Presses Ctrl+`letter` (e.g. Ctrl+A to select all of a text field).
pub async fn control(client: &Client, letter: char) {
    perform(client, &[Key::Control], &[letter]).await;
}

/// Types text into whatever has focus, one key at a time.
pub async fn type_text(client: &Client, text: &str) {
    let keys: Vec<char> = text.chars().collect();
    perform(client, &[], &keys).await;
}

/// JavaScript returning the focused element, looking through open shadow roots.
pub const DEEP_ACTIVE: &str = "\
    let el = document.activeElement;\n\
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;\n";

/// What has focus and how its focus shows.
#[derive(Debug, Clone)]
pub struct Focused {
    /// Tag name, lower case (`body` when nothing in particular has focus).
    pub tag: String,
    /// The `type` of an input or button.
    pub kind: Option<String>,
    /// Its `data-action`, if a widget button.
    pub action: Option<String>,
    /// The `data-item` of the question it belongs to.
    pub item: Option<String>,
    /// Whether it is inside a shadow root (a widget) rather than the host page.
    pub in_widget: bool,
    /// Whether it has `tabindex="-1"` (a heading or summary focused by script, not a control).
    pub script_focus_only: bool,
    /// Whether the focus is drawn: an outline at least 2 px wide, or a box shadow.
    pub indicator: bool,
    /// The computed outline and box-shadow, for messages.
    pub style: String,
    /// `class` attribute, for messages and kinds.
    pub class: String,
    /// Its trimmed text, shortened.
    pub text: String,
}

impl Focused {
    /// A short description for messages.
    pub fn describe(&self) -> String {
        format!(
            "<{}{}{}> class={:?} item={:?} text={:?} ({})",
            self.tag,
            self.kind
                .as_deref()
                .map(|k| format!(" type={k}"))
                .unwrap_or_default(),
            self.action
                .as_deref()
                .map(|a| format!(" data-action={a}"))
                .unwrap_or_default(),
            self.class,
            self.item,
            self.text,
            self.style
        )
    }

    /// The kind of control, for counting the kinds a test reached: the input type, or the
    /// tag with the widget's button class.
    pub fn control_kind(&self) -> String {
        match self.tag.as_str() {
            "input" => format!("input[type={}]", self.kind.as_deref().unwrap_or("text")),
            "button" => {
                let class = ["kf-primary", "kf-secondary", "kf-link"]
                    .into_iter()
                    .find(|c| self.class.split_whitespace().any(|own| own == *c))
                    .unwrap_or("other");
                format!("button.{class}")
            }
            tag => tag.to_owned(),
        }
    }
}

/// The focused element (through shadow roots) and its focus style.
pub async fn focused(client: &Client) -> Focused {
    let script = format!(
        "{DEEP_ACTIVE}\
         if (!el) return {{ tag: 'none' }};\n\
         const style = getComputedStyle(el);\n\
         const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;\n\
         const shadow = style.boxShadow && style.boxShadow !== 'none';\n\
         const item = el.closest ? el.closest('[data-item]') : null;\n\
         return {{\n\
           tag: el.tagName.toLowerCase(), kind: el.type || null,\n\
           action: (el.dataset && el.dataset.action) || null,\n\
           item: item ? item.dataset.item : null,\n\
           inWidget: el.getRootNode() instanceof ShadowRoot,\n\
           scriptOnly: el.getAttribute('tabindex') === '-1',\n\
           indicator: outline || shadow,\n\
           style: 'outline ' + style.outlineStyle + ' ' + style.outlineWidth + ' ' + style.outlineColor\n\
                  + '; box-shadow ' + style.boxShadow,\n\
           cls: (typeof el.className === 'string' ? el.className : ''),\n\
           text: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50),\n\
         }};"
    );
    let value = run_js(client, &script, vec![]).await;
    let text = |key: &str| value[key].as_str().map(str::to_owned);
    Focused {
        tag: text("tag").unwrap_or_default(),
        kind: text("kind"),
        action: text("action"),
        item: text("item"),
        in_widget: value["inWidget"] == Value::Bool(true),
        script_focus_only: value["scriptOnly"] == Value::Bool(true),
        indicator: value["indicator"] == Value::Bool(true),
        style: text("style").unwrap_or_default(),
        class: text("cls").unwrap_or_default(),
        text: text("text").unwrap_or_default(),
    }
}
