//! Chrome DevTools Protocol commands sent through ChromeDriver's `goog/cdp/execute`
//! extension: emulating a CSS viewport width (a phone, or 1280 px at 200% zoom) and media
//! features (`prefers-color-scheme`, `prefers-reduced-motion`) for the page under test.
//! Emulation lasts for the browser session's tab, across navigations, until changed.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use serde_json::{json, Value};

/// One DevTools command: its method name and parameters.
#[derive(Debug)]
struct DevToolsCommand {
    method: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for DevToolsCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or("")
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Sends a DevTools command, failing the test if ChromeDriver refuses it.
async fn send(client: &Client, method: &'static str, params: Value) -> Value {
    client
        .issue_cmd(DevToolsCommand { method, params })
        .await
        .unwrap_or_else(|e| panic!("DevTools {method} failed: {e}"))
}

/// Lays the page out as a screen `width` CSS pixels wide (and `height` tall) would.
pub async fn set_viewport(client: &Client, width: u32, height: u32) {
    send(
        client,
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
    )
    .await;
}

/// Goes back to the browser window's own size.
pub async fn clear_viewport(client: &Client) {
    send(client, "Emulation.clearDeviceMetricsOverride", json!({})).await;
}

/// Emulates the user's media preferences: `(feature, value)` pairs such as
/// `("prefers-color-scheme", "dark")`; an empty list restores the defaults.
pub async fn emulate_media(client: &Client, features: &[(&str, &str)]) {
    let features: Vec<Value> = features
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    send(
        client,
        "Emulation.setEmulatedMedia",
        json!({ "media": "", "features": features }),
    )
    .await;
}
