//! Parses JSON text into a `serde_json::Value` with a small reader of our own, not through
//! serde's deserializer. It is what the patient's WebAssembly bundle parses everything with (the
//! built-ins' definitions and wording, drafts, the host's options), and it accepts exactly the
//! texts `serde_json::from_str::<Value>` accepts and gives the same value for them: the same
//! grammar, strings checked as serde_json checks them (no control characters, escapes only
//! as JSON has them, surrogates paired), the same nesting limit (127 arrays or objects deep),
//! a key written twice keeping its first place and its last value, integers as `u64` or `i64`
//! while they fit, and other numbers rounded correctly for up to 15 significant digits and
//! exponents within ±22 (every number the definitions and answers hold), within two units in
//! the last place beyond (serde_json, without its `float_roundtrip` feature as the module was
//! built, was no closer). serde_json's deserializer and its `Value` visitor were about 5 KiB
//! of the gzipped module; this is a small fraction of that. The tests parse every JSON file of
//! the project and random texts both ways.
//!
//! Errors carry no position: every caller in the patient's bundle reports only that a text is
//! not JSON. Where a position matters (a clinic's own definition, the CLI), serde_json reads
//! the text ([`crate::json_path`]).

use serde_json::{Map, Number, Value};

/// The text is not JSON (or nests deeper than the limit, or holds a number out of range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotJson;

impl std::fmt::Display for NotJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not JSON")
    }
}

impl std::error::Error for NotJson {}

/// A JSON object of these entries, in this order: what `serde_json::json!({...})` builds, but
/// from values already made, so that no value goes through `serde_json::to_value` (whose
/// serializer into values the patient's module then does without).
pub fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    let mut map = Map::new();
    for (key, value) in entries {
        map.insert(key.to_owned(), value);
    }
    Value::Object(map)
}

/// `value` as compact JSON text: exactly what `serde_json::to_string` writes (the same
/// escapes, numbers written as serde_json's `Number` writes them, keys in the object's order),
/// without serde's serializer. What the patient's module writes every response, draft and
/// event with; the tests compare the two writers on every JSON file of the project and on
/// random values.
pub fn write(value: &Value) -> String {
    let mut out = String::new();
    write_into(&mut out, value);
    out
}

fn write_into(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => {
            use std::fmt::Write;
            // Writing to a String cannot fail.
            let _ = write!(out, "{number}");
        }
        Value::String(text) => write_string(out, text),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_into(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_into(out, item);
            }
            out.push('}');
        }
    }
}

/// `text` as a JSON string, escaped as serde_json escapes it: quotation mark, backslash and
/// the control characters (`\b \f \n \r \t`, the others as `\u00xx`), nothing else.
fn write_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // Escaped characters are ASCII, so both ends are character boundaries.
        out.push_str(text.get(start..at).unwrap_or_default());
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = at + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
    out.push('"');
}

/// How many arrays or objects deep a text may nest (serde_json's limit).
const MAX_DEPTH: u8 = 127;

/// Parses `text`: one JSON value, with whitespace around it and nothing else. Never panics.
pub fn parse(text: &str) -> Result<Value, NotJson> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = reader.value()?;
    reader.skip_whitespace();
    if reader.at == reader.bytes.len() {
        Ok(value)
    } else {
        Err(NotJson)
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: u8,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Result<u8, NotJson> {
        let byte = self.peek().ok_or(NotJson)?;
        self.at += 1;
        Ok(byte)
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn expect_word(&mut self, word: &[u8]) -> Result<(), NotJson> {
        match self.bytes.get(self.at..self.at + word.len()) {
            Some(found) if found == word => {
                self.at += word.len();
                Ok(())
            }
            _ => Err(NotJson),
        }
    }

    fn value(&mut self) -> Result<Value, NotJson> {
        self.skip_whitespace();
        match self.peek().ok_or(NotJson)? {
            b'n' => self.expect_word(b"null").map(|()| Value::Null),
            b't' => self.expect_word(b"true").map(|()| Value::Bool(true)),
            b'f' => self.expect_word(b"false").map(|()| Value::Bool(false)),
            b'"' => {
                self.at += 1;
                self.string().map(Value::String)
            }
            b'-' => {
                self.at += 1;
                self.number(false)
            }
            b'0'..=b'9' => self.number(true),
            b'[' => {
                self.enter()?;
                let mut items = Vec::new();
                self.skip_whitespace();
                if self.peek() == Some(b']') {
                    self.at += 1;
                } else {
                    loop {
                        items.push(self.value()?);
                        self.skip_whitespace();
                        match self.next()? {
                            b',' => {}
                            b']' => break,
                            _ => return Err(NotJson),
                        }
                    }
                }
                self.depth -= 1;
                Ok(Value::Array(items))
            }
            b'{' => {
                self.enter()?;
                let mut map = Map::new();
                self.skip_whitespace();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.skip_whitespace();
                        if self.next()? != b'"' {
                            return Err(NotJson);
                        }
                        let key = self.string()?;
                        self.skip_whitespace();
                        if self.next()? != b':' {
                            return Err(NotJson);
                        }
                        let value = self.value()?;
                        map.insert(key, value);
                        self.skip_whitespace();
                        match self.next()? {
                            b',' => {}
                            b'}' => break,
                            _ => return Err(NotJson),
                        }
                    }
                }
                self.depth -= 1;
                Ok(Value::Object(map))
            }
            _ => Err(NotJson),
        }
    }

    /// Steps into an array or object (past its opening bracket), within the nesting limit.
    fn enter(&mut self) -> Result<(), NotJson> {
        if self.depth == MAX_DEPTH {
            return Err(NotJson);
        }
        self.depth += 1;
        self.at += 1;
        Ok(())
    }

    /// A string's contents up to its closing quote (the opening one already read).
    fn string(&mut self) -> Result<String, NotJson> {
        let mut out = String::new();
        let mut start = self.at;
        loop {
            match self.next()? {
                b'"' => {
                    out.push_str(self.text.get(start..self.at - 1).ok_or(NotJson)?);
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(self.text.get(start..self.at - 1).ok_or(NotJson)?);
                    self.escape(&mut out)?;
                    start = self.at;
                }
                0..=0x1f => return Err(NotJson),
                _ => {}
            }
        }
    }

    /// One escape, after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), NotJson> {
        let unescaped = match self.next()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = match first {
                    0xDC00..=0xDFFF => return Err(NotJson),
                    0xD800..=0xDBFF => {
                        // A leading surrogate: a trailing one must follow, escaped.
                        if self.next()? != b'\\' || self.next()? != b'u' {
                            return Err(NotJson);
                        }
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(NotJson);
                        }
                        0x1_0000 + ((first - 0xD800) << 10 | (second - 0xDC00))
                    }
                    other => other,
                };
                char::from_u32(code).ok_or(NotJson)?
            }
            _ => return Err(NotJson),
        };
        out.push(unescaped);
        Ok(())
    }

    /// Four hexadecimal digits, as a number.
    fn hex4(&mut self) -> Result<u32, NotJson> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = char::from(self.next()?).to_digit(16).ok_or(NotJson)?;
            value = value * 16 + digit;
        }
        Ok(value)
    }

    /// A number (its minus sign, if any, already read), as serde_json reads one.
    fn number(&mut self, positive: bool) -> Result<Value, NotJson> {
        let mut significand: u64 = match self.next()? {
            b'0' => {
                // One leading zero only.
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(NotJson);
                }
                0
            }
            digit @ b'1'..=b'9' => u64::from(digit - b'0'),
            _ => return Err(NotJson),
        };
        // The integer part, kept exact while it fits in a u64; beyond, further digits only
        // scale it (serde_json's `parse_long_integer`).
        let mut exponent: i32 = 0;
        let mut overflowed = false;
        while let Some(digit @ b'0'..=b'9') = self.peek() {
            self.at += 1;
            match significand
                .checked_mul(10)
                .and_then(|s| s.checked_add(u64::from(digit - b'0')))
            {
                Some(next) if !overflowed => significand = next,
                _ => {
                    overflowed = true;
                    exponent = exponent.saturating_add(1);
                }
            }
        }
        let fraction = self.peek() == Some(b'.');
        if fraction {
            self.at += 1;
            let digits_start = self.at;
            let mut overflowed_here = false;
            while let Some(digit @ b'0'..=b'9') = self.peek() {
                self.at += 1;
                // Digits past a u64's worth are ignored (serde_json's `parse_decimal_overflow`);
                // after a long integer part, a digit that still fits counts, as there.
                if overflowed_here {
                    continue;
                }
                match significand
                    .checked_mul(10)
                    .and_then(|s| s.checked_add(u64::from(digit - b'0')))
                {
                    Some(next) => {
                        significand = next;
                        exponent -= 1;
                    }
                    None => overflowed_here = true,
                }
            }
            if self.at == digits_start {
                return Err(NotJson);
            }
        }
        let scientific = matches!(self.peek(), Some(b'e' | b'E'));
        if scientific {
            self.at += 1;
            let positive_exponent = match self.peek() {
                Some(b'+') => {
                    self.at += 1;
                    true
                }
                Some(b'-') => {
                    self.at += 1;
                    false
                }
                _ => true,
            };
            let digits_start = self.at;
            let mut written: i32 = 0;
            let mut too_large = false;
            while let Some(digit @ b'0'..=b'9') = self.peek() {
                self.at += 1;
                match written
                    .checked_mul(10)
                    .and_then(|e| e.checked_add(i32::from(digit - b'0')))
                {
                    Some(next) if !too_large => written = next,
                    _ => too_large = true,
                }
            }
            if self.at == digits_start {
                return Err(NotJson);
            }
            if too_large {
                // serde_json's `parse_exponent_overflow`: an error instead of infinity, zero
                // for a vanishing exponent (or a zero significand).
                if significand != 0 && positive_exponent {
                    return Err(NotJson);
                }
                return float(if positive { 0.0 } else { -0.0 });
            }
            exponent = if positive_exponent {
                exponent.saturating_add(written)
            } else {
                exponent.saturating_sub(written)
            };
        }
        if !fraction && !scientific && !overflowed {
            return Ok(Value::Number(if positive {
                Number::from(significand)
            } else {
                match i64::try_from(significand) {
                    // `-0` is a float, as is a negative integer beyond i64's range.
                    Ok(magnitude) if magnitude != 0 => Number::from(-magnitude),
                    Ok(_) => return float(-0.0),
                    Err(_) if significand == 1 << 63 => Number::from(i64::MIN),
                    Err(_) => return float(-(significand as f64)),
                }
            }));
        }
        float(f64_from_parts(positive, significand, exponent)?)
    }
}

/// A finite float as a JSON value.
fn float(value: f64) -> Result<Value, NotJson> {
    Number::from_f64(value).map(Value::Number).ok_or(NotJson)
}

/// `significand × 10^exponent`, signed: serde_json's way without `float_roundtrip` (scale the
/// significand, as an `f64`, by a power of ten; exponents beyond ±308 in steps of 1e308), with
/// the power of ten carried in two `f64`s (its value and the rounding error left over), so
/// the one scaling rounds about once. Exact when the significand has at most 53 bits and the
/// exponent is within ±22 (both operands exact); otherwise within a unit in the last place
/// (the tests measure it). An error where it overflows.
fn f64_from_parts(positive: bool, significand: u64, mut exponent: i32) -> Result<f64, NotJson> {
    let mut f = significand as f64;
    loop {
        let magnitude = exponent.unsigned_abs();
        if magnitude <= 308 {
            let (power, error) = power_of_ten(magnitude);
            if exponent >= 0 {
                let (product, low) = two_product(f, power);
                f = product + (low + f * error);
                if f.is_infinite() {
                    return Err(NotJson);
                }
            } else {
                let quotient = f / power;
                let (product, low) = two_product(quotient, power);
                let remainder = ((f - product) - low) - quotient * error;
                f = quotient + remainder / power;
            }
            break;
        }
        if f == 0.0 {
            break;
        }
        if exponent >= 0 {
            return Err(NotJson);
        }
        f /= 1e308;
        exponent += 308;
    }
    Ok(if positive { f } else { -f })
}

/// `10^n` (for `n` up to 308) as a value and the error its rounding left, by squaring in that
/// double precision (exact, error zero, up to 10^22).
fn power_of_ten(mut n: u32) -> (f64, f64) {
    let (mut value, mut error) = (1.0, 0.0);
    let (mut base, mut base_error) = (10.0, 0.0);
    while n > 0 {
        if n & 1 == 1 {
            (value, error) = times(value, error, base, base_error);
        }
        n >>= 1;
        if n > 0 {
            (base, base_error) = times(base, base_error, base, base_error);
        }
    }
    (value, error)
}

/// The product of two numbers each held as value and error, held the same way.
fn times(a: f64, a_error: f64, b: f64, b_error: f64) -> (f64, f64) {
    let (product, low) = two_product(a, b);
    let low = low + (a * b_error + a_error * b);
    let value = product + low;
    (value, low - (value - product))
}

/// `a × b` as the rounded product and the exact rounding error (Dekker's product, which needs
/// no fused multiply-add).
fn two_product(a: f64, b: f64) -> (f64, f64) {
    let product = a * b;
    let (a_high, a_low) = split(a);
    let (b_high, b_low) = split(b);
    let low = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low;
    (product, low)
}

/// `a` as two halves of 26 bits each whose sum is `a` (Veltkamp's split; a number too large
/// to scale by 2^27 is split at a 2^28th of its size, then scaled back, both exact).
fn split(a: f64) -> (f64, f64) {
    if a.abs() > 6.7e299 {
        let (high, low) = split(a / 268_435_456.0);
        return (high * 268_435_456.0, low * 268_435_456.0);
    }
    let scaled = 134_217_729.0 * a;
    let high = scaled - (scaled - a);
    (high, a - high)
}
