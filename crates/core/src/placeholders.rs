//! Filling `{name}` placeholders in a text: the one routine that interface strings ("Step
//! {n} of {m}"), flag labels ("above {bp_monitor_systolic} mmHg") and spliced modules'
//! labels use. It scans the text once for braces, so the patient's module carries no
//! substring searcher (`str::replace` with a text pattern brings one, about 1.6 KB of code).

/// `template` with each `{name}` for which `value_of(name)` gives a value replaced by that
/// value; every other character, and every placeholder without a value, is kept as written.
/// A placeholder is the text from a `{` to the next `}`; when that text holds another `{`,
/// the first `{` is kept and the scan goes on from the character after it (so `{a{n}`
/// becomes `{a` followed by `n`'s value, as `str::replace("{n}", ...)` would write it).
pub fn fill(template: &str, value_of: &dyn Fn(&str) -> Option<String>) -> String {
    let mut filled = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            if name.contains('{') {
                return None;
            }
            value_of(name).map(|value| (value, close))
        });
        match value {
            Some((value, close)) => {
                filled.push_str(&value);
                rest = &after[close + 1..];
            }
            None => {
                filled.push('{');
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
}

#[cfg(test)]
mod tests {
    use super::fill;

    /// Values for `n` and `m`; no other name has one.
    fn n_and_m(name: &str) -> Option<String> {
        match name {
            "n" => Some("3".to_owned()),
            "m" => Some("9".to_owned()),
            _ => None,
        }
    }

    #[test]
    fn fills_what_str_replace_would_for_each_placeholder() {
        let cases = [
            "Step {n} of {m}",
            "{n}{n}{m}",
            "no placeholders",
            "{unknown} and {n}",
            "{a{n}",
            "{{n}}",
            "unclosed {n",
            "{n} unclosed {",
            "}{n}{",
            "Paso {n} de {m}: número",
            "",
        ];
        for template in cases {
            let replaced = template.replace("{n}", "3").replace("{m}", "9");
            assert_eq!(fill(template, &n_and_m), replaced, "{template:?}");
        }
    }

    #[test]
    fn a_value_is_not_read_again_for_placeholders() {
        let filled = fill("{a} {b}", &|name| match name {
            "a" => Some("{b}".to_owned()),
            "b" => Some("2".to_owned()),
            _ => None,
        });
        assert_eq!(filled, "{b} 2");
    }
}
