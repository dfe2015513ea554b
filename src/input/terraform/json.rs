//! Terraform's JSON configuration syntax (`.tf.json`, `.tofu.json`), read as HCL's
//! JSON syntax specification says: the document is a body, an object or an array of
//! objects; each label level of a block, and its body, is an object or an array of
//! objects; a name may repeat in one object; `"//"` in a body is a comment; and a
//! string where an expression goes is a native-syntax template (`"${var.zone}"`).
//!
//! serde_json checks the document and hands out each value's text as written, whose
//! place in the file is its span. A value evaluation needs is written out again as
//! native syntax at the same place (each string as the quoted template it stands for,
//! no longer than its JSON text) and parsed by hcl-edit like a `.tf` file's value, so
//! its spans point into the JSON file. After an escape in a string's literal text a
//! span can fall a few characters early, never past the string: Terraform's own
//! parser does the same.

use std::ops::Range;

use hcl_edit::Span;
use hcl_edit::expr::Expression;
use hcl_edit::template::{Directive, Element, Template};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::syntax::Item;

/// Why a text is not Terraform's JSON syntax: the offset and what is wrong there.
pub(super) type Invalid = (usize, String);

/// What `keep` makes of each block of a `.tf.json` file, in document order. Of the
/// blocks' arguments, only those `needed` (block type, labels, name) are parsed; the
/// others are handed on as `null`, as the native syntax's reader hands on all of them.
pub(super) fn parse<T>(
    text: &str,
    needed: impl Fn(&str, &[String], &str) -> bool,
    mut keep: impl FnMut(Item) -> Option<T>,
) -> Result<Vec<T>, Invalid> {
    let document: &RawValue = serde_json::from_str(text).map_err(|error| syntax(text, &error))?;
    let mut reader = Reader {
        text,
        needed: &needed,
        blocks: Vec::new(),
    };
    for (key, value) in reader.members(
        document,
        "the document is a JSON object of blocks (or an array of such objects)",
    )? {
        let ident = name(key)?;
        // Block types take as many labels as the native syntax gives them; the others
        // (`output`, `moved`, `import`...) create nothing and are not read.
        let depth = match ident.as_str() {
            "resource" | "data" => 2,
            "variable" | "module" | "provider" => 1,
            "locals" | "terraform" => 0,
            _ => continue,
        };
        reader.blocks(&ident, value, depth, &mut Vec::new(), span(text, key.get()))?;
    }
    Ok(reader.blocks.into_iter().filter_map(&mut keep).collect())
}

/// The arguments of one block body (an object's text), each value's spans counted
/// from its offset in `text`: for a block that another refers to, parsed again.
/// An argument that does not parse is left out, as it was not needed before.
pub(super) fn attributes(text: &str) -> Vec<(String, usize, Expression)> {
    let Ok(Members(members)) = serde_json::from_str(text) else {
        return Vec::new();
    };
    members
        .into_iter()
        .filter_map(|(key, value)| {
            let key = name(key).ok().filter(|key| key != "//")?;
            let (shift, expression) = expression(value.get(), Strings::Template).ok()?;
            Some((key, offset(text, value.get()) + shift, expression))
        })
        .collect()
}

struct Reader<'t, 'n> {
    text: &'t str,
    needed: &'n dyn Fn(&str, &[String], &str) -> bool,
    blocks: Vec<Item>,
}

impl<'t> Reader<'t, '_> {
    /// The blocks `ident` of one label level (`depth` labels still to come), each with
    /// `labels` before them and its header at the last label (`header`).
    fn blocks(
        &mut self,
        ident: &str,
        value: &'t RawValue,
        depth: usize,
        labels: &mut Vec<String>,
        header: Range<usize>,
    ) -> Result<(), Invalid> {
        if depth > 0 {
            let what = format!(
                "the labels of a `{ident}` block are the names of a JSON object (or of an array of objects)"
            );
            for (key, value) in self.members(value, &what)? {
                labels.push(name(key)?);
                self.blocks(ident, value, depth - 1, labels, span(self.text, key.get()))?;
                labels.pop();
            }
            return Ok(());
        }
        // One body, or an array of bodies for blocks of the same type and labels.
        let bodies: Vec<&RawValue> = match serde_json::from_str(value.get()) {
            Ok(bodies) => bodies,
            Err(_) => vec![value],
        };
        for body in bodies {
            let what =
                format!("the body of a `{ident}` block is a JSON object (or an array of objects)");
            let members = self.object(body, &what)?;
            let mut items = Vec::new();
            for (key, value) in members {
                let key = name(key)?;
                if key == "//" {
                    continue;
                }
                let (shift, expression) = if (self.needed)(ident, labels, &key) {
                    let strings = match (ident, key.as_str()) {
                        // Terraform reads a variable's `type` as a type expression,
                        // and its other arguments (and a module's source) without
                        // evaluating templates.
                        ("variable", "type") => Strings::Expression,
                        ("variable", _) | ("module", "source" | "version") => Strings::Literal,
                        _ => Strings::Template,
                    };
                    let at = offset(self.text, value.get());
                    expression(value.get(), strings)
                        .map_err(|(offset, message)| (at + offset, message))?
                } else {
                    (0, Expression::null())
                };
                items.push(Item::Attribute {
                    key,
                    at: offset(self.text, value.get()) + shift,
                    value: expression,
                });
            }
            self.blocks.push(Item::Block {
                ident: ident.to_owned(),
                labels: labels.clone(),
                header: header.clone(),
                whole: span(self.text, body.get()),
                body: items,
            });
        }
        Ok(())
    }

    /// The members of a body or label level: an object's, or those of each object of
    /// an array, in order.
    fn members(
        &self,
        value: &'t RawValue,
        what: &str,
    ) -> Result<Vec<(&'t RawValue, &'t RawValue)>, Invalid> {
        let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(value.get()) else {
            return self.object(value, what);
        };
        let mut members = Vec::new();
        for item in items {
            members.extend(self.object(item, what)?);
        }
        Ok(members)
    }

    fn object(
        &self,
        value: &'t RawValue,
        what: &str,
    ) -> Result<Vec<(&'t RawValue, &'t RawValue)>, Invalid> {
        serde_json::from_str::<Members>(value.get())
            .map(|Members(members)| members)
            .map_err(|_| {
                (
                    offset(self.text, value.get()),
                    format!("{what}, not {}", describe(value.get())),
                )
            })
    }
}

/// An object's members in document order, a name written twice kept twice: each
/// name and value as written.
struct Members<'t>(Vec<(&'t RawValue, &'t RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = Members<'de>;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Object)
    }
}

/// How a JSON string is read where a value goes.
#[derive(Clone, Copy, PartialEq)]
enum Strings {
    /// As a native-syntax template, `${...}` evaluated: most places.
    Template,
    /// As the text it is, `${` and all (a variable's `default`).
    Literal,
    /// As a native-syntax expression (a variable's `type`, `"list(string)"`).
    Expression,
}

/// The expression a JSON value stands for, and the offset in the value its spans
/// count from.
fn expression(value: &str, strings: Strings) -> Result<(usize, Expression), Invalid> {
    let parsed = |text: &str| {
        hcl_edit::parser::parse_expr(text)
            .map_err(|error| (error.location().offset(), error.message().to_owned()))
    };
    if strings == Strings::Expression
        && let Ok(text) = serde_json::from_str::<String>(value)
    {
        // Past the opening quote.
        return parsed(&text)
            .map(|expression| (1, expression))
            .map_err(|(offset, message)| (offset + 1, message));
    }
    let mut native = String::with_capacity(value.len());
    let mut at = 0;
    while let Some(quote) = value[at..].find('"') {
        let start = at + quote;
        native.push_str(&value[at..start]);
        at = string_end(value, start);
        let text: String =
            serde_json::from_str(&value[start..at]).map_err(|error| (start, error.to_string()))?;
        quoted(&text, &value[start + 1..at - 1], strings, &mut native)
            .map_err(|(offset, message)| ((start + 1 + offset).min(at - 1), message))?;
        // A string written shorter than its JSON text (escapes) is padded, so what
        // follows keeps its place.
        while native.len() < at {
            native.push(' ');
        }
    }
    native.push_str(&value[at..]);
    // An expression ends at its last token; spaces after it are not one.
    parsed(native.trim_end()).map(|expression| (0, expression))
}

/// Where the JSON string starting at `start` ends (past its closing quote).
fn string_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// Writes `text`, a JSON string's value (`raw` as written, between its quotes), as a
/// native-syntax quoted template that reads as `strings` says: its literal parts
/// escaped, its interpolations and directives as they are (or, read literally, all of
/// it escaped). A character never takes more bytes than in the JSON text (which escapes
/// `"`, `\` and control characters too); the bytes an escape saves are given back as
/// spaces where an expression allows them, around a string inside an interpolation
/// (`\"DE-FRA-1\"`), so what follows keeps its place.
fn quoted(text: &str, raw: &str, strings: Strings, out: &mut String) -> Result<(), Invalid> {
    let literal = if strings == Strings::Template {
        let template = hcl_edit::parser::parse_template(text)
            .map_err(|error| (error.location().offset(), error.message().to_owned()))?;
        let mut spans = Vec::new();
        literal_spans(&template, &mut spans);
        spans
    } else {
        std::iter::once(0..text.len()).collect()
    };
    let mut spans = literal.iter().peekable();
    let mut lengths = escaped_lengths(raw);
    // Bytes saved so far; whether the interpolation is inside a string; whether the
    // next character is escaped there; whether spaces can still be placed safely
    // (not once a string nests a template, or a heredoc begins).
    let (mut saved, mut in_string, mut escaped, mut safe) = (0, false, false, true);
    let give_back = |saved: &mut usize, out: &mut String| {
        out.extend(std::iter::repeat_n(' ', *saved));
        *saved = 0;
    };
    out.push('"');
    for (at, c) in text.char_indices() {
        let length = lengths.next().unwrap_or(c.len_utf8());
        let before = out.len();
        while spans.peek().is_some_and(|span| span.end <= at) {
            spans.next();
        }
        if spans.peek().is_none_or(|span| span.start > at) {
            saved += length.saturating_sub(c.len_utf8());
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                    out.push(c);
                    if safe {
                        give_back(&mut saved, out);
                    }
                    continue;
                } else if c == '{' && (out.ends_with('$') || out.ends_with('%')) {
                    safe = false;
                }
            } else if c == '"' {
                in_string = true;
                if safe {
                    give_back(&mut saved, out);
                }
            } else if c == '<' && out.ends_with('<') {
                safe = false;
            }
            out.push(c);
            continue;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            // `${` and `%{` read literally are written `$${` and `%%{`.
            '{' if strings == Strings::Literal && (out.ends_with('$') || out.ends_with('%')) => {
                let sign = if out.ends_with('$') { '$' } else { '%' };
                out.push(sign);
                out.push('{');
            }
            _ => out.push(c),
        }
        saved += length.saturating_sub(out.len() - before);
    }
    out.push('"');
    Ok(())
}

/// The length of each character of a JSON string as written (`raw`, between its quotes):
/// `\n` is two bytes, `\u00e9` six, a surrogate pair twelve.
fn escaped_lengths(raw: &str) -> impl Iterator<Item = usize> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let c = raw[at..].chars().next()?;
        let length = match (c, raw.as_bytes().get(at + 1)) {
            ('\\', Some(b'u')) => {
                let high = raw
                    .get(at + 2..at + 6)
                    .and_then(|digits| u16::from_str_radix(digits, 16).ok())
                    .is_some_and(|unit| (0xd800..0xdc00).contains(&unit));
                if high { 12 } else { 6 }
            }
            ('\\', _) => 2,
            _ => c.len_utf8(),
        };
        at += length;
        Some(length)
    })
}

/// The spans of a template's literal parts, its directives' included, in order.
fn literal_spans(template: &Template, spans: &mut Vec<Range<usize>>) {
    for element in template.iter() {
        match element {
            Element::Literal(literal) => spans.extend(literal.span()),
            Element::Interpolation(_) => {}
            Element::Directive(directive) => match directive.as_ref() {
                Directive::If(directive) => {
                    literal_spans(&directive.if_expr.template, spans);
                    if let Some(other) = &directive.else_expr {
                        literal_spans(&other.template, spans);
                    }
                }
                Directive::For(directive) => literal_spans(&directive.for_expr.template, spans),
            },
        }
    }
}

/// A member name, decoded.
fn name(key: &RawValue) -> Result<String, Invalid> {
    serde_json::from_str(key.get()).map_err(|error| (0, error.to_string()))
}

/// Where `part`, a slice of `text`, starts in it.
fn offset(text: &str, part: &str) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

fn span(text: &str, part: &str) -> Range<usize> {
    let start = offset(text, part);
    start..start + part.len()
}

/// "a string", "an array"...: the kind of a JSON value, as messages name it.
fn describe(value: &str) -> &'static str {
    match value.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The offset of a serde_json syntax error, which gives a line and column.
fn syntax(text: &str, error: &serde_json::Error) -> Invalid {
    let line_start = text
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let mut at = (line_start + error.column().saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    // serde_json's message ends with "at line L column C", which the place says.
    let message = error.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(message, _)| message);
    (at, message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::{Strings, expression};
    use hcl_edit::Span;

    /// The text each span of a value's expression covers in the JSON text.
    fn covered(json: &str) -> String {
        let (shift, parsed) = expression(json, Strings::Template).unwrap();
        json[parsed.span().unwrap().start + shift..parsed.span().unwrap().end + shift].to_owned()
    }

    #[test]
    fn strings_are_templates_at_their_place() {
        assert_eq!(covered(r#""${var.zone}""#), r#""${var.zone}""#);
        assert_eq!(covered(r#"[ "a\/b" , "${x}" ]"#), r#"[ "a\/b" , "${x}" ]"#);
        let (_, parsed) = expression(r#""${lower(\"DE-FRA-1\")}""#, Strings::Template).unwrap();
        assert!(matches!(
            parsed,
            hcl_edit::expr::Expression::StringTemplate(_)
        ));
        // Literal parts read as they do in JSON: escapes decoded, `$${` is `${`.
        let literal = |json, strings| match expression(json, strings).unwrap().1 {
            hcl_edit::expr::Expression::String(text) => text.value().clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            literal(r#""$${x} \"q\" \\ \u00e9 \/""#, Strings::Template),
            "${x} \"q\" \\ é /"
        );
        assert_eq!(literal(r#""${x} %{y}""#, Strings::Literal), "${x} %{y}");
        let (shift, kind) = expression(r#""list(string)""#, Strings::Expression).unwrap();
        assert_eq!((shift, kind.span()), (1, Some(0..12)));
        assert!(expression(r#""${x""#, Strings::Template).is_err());
    }

    #[test]
    fn quotes_escaped_inside_an_interpolation_keep_what_follows_in_place() {
        use hcl_edit::expr::Expression;
        use hcl_edit::template::Element;
        let json = r#""${lookup({\"a\" = \"b\"}, \"k\", var.zone)}/\u00e9\/""#;
        let (shift, parsed) = expression(json, Strings::Template).unwrap();
        // The escapes after the interpolation are literal text: the template ends
        // early by the bytes they save, never late.
        assert_eq!((shift, parsed.span()), (0, Some(0..json.len() - 5)));
        let Expression::StringTemplate(template) = parsed else {
            panic!("{parsed:?}");
        };
        let Some(Element::Interpolation(interpolation)) = template.iter().next() else {
            panic!("{template:?}");
        };
        let Expression::FuncCall(call) = &interpolation.expr else {
            panic!("{interpolation:?}");
        };
        let covered: Vec<&str> = call
            .args
            .iter()
            .map(|argument| &json[argument.span().unwrap()])
            .collect();
        // A string inside covers its quotes, which are a byte into each `\"`.
        assert_eq!(covered, [r#"{\"a\" = \"b\"}"#, r#""k\"#, "var.zone"]);
    }
}
