//! JSON parsing that names where a problem is. `serde_json` reports a line and column; this
//! module turns that position into the JSON path of the value or key being read there
//! (`sections[0].items[3].type`), by scanning the text up to it with a small tokenizer. It
//! replaces a generic path-tracking deserializer, which multiplied the code of every type it
//! read and weighed tens of kilobytes in the WebAssembly module.

use serde::de::DeserializeOwned;

use crate::objects_only::ObjectsOnly;

use crate::diagnostic::Diagnostic;

/// Parses `text` (after an optional byte order mark) as `T`, every struct from a JSON object
/// ([`ObjectsOnly`]); an error names the JSON path of the problem. Never panics.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Every kapforms document is a JSON object; serde would also read a struct from an array
    // by position, which no author means.
    if text.trim_start().starts_with('[') {
        return Err(Diagnostic::new(
            ".",
            "expected a JSON object `{...}`, found an array",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    T::deserialize(ObjectsOnly(&mut deserializer))
        .and_then(|value| deserializer.end().map(|()| value))
        .map_err(|error| {
            let offset = byte_offset(text, error.line(), error.column());
            let message =
                wrong_type_for_enum(text, offset, &error).unwrap_or_else(|| error.to_string());
            Diagnostic::new(path_at(text, offset), message)
        })
}

/// serde_json's enum reader says "expected value" when it meets a value of the wrong JSON
/// type (a list where a condition object belongs); when a value does start at `offset`, the
/// message says what was found instead.
fn wrong_type_for_enum(text: &str, offset: usize, error: &serde_json::Error) -> Option<String> {
    if !error.to_string().starts_with("expected value") {
        return None;
    }
    // serde_json reports the position of the value's first byte (column counted from 1).
    let found = match text.as_bytes().get(offset.checked_sub(1)?)? {
        b'[' => "sequence",
        b'{' => "map",
        b'"' => "string",
        b't' | b'f' => "boolean",
        b'n' => "null",
        b'-' | b'0'..=b'9' => {
            let number = text[offset - 1..]
                .split(|c: char| !matches!(c, '-' | '+' | '.' | 'e' | 'E' | '0'..='9'))
                .next()
                .unwrap_or_default();
            if number.contains(['.', 'e', 'E']) {
                "floating point number"
            } else {
                "integer"
            }
        }
        _ => return None,
    };
    Some(format!(
        "invalid type: {found} at line {} column {}, expected an object with one key naming its kind, or a name in quotes",
        error.line(),
        error.column()
    ))
}

/// The text of a document read as bytes; when they are not UTF-8, an error that says where,
/// with the JSON path of the value the bad byte stands in.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = offset - valid.rfind('\n').map_or(0, |newline| newline + 1) + 1;
        Diagnostic::new(
            path_at(valid, offset),
            format!("the text is not valid UTF-8 (byte {offset}, line {line}, column {column})"),
        )
    })
}

/// The byte offset just past `line`:`column` (both counted from 1, as serde_json reports
/// them; the column counts bytes).
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.bytes()
            .enumerate()
            .filter(|(_, byte)| *byte == b'\n')
            .nth(line - 2)
            .map_or(text.len(), |(index, _)| index + 1)
    };
    (line_start + column).min(text.len())
}

/// One open container while scanning.
enum Frame {
    Object {
        key: Option<String>,
        expecting_key: bool,
    },
    Array {
        index: usize,
    },
}

/// The JSON path of what is being read at byte `offset` of `text` (everything before it is
/// scanned). `.` for the document itself.
pub fn path_at(text: &str, offset: usize) -> String {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut position = 0;
    let mut last_opened = false;
    while position < end {
        let byte = bytes[position];
        last_opened = false;
        match byte {
            b'{' => {
                stack.push(Frame::Object {
                    key: None,
                    expecting_key: true,
                });
                last_opened = true;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                last_opened = true;
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { expecting_key, .. }) => *expecting_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let (string, next) = read_string(bytes, position + 1, end);
                if let Some(Frame::Object { key, expecting_key }) = stack.last_mut() {
                    if *expecting_key {
                        *key = Some(string);
                        *expecting_key = false;
                    }
                }
                position = next;
                continue;
            }
            _ => {}
        }
        position += 1;
    }
    // An error reported at a container's first byte is about the container as a value.
    if last_opened {
        stack.pop();
    }
    render(&stack)
}

/// Reads a string body starting after its opening quote; returns it and the offset after
/// the closing quote (or `end`).
fn read_string(bytes: &[u8], start: usize, end: usize) -> (String, usize) {
    let mut raw = Vec::new();
    let mut position = start;
    while position < end {
        match bytes[position] {
            b'"' => return (String::from_utf8_lossy(&raw).into_owned(), position + 1),
            b'\\' if position + 1 < end => {
                raw.push(bytes[position + 1]);
                position += 2;
            }
            other => {
                raw.push(other);
                position += 1;
            }
        }
    }
    (String::from_utf8_lossy(&raw).into_owned(), end)
}

fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        ".".to_owned()
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::path_at;

    fn at(text: &str, marker: &str) -> String {
        let offset = text.find(marker).expect("marker") + marker.len();
        path_at(text, offset)
    }

    #[test]
    fn paths_name_keys_indexes_and_nesting() {
        let text = r#"{"a": {"b": [1, {"c": "x", "d": [true, "y"]}]}, "e": 1}"#;
        assert_eq!(at(text, r#""a""#), "a");
        assert_eq!(at(text, "[1"), "a.b[0]");
        assert_eq!(at(text, r#""x""#), "a.b[1].c");
        assert_eq!(at(text, "true"), "a.b[1].d[0]");
        assert_eq!(at(text, r#""y""#), "a.b[1].d[1]");
        assert_eq!(at(text, r#""e": 1"#), "e");
        assert_eq!(path_at(text, 0), ".");
    }

    #[test]
    fn escaped_quotes_and_structural_characters_in_strings_are_skipped() {
        let text = r#"{"a\"{[": "],}{", "b": 2}"#;
        assert_eq!(at(text, "2"), "b");
    }

    #[test]
    fn an_error_at_a_container_opening_is_about_the_container() {
        let text = r#"{"title": {"x": 1}}"#;
        assert_eq!(at(text, r#""title": {"#), "title");
    }
}
