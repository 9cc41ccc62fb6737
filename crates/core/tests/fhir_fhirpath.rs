//! The FHIRPath and `enableWhen` the export writes mean what the native definition means.
//! A small evaluator for the FHIRPath subset the export uses (paths, `where`, `select`,
//! `repeat`, `exists`, `empty`, `count`, `sum`, `not`, `combine`, `iif`, SDC `ordinal()`,
//! `and`/`or` with FHIRPath's three-valued logic, comparisons, arithmetic, `in`, `|`) runs
//! every exported `enableWhenExpression` and `calculatedExpression` against exported
//! QuestionnaireResponses, and a plain reading of R4 `enableWhen` runs the standard
//! conditions: for every built-in instrument's golden cases, the scoring-engine probe and the
//! hand-written probe, each item is enabled exactly when it is visible natively, and each
//! complete score's expression gives the native value.

#[path = "support/definitions.rs"]
mod definitions;

use kapforms_core::LiteMap;
use std::collections::HashMap;

use kapforms_core::fhir;
use kapforms_core::{AnswerValue, Evaluation, Questionnaire, Response, Status, Timestamps};
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// A FHIRPath subset: values, parser, evaluator.

#[derive(Debug, Clone, PartialEq)]
enum Val {
    Bool(bool),
    Num(f64),
    Str(String),
    Date(String),
    Coding(String, String),
    Node(Value),
}

#[derive(Debug, Clone)]
enum Ast {
    Empty,
    Bool(bool),
    Num(f64),
    Str(String),
    Date(String),
    Env(String),
    This,
    Ident(String),
    Path(Box<Ast>, String),
    Call(Option<Box<Ast>>, String, Vec<Ast>),
    Binary(String, Box<Ast>, Box<Ast>),
    Negate(Box<Ast>),
}

struct Parser {
    tokens: Vec<String>,
    at: usize,
}

fn tokenize(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let mut s = String::from("'");
            i += 1;
            while chars[i] != '\'' {
                if chars[i] == '\\' {
                    i += 1;
                    s.push(match chars[i] {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        other => other,
                    });
                } else {
                    s.push(chars[i]);
                }
                i += 1;
            }
            i += 1;
            tokens.push(s);
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == '@' {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '-') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c.is_alphabetic() || c == '%' || c == '$' || c == '_' {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if (c == '<' || c == '>' || c == '!') && chars.get(i + 1) == Some(&'=') {
            tokens.push(format!("{c}="));
            i += 2;
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    tokens
}

impl Parser {
    fn parse(text: &str) -> Ast {
        let mut parser = Parser {
            tokens: tokenize(text),
            at: 0,
        };
        let ast = parser.binary(0);
        assert_eq!(parser.at, parser.tokens.len(), "trailing tokens in {text}");
        ast
    }

    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn next(&mut self) -> String {
        self.at += 1;
        self.tokens[self.at - 1].clone()
    }

    fn expect(&mut self, token: &str) {
        assert_eq!(self.next(), token);
    }

    /// Precedence climbing, lowest first.
    fn binary(&mut self, level: usize) -> Ast {
        const LEVELS: &[&[&str]] = &[
            &["or"],
            &["and"],
            &["in"],
            &["=", "!="],
            &["<", ">", "<=", ">="],
            &["|"],
            &["+", "-"],
            &["*", "/"],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1);
        while let Some(op) = self.peek().filter(|t| LEVELS[level].contains(t)) {
            let op = op.to_owned();
            self.next();
            let right = self.binary(level + 1);
            left = Ast::Binary(op, Box::new(left), Box::new(right));
        }
        left
    }

    fn unary(&mut self) -> Ast {
        if self.peek() == Some("-") {
            self.next();
            return Ast::Negate(Box::new(self.unary()));
        }
        let mut ast = self.term();
        while self.peek() == Some(".") {
            self.next();
            let name = self.next();
            if self.peek() == Some("(") {
                let args = self.args();
                ast = Ast::Call(Some(Box::new(ast)), name, args);
            } else {
                ast = Ast::Path(Box::new(ast), name);
            }
        }
        ast
    }

    fn args(&mut self) -> Vec<Ast> {
        self.expect("(");
        let mut args = Vec::new();
        while self.peek() != Some(")") {
            args.push(self.binary(0));
            if self.peek() == Some(",") {
                self.next();
            }
        }
        self.expect(")");
        args
    }

    fn term(&mut self) -> Ast {
        let token = self.next();
        match token.as_str() {
            "(" => {
                let inner = self.binary(0);
                self.expect(")");
                inner
            }
            "{" => {
                self.expect("}");
                Ast::Empty
            }
            "true" => Ast::Bool(true),
            "false" => Ast::Bool(false),
            "$this" => Ast::This,
            t if t.starts_with('\'') => Ast::Str(t[1..].to_owned()),
            t if t.starts_with('@') => Ast::Date(t[1..].to_owned()),
            t if t.starts_with('%') => Ast::Env(t[1..].to_owned()),
            t if t.starts_with(|c: char| c.is_ascii_digit()) => {
                Ast::Num(t.parse().expect("well-formed export"))
            }
            t => {
                if self.peek() == Some("(") {
                    let args = self.args();
                    Ast::Call(None, t.to_owned(), args)
                } else {
                    Ast::Ident(t.to_owned())
                }
            }
        }
    }
}

struct Context<'a> {
    env: HashMap<String, Vec<Val>>,
    /// Score of each (system, code) option, from the exported Questionnaire.
    ordinals: &'a HashMap<(String, String), f64>,
}

fn children(focus: &[Val], name: &str) -> Vec<Val> {
    let mut out = Vec::new();
    for value in focus {
        match value {
            Val::Node(node) if name == "value" => {
                let Some(object) = node.as_object() else {
                    continue;
                };
                for (key, v) in object {
                    let item = match key.as_str() {
                        "valueBoolean" => Val::Bool(v.as_bool().expect("well-formed export")),
                        "valueInteger" | "valueDecimal" => {
                            Val::Num(v.as_f64().expect("well-formed export"))
                        }
                        "valueString" => {
                            Val::Str(v.as_str().expect("well-formed export").to_owned())
                        }
                        "valueDate" => {
                            Val::Date(v.as_str().expect("well-formed export").to_owned())
                        }
                        "valueCoding" => Val::Coding(
                            v["system"].as_str().unwrap_or_default().to_owned(),
                            v["code"].as_str().unwrap_or_default().to_owned(),
                        ),
                        _ => continue,
                    };
                    out.push(item);
                }
            }
            Val::Node(node) => match &node[name] {
                Value::Array(list) => out.extend(list.iter().cloned().map(Val::Node)),
                Value::String(s) => out.push(Val::Str(s.clone())),
                Value::Null => {}
                other => out.push(Val::Node(other.clone())),
            },
            Val::Coding(system, code) => match name {
                "system" => out.push(Val::Str(system.clone())),
                "code" => out.push(Val::Str(code.clone())),
                _ => {}
            },
            _ => {}
        }
    }
    out
}

fn single_bool(values: &[Val]) -> Option<bool> {
    match values {
        [Val::Bool(b)] => Some(*b),
        [] => None,
        other => panic!("not a boolean: {other:?}"),
    }
}

fn single_num(values: &[Val]) -> Option<f64> {
    match values {
        [Val::Num(n)] => Some(*n),
        [] => None,
        other => panic!("not a number: {other:?}"),
    }
}

fn eval(ast: &Ast, focus: &[Val], this: &[Val], ctx: &Context<'_>) -> Vec<Val> {
    match ast {
        Ast::Empty => vec![],
        Ast::Bool(b) => vec![Val::Bool(*b)],
        Ast::Num(n) => vec![Val::Num(*n)],
        Ast::Str(s) => vec![Val::Str(s.clone())],
        Ast::Date(d) => vec![Val::Date(d.clone())],
        Ast::Env(name) => ctx
            .env
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("%{name}")),
        Ast::This => this.to_vec(),
        Ast::Ident(name) => children(focus, name),
        Ast::Path(inner, name) => children(&eval(inner, focus, this, ctx), name),
        Ast::Negate(inner) => single_num(&eval(inner, focus, this, ctx))
            .map(|n| vec![Val::Num(-n)])
            .unwrap_or_default(),
        Ast::Binary(op, left, right) => {
            let l = eval(left, focus, this, ctx);
            let r = eval(right, focus, this, ctx);
            binary(op, &l, &r)
        }
        Ast::Call(target, name, args) => {
            let input = match target {
                Some(t) => eval(t, focus, this, ctx),
                None => focus.to_vec(),
            };
            call(name, &input, args, focus, this, ctx)
        }
    }
}

fn binary(op: &str, l: &[Val], r: &[Val]) -> Vec<Val> {
    let boolean = |v: Option<bool>| v.map(|b| vec![Val::Bool(b)]).unwrap_or_default();
    match op {
        "and" => match (single_bool(l), single_bool(r)) {
            (Some(false), _) | (_, Some(false)) => vec![Val::Bool(false)],
            (Some(true), Some(true)) => vec![Val::Bool(true)],
            _ => vec![],
        },
        "or" => match (single_bool(l), single_bool(r)) {
            (Some(true), _) | (_, Some(true)) => vec![Val::Bool(true)],
            (Some(false), Some(false)) => vec![Val::Bool(false)],
            _ => vec![],
        },
        "|" => {
            let mut out = l.to_vec();
            for v in r {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
            out
        }
        "in" => match l {
            [] => vec![],
            [one] => vec![Val::Bool(r.contains(one))],
            _ => panic!("in on a collection"),
        },
        "=" | "!=" => {
            if l.is_empty() || r.is_empty() {
                return vec![];
            }
            let equal = l == r;
            vec![Val::Bool(if op == "=" { equal } else { !equal })]
        }
        "<" | ">" | "<=" | ">=" => {
            let (Some(a), Some(b)) = (single_num(l), single_num(r)) else {
                return vec![];
            };
            boolean(Some(match op {
                "<" => a < b,
                ">" => a > b,
                "<=" => a <= b,
                _ => a >= b,
            }))
        }
        "+" | "-" | "*" | "/" => {
            let (Some(a), Some(b)) = (single_num(l), single_num(r)) else {
                return vec![];
            };
            match op {
                "+" => vec![Val::Num(a + b)],
                "-" => vec![Val::Num(a - b)],
                "*" => vec![Val::Num(a * b)],
                _ if b == 0.0 => vec![],
                _ => vec![Val::Num(a / b)],
            }
        }
        other => panic!("operator {other}"),
    }
}

fn call(
    name: &str,
    input: &[Val],
    args: &[Ast],
    focus: &[Val],
    this: &[Val],
    ctx: &Context<'_>,
) -> Vec<Val> {
    match name {
        "where" => input
            .iter()
            .filter(|v| {
                let one = [(*v).clone()];
                single_bool(&eval(&args[0], &one, &one, ctx)) == Some(true)
            })
            .cloned()
            .collect(),
        "select" => input
            .iter()
            .flat_map(|v| {
                let one = [v.clone()];
                eval(&args[0], &one, &one, ctx)
            })
            .collect(),
        "repeat" => {
            let mut out = Vec::new();
            let mut queue: Vec<Val> = input.to_vec();
            while let Some(next) = queue.pop() {
                let one = [next];
                let found = eval(&args[0], &one, &one, ctx);
                for f in found.iter().rev() {
                    queue.push(f.clone());
                }
                out.extend(found);
            }
            out
        }
        "exists" => vec![Val::Bool(!input.is_empty())],
        "empty" => vec![Val::Bool(input.is_empty())],
        "count" => vec![Val::Num(input.len() as f64)],
        "not" => single_bool(input)
            .map(|b| vec![Val::Bool(!b)])
            .unwrap_or_default(),
        "sum" => vec![Val::Num(
            input
                .iter()
                .map(|v| match v {
                    Val::Num(n) => *n,
                    other => panic!("sum of {other:?}"),
                })
                .sum(),
        )],
        "ordinal" => input
            .iter()
            .filter_map(|v| match v {
                Val::Coding(system, code) => ctx
                    .ordinals
                    .get(&(system.clone(), code.clone()))
                    .map(|n| Val::Num(*n)),
                _ => None,
            })
            .collect(),
        "combine" => {
            let mut out = input.to_vec();
            out.extend(eval(&args[0], focus, this, ctx));
            out
        }
        "iif" => match single_bool(&eval(&args[0], focus, this, ctx)) {
            Some(true) => eval(&args[1], focus, this, ctx),
            _ => args
                .get(2)
                .map(|a| eval(a, focus, this, ctx))
                .unwrap_or_default(),
        },
        other => panic!("function {other}"),
    }
}

// ---------------------------------------------------------------------------------------
// Running the exports.

/// Every Questionnaire item (and contained ValueSet concept) by linkId, and the ordinals.
fn index(questionnaire: &Value) -> (Vec<Value>, HashMap<(String, String), f64>) {
    fn walk(items: &Value, out: &mut Vec<Value>) {
        for item in items.as_array().into_iter().flatten() {
            out.push(item.clone());
            walk(&item["item"], out);
        }
    }
    let mut items = Vec::new();
    walk(&questionnaire["item"], &mut items);
    let mut ordinals = HashMap::new();
    let ordinal_of = |element: &Value| {
        element["extension"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["url"] == fhir::ORDINAL_VALUE)
            .and_then(|e| e["valueDecimal"].as_f64())
    };
    for item in &items {
        for option in item["answerOption"].as_array().into_iter().flatten() {
            let coding = &option["valueCoding"];
            if let Some(score) = ordinal_of(option) {
                ordinals.insert(
                    (
                        coding["system"]
                            .as_str()
                            .expect("well-formed export")
                            .to_owned(),
                        coding["code"]
                            .as_str()
                            .expect("well-formed export")
                            .to_owned(),
                    ),
                    score,
                );
            }
        }
    }
    for set in questionnaire["contained"].as_array().into_iter().flatten() {
        for include in set["compose"]["include"].as_array().into_iter().flatten() {
            for concept in include["concept"].as_array().into_iter().flatten() {
                if let Some(score) = ordinal_of(concept) {
                    ordinals.insert(
                        (
                            include["system"]
                                .as_str()
                                .expect("well-formed export")
                                .to_owned(),
                            concept["code"]
                                .as_str()
                                .expect("well-formed export")
                                .to_owned(),
                        ),
                        score,
                    );
                }
            }
        }
    }
    (items, ordinals)
}

fn expression(item: &Value, url: &str) -> Option<String> {
    item["extension"]
        .as_array()?
        .iter()
        .find(|e| e["url"] == url)
        .and_then(|e| e["valueExpression"]["expression"].as_str())
        .map(str::to_owned)
}

/// The answers a response item with this linkId holds, at any depth.
fn answers_of<'r>(response: &'r Value, link: &str) -> Vec<&'r Value> {
    fn walk<'r>(items: &'r Value, link: &str, out: &mut Vec<&'r Value>) {
        for item in items.as_array().into_iter().flatten() {
            if item["linkId"] == link {
                out.extend(item["answer"].as_array().into_iter().flatten());
            }
            walk(&item["item"], link, out);
        }
    }
    let mut out = Vec::new();
    walk(&response["item"], link, &mut out);
    out
}

/// R4 `enableWhen`, read plainly: `exists` and `=` (the operators the export writes).
fn enable_when_holds(item: &Value, response: &Value) -> bool {
    let entries = item["enableWhen"].as_array().expect("well-formed export");
    let results: Vec<bool> = entries
        .iter()
        .map(|entry| {
            let answers = answers_of(
                response,
                entry["question"].as_str().expect("well-formed export"),
            );
            match entry["operator"].as_str().expect("well-formed export") {
                "exists" => {
                    answers.is_empty()
                        != entry["answerBoolean"]
                            .as_bool()
                            .expect("well-formed export")
                }
                "=" => {
                    let (key, expected) = entry
                        .as_object()
                        .expect("well-formed export")
                        .iter()
                        .find(|(k, _)| k.starts_with("answer"))
                        .expect("well-formed export");
                    let value_key = key.replacen("answer", "value", 1);
                    answers.iter().any(|answer| {
                        let found = &answer[&value_key];
                        if key == "answerCoding" {
                            found["system"] == expected["system"]
                                && found["code"] == expected["code"]
                        } else {
                            found == expected
                        }
                    })
                }
                other => panic!("operator {other} is not written by the export"),
            }
        })
        .collect();
    match item["enableBehavior"].as_str() {
        Some("any") => results.iter().any(|r| *r),
        _ => results.iter().all(|r| *r),
    }
}

fn check(
    questionnaire: &Questionnaire,
    answers: &LiteMap<String, AnswerValue>,
    label: &str,
) -> usize {
    let exported = fhir::questionnaire(questionnaire);
    let (items, ordinals) = index(&exported);
    let evaluation = Evaluation::of(questionnaire, answers);
    let response: Response = Response::build(
        questionnaire,
        answers,
        &evaluation,
        Status::Completed,
        Timestamps {
            updated_at: "2026-01-01T00:00:00Z".into(),
            ..Timestamps::default()
        },
    );
    let qr = fhir::questionnaire_response(questionnaire, &response);
    let mut checked = 0;
    for item in &items {
        let link = item["linkId"].as_str().expect("well-formed export");
        let root = vec![Val::Node(qr.clone())];
        let mut env = HashMap::new();
        env.insert("resource".to_owned(), root.clone());
        let mut ctx = Context {
            env,
            ordinals: &ordinals,
        };
        if let Some(text) = expression(item, fhir::ENABLE_WHEN_EXPRESSION) {
            let result = eval(&Parser::parse(&text), &root, &root, &ctx);
            let enabled = single_bool(&result);
            assert!(enabled.is_some(), "{label}: {link}: {text} gave {result:?}");
            assert_eq!(
                enabled == Some(true),
                evaluation.visible.contains(link),
                "{label}: enableWhenExpression of {link}: {text}"
            );
            checked += 1;
        }
        if item["enableWhen"].is_array() {
            assert_eq!(
                enable_when_holds(item, &qr),
                evaluation.visible.contains(link),
                "{label}: enableWhen of {link}: {}",
                item["enableWhen"]
            );
            checked += 1;
        }
        if let Some(text) = expression(item, fhir::CALCULATED_EXPRESSION) {
            let variable = item["extension"]
                .as_array()
                .expect("well-formed export")
                .iter()
                .find(|e| e["url"] == fhir::VARIABLE)
                .expect("well-formed export");
            let terms = eval(
                &Parser::parse(
                    variable["valueExpression"]["expression"]
                        .as_str()
                        .expect("well-formed export"),
                ),
                &root,
                &root,
                &ctx,
            );
            ctx.env.insert(
                variable["valueExpression"]["name"]
                    .as_str()
                    .expect("well-formed export")
                    .to_owned(),
                terms,
            );
            let value = single_num(&eval(&Parser::parse(&text), &root, &root, &ctx));
            let rule = item["extension"]
                .as_array()
                .expect("well-formed export")
                .iter()
                .find(|e| e["url"] == fhir::KAPFORMS_SCORE_RULE)
                .expect("well-formed export");
            let rule: Value =
                serde_json::from_str(rule["valueString"].as_str().expect("well-formed export"))
                    .expect("well-formed export");
            let index = questionnaire
                .scores
                .iter()
                .position(|s| rule["id"] == s.id.as_str())
                .expect("well-formed export");
            let score = &evaluation.scores[index];
            if score.is_complete() {
                let value = value.unwrap_or_else(|| panic!("{label}: {link} gave nothing"));
                assert!(
                    (value - score.value).abs() < 1e-9,
                    "{label}: {link} = {value}, natively {}: {text}",
                    score.value
                );
                checked += 1;
            }
        }
    }
    checked
}

fn golden(instrument: &str) -> Vec<LiteMap<String, AnswerValue>> {
    let path = format!(
        "{}/../instruments/tests/cases/{instrument}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let cases: Value = serde_json::from_str(&text).expect("well-formed export");
    cases["cases"]
        .as_array()
        .expect("well-formed export")
        .iter()
        .map(|case| {
            kapforms_core::wire::answers_from_value(case["answers"].clone())
                .expect("well-formed export")
        })
        .collect()
}

#[test]
fn exported_expressions_agree_with_native_visibility_and_scores() {
    let mut checked = 0;
    let dir = format!("{}/../instruments/definitions", env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("well-formed export")
        .map(|e| e.expect("well-formed export").path())
        .collect();
    paths.sort();
    for path in paths {
        let questionnaire = definitions::load_definition(
            &std::fs::read_to_string(&path).expect("well-formed export"),
        )
        .expect("well-formed export");
        for answers in golden(&questionnaire.id) {
            checked += check(&questionnaire, &answers, &questionnaire.id);
        }
    }
    let engine: Value = serde_json::from_str(include_str!("cases/scoring_engine.json"))
        .expect("well-formed export");
    let questionnaire =
        Questionnaire::from_json(&engine["definition"].to_string()).expect("well-formed export");
    for case in engine["cases"].as_array().expect("well-formed export") {
        let answers = kapforms_core::wire::answers_from_value(case["answers"].clone())
            .expect("well-formed export");
        checked += check(&questionnaire, &answers, "engine");
    }
    let probe = Questionnaire::from_json(include_str!(
        "fhir/handwritten/roundtrip-probe.definition.json"
    ))
    .expect("well-formed export");
    let sets: Value = serde_json::from_str(include_str!(
        "fhir/handwritten/roundtrip-probe.answers.json"
    ))
    .expect("well-formed export");
    for answers in sets.as_array().expect("well-formed export") {
        let answers =
            kapforms_core::wire::answers_from_value(answers.clone()).expect("well-formed export");
        checked += check(&probe, &answers, "probe");
    }
    assert!(checked > 300, "only {checked} checks ran");
}
