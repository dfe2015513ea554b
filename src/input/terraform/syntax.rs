//! The one way a `.tf` or `.tfvars` file is parsed: a quick reader takes the common
//! shape (blocks on their own lines, `key = value` attributes, line comments) and hands
//! only each attribute's value to hcl-edit's expression parser, whose answers for a
//! given text are remembered; anything else (heredocs, `/* */`, escaped labels, a
//! syntax error...) is parsed by hcl-edit whole, for its exact error.

use std::cell::RefCell;
use std::ops::Range;

use foldhash::{HashMap, HashSet};
use hcl_edit::Span;
use hcl_edit::expr::Expression;
use hcl_edit::parser::Error;
use hcl_edit::structure::{Body, Structure};

/// A block or attribute of a body, its spans counted from the start of the text.
#[derive(Debug)]
pub(super) enum Item {
    /// `key = value`; the value's spans count from `at`.
    Attribute {
        key: String,
        at: usize,
        value: Expression,
    },
    Block {
        ident: String,
        labels: Vec<String>,
        /// From the keyword to the end of the last label.
        header: Range<usize>,
        whole: Range<usize>,
        body: Vec<Item>,
    },
}

/// What `keep` makes of each top-level item of a native-syntax body, as it is read (so
/// that only what is kept of a large file is held at once). When the text does not
/// parse, the error is hcl-edit's for the whole text, as `terraform` reports it.
pub(super) fn parse<T>(
    text: &str,
    mut keep: impl FnMut(Item) -> Option<T>,
) -> Result<Vec<T>, Error> {
    let mut items = Vec::new();
    if quick(text, &mut |item| items.extend(keep(item))).is_some() {
        return Ok(items);
    }
    items.clear();
    if text.len() > PARSED_WHOLE_BYTES {
        // After each line that is only `}`: when every piece parses, the whole parses
        // to the same (a `}` in a heredoc or comment makes its piece fail).
        let ends = text.match_indices("\n}").filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let cr = usize::from(rest.starts_with('\r'));
            rest[cr..].starts_with('\n').then_some(at + 3 + cr)
        });
        // A piece that fails is joined to the next (a few times) before the whole is.
        let (mut start, mut joined) = (0, 0);
        for end in ends.chain([text.len()]) {
            if let Ok(body) = hcl_edit::parser::parse_body(&text[start..end]) {
                items.extend(from_body(body, start).into_iter().filter_map(&mut keep));
                (start, joined) = (end, 0);
            } else if joined == 16 {
                break;
            } else {
                joined += 1;
            }
        }
        if start == text.len() {
            return Ok(items);
        }
        items.clear();
    }
    let body = hcl_edit::parser::parse_body(text)?;
    Ok(from_body(body, 0).into_iter().filter_map(keep).collect())
}

/// The items of a body parsed from the text from `at` on.
fn from_body(body: Body, at: usize) -> Vec<Item> {
    let shift = |span: Option<Range<usize>>| span.map_or(0..0, |s| s.start + at..s.end + at);
    body.into_iter()
        .map(|structure| match structure {
            Structure::Attribute(attribute) => Item::Attribute {
                key: attribute.key.as_str().to_owned(),
                at,
                value: attribute.value,
            },
            Structure::Block(block) => {
                let start = block.ident.span();
                let end = block.labels.last().and_then(|label| label.span());
                let header = shift(start.clone()).start..shift(end.or(start)).end;
                Item::Block {
                    ident: block.ident.as_str().to_owned(),
                    labels: block.labels.iter().map(|l| l.as_str().to_owned()).collect(),
                    header,
                    whole: shift(block.span()),
                    body: from_body(block.body, at),
                }
            }
        })
        .collect()
}

/// Files larger than this that the quick reader does not take are parsed one top-level
/// block at a time, so that only one block's syntax tree is held at once; smaller ones
/// whole.
const PARSED_WHOLE_BYTES: usize = 64 * 1024;

/// Blocks nested deeper than this, or an expression that may nest as deep as hcl-edit's
/// limit (64 levels, blocks included), are left to hcl-edit.
const QUICK_DEPTH: usize = 32;

thread_local! {
    /// Attribute values already parsed, by their text: a value parsed alone has the
    /// same tree wherever it is written, its spans counting from its start.
    static PARSED: RefCell<HashMap<Box<str>, Expression>> = RefCell::default();
}

/// Values longer than this are parsed each time, and the memo is emptied when it holds
/// `MEMO_ENTRIES`: it is for the short values written again and again.
const MEMO_BYTES: usize = 256;
const MEMO_ENTRIES: usize = 2048;

/// `text` parsed as an attribute's value (`None` when it is not one).
fn value(text: &str) -> Option<Expression> {
    if text.len() > MEMO_BYTES {
        return hcl_edit::parser::parse_expr(text).ok();
    }
    PARSED.with_borrow_mut(|parsed| {
        if let Some(known) = parsed.get(text) {
            return Some(known.clone());
        }
        let expression = hcl_edit::parser::parse_expr(text).ok()?;
        if parsed.len() >= MEMO_ENTRIES {
            parsed.clear();
        }
        parsed.insert(text.into(), expression.clone());
        Some(expression)
    })
}

/// The top-level items of `text`, to `sink`, when it has the common shape and parses;
/// `None` otherwise (when `sink` may have had some).
fn quick(text: &str, sink: &mut dyn FnMut(Item)) -> Option<()> {
    Quick { text, i: 0 }.body(0, sink)
}

struct Quick<'t> {
    text: &'t str,
    i: usize,
}

impl<'t> Quick<'t> {
    fn at(&self, i: usize) -> u8 {
        self.text.as_bytes().get(i).copied().unwrap_or(0)
    }

    fn spaces(&mut self) {
        while matches!(self.at(self.i), b' ' | b'\t') {
            self.i += 1;
        }
    }

    /// Skips a `#` or `//` comment, to the end of its line (`None` when a carriage
    /// return that ends no line is in it).
    fn comment(&mut self) -> Option<()> {
        if self.at(self.i) == b'#' || (self.at(self.i) == b'/' && self.at(self.i + 1) == b'/') {
            let end = self.text.as_bytes()[self.i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(self.text.len(), |n| self.i + n);
            let comment = &self.text.as_bytes()[self.i..end];
            let comment = comment.strip_suffix(b"\r").unwrap_or(comment);
            self.i = end;
            return (!comment.contains(&b'\r')).then_some(());
        }
        Some(())
    }

    /// Ends a line: spaces, perhaps a line comment, then a newline or the end.
    fn line_end(&mut self) -> Option<()> {
        self.spaces();
        self.comment()?;
        match (self.at(self.i), self.at(self.i + 1)) {
            (b'\n', _) => self.i += 1,
            (b'\r', b'\n') => self.i += 2,
            _ if self.i == self.text.len() => {}
            _ => return None,
        }
        Some(())
    }

    fn ident(&mut self) -> Option<&'t str> {
        let start = self.i;
        if !matches!(self.at(start), b'a'..=b'z' | b'A'..=b'Z' | b'_') {
            return None;
        }
        while matches!(self.at(self.i), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'-') {
            self.i += 1;
        }
        // A letter beyond ASCII may continue it: left to hcl-edit.
        let text = self.text;
        (self.at(self.i) < 0x80).then(|| &text[start..self.i])
    }

    /// A body's items, to the end of the text (`depth` 0) or a closing `}`.
    fn body(&mut self, depth: usize, sink: &mut dyn FnMut(Item)) -> Option<()> {
        let mut keys = HashSet::default();
        loop {
            loop {
                match (self.at(self.i), self.at(self.i + 1)) {
                    (b' ' | b'\t' | b'\r' | b'\n', _) => self.i += 1,
                    (b'#', _) | (b'/', b'/') => self.comment()?,
                    _ => break,
                }
            }
            match self.at(self.i) {
                0 if depth == 0 && self.i == self.text.len() => return Some(()),
                b'}' if depth > 0 => return Some(()),
                _ => {}
            }
            let start = self.i;
            let ident = self.ident()?;
            self.spaces();
            if self.at(self.i) == b'=' {
                // A key written twice is an error hcl-edit names.
                keys.insert(ident).then_some(())?;
                sink(self.attribute(ident.to_owned(), depth, false)?);
            } else {
                sink(self.block(ident.to_owned(), start, depth)?);
            }
            self.line_end()?;
        }
    }

    /// An attribute from its `=` on; in a one-line block, a `}` ends it.
    fn attribute(&mut self, key: String, depth: usize, one_line: bool) -> Option<Item> {
        (self.at(self.i) == b'=').then_some(())?;
        self.i += 1;
        self.spaces();
        let (at, end) = self.expression(depth, one_line)?;
        let value = value(&self.text[at..end])?;
        Some(Item::Attribute { key, at, value })
    }

    /// A block from its labels on, its keyword `ident` read from `start`.
    fn block(&mut self, ident: String, start: usize, depth: usize) -> Option<Item> {
        let mut labels = Vec::new();
        let mut header = start..start + ident.len();
        while self.at(self.i) != b'{' {
            let label = self.i;
            if self.at(label) == b'"' {
                let length = self.text.as_bytes()[label + 1..]
                    .iter()
                    .position(|&b| b == b'"')?;
                let inner = &self.text[label + 1..label + 1 + length];
                // Escapes and templates are left to hcl-edit.
                if inner.contains(['\\', '\n', '\r', '{']) {
                    return None;
                }
                labels.push(inner.to_owned());
                self.i = label + length + 2;
            } else {
                labels.push(self.ident()?.to_owned());
            }
            header.end = self.i;
            self.spaces();
        }
        self.i += 1;
        self.spaces();
        let body = if self.at(self.i) == b'}' {
            Vec::new()
        } else if self.at(self.i).is_ascii_alphabetic() || self.at(self.i) == b'_' {
            // A one-line block: `{ key = value }`.
            let key = self.ident()?.to_owned();
            self.spaces();
            let attribute = self.attribute(key, depth + 1, true)?;
            self.spaces();
            (self.at(self.i) == b'}').then_some(())?;
            vec![attribute]
        } else {
            self.line_end()?;
            if depth + 1 >= QUICK_DEPTH || self.i == self.text.len() {
                return None;
            }
            let mut body = Vec::new();
            self.body(depth + 1, &mut |item| body.push(item))?;
            body
        };
        self.i += 1;
        // A provider's nested blocks are read as one object, whose spans must count from
        // one place.
        if ident == "provider" && body.iter().any(|item| matches!(item, Item::Block { .. })) {
            return None;
        }
        Some(Item::Block {
            ident,
            labels,
            header,
            whole: start..self.i,
            body,
        })
    }

    /// Where the expression starting here ends: at a newline or line comment outside
    /// brackets, strings and templates (`one_line`, also at a `}`). `None` for a heredoc,
    /// a `/* */` comment, a newline in a quoted string, an unbalanced bracket, or nesting
    /// that could come near hcl-edit's limit (the block's `depth` counts toward it).
    fn expression(&mut self, depth: usize, one_line: bool) -> Option<(usize, usize)> {
        let start = self.i;
        // What is open: `{`, `[`, `(`, a quoted string `"` and a template's `${`/`%{` (`$`).
        let mut open: Vec<u8> = Vec::new();
        // What bounds the levels hcl-edit counts: the deepest opening (two levels each)
        // and the unary and conditional operators (two each).
        let (mut deepest, mut operators) = (0, 0);
        while self.i < self.text.len() {
            let (b, next) = (self.at(self.i), self.at(self.i + 1));
            if open.last() == Some(&b'"') {
                match (b, next) {
                    (b'\\', b'\n' | b'\r') | (b'\n' | b'\r', _) => return None,
                    (b'\\', _) | (b'$', b'$') | (b'%', b'%') => self.i += 1,
                    (b'$' | b'%', b'{') => {
                        open.push(b'$');
                        deepest = deepest.max(open.len());
                        self.i += 1;
                    }
                    (b'"', _) => {
                        open.pop();
                    }
                    _ => {}
                }
                self.i += 1;
                continue;
            }
            match (b, next) {
                (b'\n', _) | (b'\r', b'\n') | (b'#', _) | (b'/', b'/') if open.is_empty() => break,
                (b'}', _) if one_line && open.is_empty() => break,
                (b'#', _) | (b'/', b'/') => {
                    self.comment()?;
                    continue;
                }
                (b'/', b'*') | (b'<', b'<') => return None,
                (b'\r', next) if next != b'\n' => return None,
                (b'"' | b'{' | b'[' | b'(', _) => {
                    open.push(b);
                    deepest = deepest.max(open.len());
                }
                (b'}' | b']' | b')', _) => match (open.pop()?, b) {
                    (b'{' | b'$', b'}') | (b'[', b']') | (b'(', b')') => {}
                    _ => return None,
                },
                (b'!' | b'-' | b'?', _) => operators += 1,
                _ => {}
            }
            self.i += 1;
        }
        let end = start + self.text[start..self.i].trim_end_matches([' ', '\t']).len();
        let nesting = depth + 2 * (deepest + operators) + 2;
        (open.is_empty() && end > start && nesting < 2 * QUICK_DEPTH - 4).then_some((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::{Item, from_body};
    use hcl_edit::Decorate;

    /// The items as srmlint reads them: names, labels, header and block spans, and each
    /// value's tree with its spans counted from the start of the text (the decor of the
    /// value itself, which the quick reader does not keep, is left out).
    fn dump(items: Vec<Item>, out: &mut String) {
        let spans = regex::Regex::new(r"(Some|Spanned)\((\d+)\.\.(\d+)\)").unwrap();
        for item in items {
            match item {
                Item::Attribute { key, at, mut value } => {
                    value.decor_mut().clear();
                    let tree = format!("{value:?}");
                    let tree = spans.replace_all(&tree, |found: &regex::Captures| {
                        let shifted = |i: usize| found[i].parse::<usize>().unwrap() + at;
                        format!("{}({}..{})", &found[1], shifted(2), shifted(3))
                    });
                    out.push_str(&format!("{key} = {tree}\n"));
                }
                Item::Block {
                    ident,
                    labels,
                    header,
                    whole,
                    body,
                } => {
                    out.push_str(&format!("{ident} {labels:?} {header:?} {whole:?} {{\n"));
                    dump(body, out);
                    out.push_str("}\n");
                }
            }
        }
    }

    fn quick(text: &str) -> Option<Vec<Item>> {
        let mut items = Vec::new();
        super::quick(text, &mut |item| items.push(item)).map(|()| items)
    }

    /// Whether the quick reader took `text`, after checking that whatever it read is
    /// what hcl-edit reads.
    fn same_as_hcl_edit(name: &str, text: &str) -> bool {
        let Some(items) = quick(text) else {
            return false;
        };
        let parsed = hcl_edit::parser::parse_body(text)
            .unwrap_or_else(|error| panic!("{name}: taken quickly, but hcl-edit says {error}"));
        let (mut fast, mut slow) = (String::new(), String::new());
        dump(items, &mut fast);
        dump(from_body(parsed, 0), &mut slow);
        assert_eq!(fast, slow, "{name}: the quick reader reads it otherwise");
        true
    }

    /// How many of the native-syntax files under `dir` the quick reader took.
    fn corpus(dir: &std::path::Path) -> usize {
        let mut taken = 0;
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            let name = entry.path().to_string_lossy();
            if [".tf", ".tfvars", ".tofu"]
                .iter()
                .any(|e| name.ends_with(e))
            {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                taken += usize::from(same_as_hcl_edit(&name, &text));
            }
        }
        taken
    }

    #[test]
    fn the_quick_reader_reads_as_hcl_edit_or_declines() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut taken = 0;
        for dir in ["tests", "examples"] {
            taken += corpus(&root.join(dir));
        }
        assert!(taken >= 30, "only {taken} files read quickly");
        let tricky = [
            "a {\n  b = \"{ # } // }\" # c {\n  # }\n}\n",
            "a \"b\" \"c\" {\n  url = \"https://x.example/a#b\" // ok\n}\n",
            "a {\n  t = \"x-${var.y}-${ {a = \"}\"}.a }%{ if true }y%{ endif }\"\n}\n",
            "a {\n  t = \"$${x} %%{y} \\\" \\n ${\"}\"}\"\n}\n",
            "a {\r\n  b = [\r\n    1, # one\r\n    2,\r\n  ]\r\n}\r\n",
            "a \"b\" {}\nc {\n}\n",
            "a { b = 1 }\n",
            "a {\n  dynamic \"x\" {\n    for_each = var.y\n    content {\n      z = x.value\n    }\n  }\n}\n",
            "a {\n  b = (var.c\n    ? 1\n    : 2)\n  d = f(\n    1,\n    [for x in y : x if x != \"\"],\n  )\n  e = { for k, v in m : k => v... }\n}\n",
            "a {\n  b = var.c\n    ? 1 : 2\n}\n",
            "a {\n  b = <<EOT\n}\nEOT\n}\n",
            "a {\n  b = 1 /* c */\n}\n",
            "/* a {\n} */\nb {\n}\n",
            "a {\n  nom = \"zürich ☃\"\n  c = var.zones[\"a\"][0].x[*].y\n}\n",
            "zürich {\n}\n",
            "a {\n  b = 1\n  b = 2\n}\n",
            "a {\n  b = 1\n  b {\n  }\n}\n",
            "a \"b\\\"c\" {\n}\n",
            "a b c {\n  d = -1.5e3\n  e = !true && null == null\n}\n",
            "a {\n  b = \n}\n",
            "a {\n  b = 1 2\n}\n",
            "a {\n  b = \"x\n}\n",
            "a {\n}\n}\n",
            "a {\n",
            "a = 1\nb = \"c\"\r\nd = [1,\n2]",
            "a = 1\r",
            "a = 1 # last",
            "a {\n  b = [\n    1 /* x */,\n  ]\n}\n",
            "a {\n  b = f(x // y\n  )\n}\n",
            "a \"b\" { # c\n  d = e.f[\"g\"]\n} # h\n",
            "provider \"aws\" {\n  endpoints {\n    s3 = \"x\"\n  }\n}\n",
            "variable \"x\" { type = map(string) } # y\nz {b={c=\"}\"}}\n",
            "a { b = 1 c = 2 }\n",
            "a { b = 1\n}\n",
            "a { b = [\n1] }\n",
            "a { b = 1 }c {\n}\n",
            "a = 1 # x\ry\n",
            "# x\ry\na = 1\n",
            "a = [ # x\ry\n]\n",
            "a = 1 # x\r\n",
            // Found by attacking the built binary: a byte-order mark, lines ended by a
            // lone carriage return, a form feed, a block closed on the line of the next,
            // labels without spaces, `#` and `}` inside templates and directives, an
            // escaped quote ending a line, empty and escape-holding labels, deep brackets.
            "\u{feff}a \"b\" {\n  c = 1\n}\n",
            "a \"b\" {\r  c = 1\r}\r",
            "a {\n\x0c  c = 1\n}\n",
            "a {\n  c = 1\n} d {\n  e = 2\n}\n",
            "a\"b\"\"c\"{\n  d = 1\n}\n",
            "a {\n  b = \"${\"#\"}}\" # x\n}\n",
            "a {\n  b = \"%{ if true }x%{ else }}%{ endif }\"\n}\n",
            "a {\n  b = \"x\\\"\n}\n",
            "a \"\" \"b\u{1b}[31m\" {\n  c = 1\n}\n",
            "a {\n  b = [[[[[[[[[[[[[[[[[[[[\"x\"]]]]]]]]]]]]]]]]]]]][0]\n}\n",
        ];
        for (n, text) in tricky.iter().enumerate() {
            same_as_hcl_edit(&format!("tricky case {n}"), text);
        }
        // The shapes real modules are written in are taken by the quick path.
        for n in [0, 1, 2, 3, 4, 5, 6, 7, 8, 31] {
            assert!(quick(tricky[n]).is_some(), "tricky case {n} declined");
        }
        // Of the attacks, labels without spaces, `#` and `}` inside templates and
        // directives, odd labels and deep brackets are read quickly, and the same.
        for n in [4, 5, 6, 8, 9].map(|back| tricky.len() - 10 + back) {
            assert!(quick(tricky[n]).is_some(), "tricky case {n} declined");
        }
        let module = "variable \"zones\" {\n  type = map(string)\n  default = {\n    a = \"de-muc-1\"\n  }\n}\n\nlocals {\n  primary = lookup(var.zones, \"a\", \"ch-gva-2\")\n  labels  = merge({ env = var.env }, { team = \"platform\" })\n}\n\nresource \"exoscale_dbaas\" \"r1\" {\n  for_each = var.zones\n  count = var.env == \"never\" ? 1 : 0\n\n  name = \"r1-${var.env}\"\n  zone = each.value\n}\n\nmodule \"db\" {\n  source = \"./modules/db\"\n  count  = 1\n  zone = local.primary\n}\n";
        assert!(same_as_hcl_edit("module", module));
        let deep = format!("{}x = 1\n{}", "a {\n".repeat(40), "}\n".repeat(40));
        assert!(quick(&deep).is_none());
        let nested = format!("a {{\n  b = {}1{}\n}}\n", "[".repeat(70), "]".repeat(70));
        assert!(!same_as_hcl_edit("nested", &nested));
    }

    #[test]
    fn large_files_the_quick_reader_declines_are_parsed_block_by_block_as_whole() {
        // Declined for the `/* */`; the second has `}` lines in a heredoc and a comment.
        for block in [
            "a \"b\" {\r\n  c = <<EOT\r\n  }\r\nEOT\r\n  d = [ /* e */\r\n  ]\r\n}\r\n",
            "a \"b\" {\n  c = <<EOT\n{\n}\nEOT\n}\n/* e {\n}\n*/\n",
        ] {
            let text = block.repeat(66 * 1024 / block.len());
            assert!(quick(&text).is_none() && text.len() > super::PARSED_WHOLE_BYTES);
            let (mut pieces, mut whole) = (String::new(), String::new());
            dump(super::parse(&text, Some).unwrap(), &mut pieces);
            dump(
                from_body(hcl_edit::parser::parse_body(&text).unwrap(), 0),
                &mut whole,
            );
            assert_eq!(pieces, whole);
        }
        let broken = format!("{}x {{\n", "a {\n}\n".repeat(20_000));
        assert_eq!(
            super::parse(&broken, Some).unwrap_err().to_string(),
            hcl_edit::parser::parse_body(&broken)
                .unwrap_err()
                .to_string()
        );
    }
}
