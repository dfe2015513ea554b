//! The posture report as a small document tree: `content` builds it once, with all of
//! its wording, and `markdown` and `html` print it. Where the two formats word or lay
//! out something differently, the tree says so in a `ByFormat` node, so every such
//! difference stands in one place, in `content`.

/// The whole report: the page title (HTML's `<title>`) and its blocks.
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

pub enum Block {
    Heading {
        level: usize,
        /// HTML's class for the heading.
        class: Option<&'static str>,
        anchor: Anchor,
        content: Line,
    },
    Paragraph {
        class: Option<&'static str>,
        content: Line,
    },
    /// Term → value pairs: a bullet list in Markdown, a `<dl>` in HTML.
    Facts {
        /// HTML writes the list on one line.
        compact: bool,
        facts: Vec<Fact>,
    },
    /// A numbered list of findings.
    List(Vec<Item>),
    Table(Table),
    /// Blocks HTML wraps in one element (`section`, `div`, `header`); Markdown prints
    /// them as they come.
    Group {
        element: &'static str,
        class: Option<&'static str>,
        id: Option<String>,
        blocks: Vec<Block>,
    },
    /// A stacked bar of percentages, each part with its HTML class. Markdown draws no
    /// bar: the sentence before it gives the same numbers.
    Bar {
        label: String,
        parts: Vec<(&'static str, u32)>,
    },
    ByFormat {
        markdown: Vec<Block>,
        html: Vec<Block>,
    },
}

pub struct Fact {
    pub term: Line,
    /// A fact whose value is empty in a format is printed as its term alone.
    pub value: Line,
    /// A detail of the fact before it: indented in Markdown.
    pub nested: bool,
}

pub struct Item {
    pub content: Line,
    pub help: Option<Help>,
}

/// A finding's help, laid out as written. Markdown prints a one-line help after
/// `label`.
pub struct Help {
    pub label: &'static str,
    pub text: String,
}

pub struct Table {
    pub class: Option<&'static str>,
    /// The first cell of each row heads it.
    pub row_headers: bool,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

pub struct Column {
    pub label: Line,
    pub kind: ColumnKind,
}

/// What a column holds: numbers align right, dates do not wrap.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Number,
    Date,
}

pub struct Cell {
    /// HTML's class for the cell; without one, the column's kind gives it.
    pub class: Option<String>,
    pub content: Line,
}

/// An in-page target. The formats name targets differently: GitHub rewrites heading
/// ids, so Markdown has explicit anchors on controls only.
#[derive(Clone, Default)]
pub struct Anchor {
    pub markdown: Option<String>,
    pub html: Option<String>,
}

pub type Line = Vec<Inline>;

#[derive(Clone)]
pub enum Inline {
    /// The report's own wording and numbers, printed as they are.
    Word(String),
    /// A value srmlint or the matrix defines (a code, a model, a date): Markdown prints
    /// it as it is, HTML escapes it.
    Known(String),
    /// Text from a file, escaped for the format.
    Text(String),
    /// A path or an id from a file: escaped text in Markdown, escaped code in HTML.
    Literal(String),
    Code(Line),
    Strong(Line),
    Emphasis(Line),
    /// HTML's `<span>` with a class (none when empty); Markdown prints the content.
    Span(String, Line),
    /// A status word. Markdown has no colour: an `alarm` badge is bold capitals there.
    Badge {
        class: &'static str,
        label: String,
        alarm: bool,
    },
    Link(Anchor, Line),
    Break,
    ByFormat {
        markdown: Line,
        html: Line,
    },
}

impl From<&'static str> for Inline {
    fn from(word: &'static str) -> Self {
        Inline::Word(word.to_owned())
    }
}

macro_rules! number_words {
    ($($number:ty),*) => {$(
        impl From<$number> for Inline {
            fn from(number: $number) -> Self {
                Inline::Word(number.to_string())
            }
        }
    )*};
}

number_words!(usize, u32, i64);

/// A `Line` from words, numbers and `Inline`s.
macro_rules! line {
    ($($part:expr),* $(,)?) => {
        vec![$($crate::render::report::doc::Inline::from($part)),*]
    };
}

pub(crate) use line;
