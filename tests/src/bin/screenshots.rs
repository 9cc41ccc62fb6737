//! `cargo xtask screenshots`: the PHQ-9 and the intake in English and Spanish, at 1280 and
//! 360 CSS pixels wide, as PNG files for the README (`docs/screenshots/`). The xtask serves
//! the built site and starts ChromeDriver, as for the browser tests, then runs this with the
//! output folder as its argument. Not part of `cargo xtask test`: it checks nothing.

use std::path::PathBuf;
use std::time::Duration;

use kapforms_e2e::{connect, open, wait_for, Form, UPDATE_TIMEOUT};

/// (file stem, page, what to do on it before the picture).
const SHOTS: [(&str, &str); 2] = [("phq9", "phq9"), ("intake", "intake")];
const WIDTHS: [u32; 2] = [1280, 360];
const LANGUAGES: [&str; 2] = ["en", "es"];

#[tokio::main]
async fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/screenshots".into()),
    );
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let client = connect().await;
    for (stem, instrument) in SHOTS {
        for language in LANGUAGES {
            for width in WIDTHS {
                let height = if width < 600 { 1600 } else { 1100 };
                client
                    .set_window_size(width, height)
                    .await
                    .unwrap_or_else(|e| panic!("window size: {e}"));
                open(
                    &client,
                    &format!("screenshot.html?instrument={instrument}&lang={language}"),
                )
                .await;
                let form = Form::new(&client, "kap-form");
                // Both open on their first page of questions (`screenshot.js` skips the start
                // page); on the PHQ-9, two answers show the running total.
                if instrument == "phq9" {
                    form.wait_rendered().await;
                    form.answer("phq9_1", "1").await;
                    form.answer("phq9_2", "2").await;
                    form.wait_total("3").await;
                } else {
                    wait_for(
                        "the first page of questions",
                        Duration::from_secs(20),
                        || async {
                            if form.exists("[data-item]").await {
                                Ok(())
                            } else {
                                Err(form.html().await)
                            }
                        },
                    )
                    .await;
                }
                // Let fonts and layout settle before the picture.
                tokio::time::sleep(UPDATE_TIMEOUT / 10).await;
                let png = client
                    .screenshot()
                    .await
                    .unwrap_or_else(|e| panic!("screenshot: {e}"));
                let file = out.join(format!("{stem}-{language}-{width}.png"));
                std::fs::write(&file, png).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                println!("wrote {}", file.display());
            }
        }
    }
    let _ = client.close().await;
}
