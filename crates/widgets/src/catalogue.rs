//! The message catalogue: every string the widgets and the elements show that is not an
//! instrument's, one file per language in `locales/` (a small subset of Fluent's FTL syntax).
//! `build.rs` compiles the files into the constants [`crate::Texts::ENGLISH`],
//! [`crate::ResultsTexts::SPANISH`], [`crate::PageTexts::ENGLISH`], ... so nothing is parsed
//! at run time and a missing message fails the build. The sources are kept here too, for the
//! test that checks every locale has every message with the same placeholders.

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// The catalogue files as shipped: (language tag, FTL text).
pub const SOURCES: [(&str, &str); 2] = [
    ("en", include_str!("../locales/en.ftl")),
    ("es", include_str!("../locales/es.ftl")),
];
