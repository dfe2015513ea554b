//! Terraform expressions evaluated the way `terraform plan` evaluates them, as far as
//! srmlint needs: over hcl-edit's parsed expression tree (never over text), with an
//! explicit *unknown* value that propagates through operators, collections and
//! functions, so a finding can say which value stood in the way. References (`var.`,
//! `local.`, `each.`, `count.`, other resources) are answered by a [`Scope`] that the
//! module reader implements; the evaluator itself knows the language and the
//! functions real modules use to pick zones, sizes and counts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use hcl_edit::Span;
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};

/// Where a string literal was written: the file (an index the scope knows) and offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub file: usize,
    pub offset: usize,
    /// Where the literal ends.
    pub end: usize,
}

/// Why a value is not known before Terraform runs, and the input variable that would
/// decide it, when one would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub why: String,
    pub variable: Option<String>,
}

/// A value as Terraform sees it. Lists and tuples are one kind, maps and objects
/// another; sets keep their elements sorted and distinct.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    /// A string and where its literal was written, when it was one.
    String(String, Option<Place>),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Unknown(Rc<Unknown>),
}

/// An evaluation error: what `terraform plan` would refuse (a missing key, a wrong
/// type). `try` and `can` catch it; elsewhere it makes the value unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fail(pub String);

type Eval = Result<Value, Fail>;

impl PartialEq for Value {
    /// Equality of known values, ignoring where strings were written.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a, _), Value::String(b, _)) => a == b,
            (Value::List(a), Value::List(b)) | (Value::Set(a), Value::Set(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            _ => false,
        }
    }
}

impl Value {
    pub fn unknown(why: impl Into<String>) -> Self {
        Value::Unknown(Rc::new(Unknown {
            why: why.into(),
            variable: None,
        }))
    }

    pub fn unknown_variable(why: impl Into<String>, variable: &str) -> Self {
        Value::Unknown(Rc::new(Unknown {
            why: why.into(),
            variable: Some(variable.to_owned()),
        }))
    }

    pub fn string(text: impl Into<String>) -> Self {
        Value::String(text.into(), None)
    }

    /// The first unknown in the value, looking inside collections.
    pub fn first_unknown(&self) -> Option<&Rc<Unknown>> {
        match self {
            Value::Unknown(unknown) => Some(unknown),
            Value::List(items) | Value::Set(items) => items.iter().find_map(Value::first_unknown),
            Value::Map(items) => items.values().find_map(Value::first_unknown),
            _ => None,
        }
    }

    /// What kind of value it is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a bool",
            Value::Number(_) => "a number",
            Value::String(..) => "a string",
            Value::List(_) => "a list",
            Value::Set(_) => "a set",
            Value::Map(_) => "a map",
            Value::Unknown(_) => "unknown",
        }
    }

    /// A `count`: a whole, non-negative number (a numeric string converts).
    pub fn to_count(&self) -> Option<usize> {
        let number = self.to_number("count").ok()?;
        // Beyond what a source may hold, the exact number does not matter (the cast
        // saturates).
        (number >= 0.0 && number.fract() == 0.0).then_some(number as usize)
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text, _) => Some(text),
            _ => None,
        }
    }

    /// The value as a string, as Terraform converts a primitive (`tostring`).
    fn to_text(&self, what: &str) -> Result<String, Fail> {
        match self {
            Value::String(text, _) => Ok(text.clone()),
            Value::Number(number) => Ok(number_text(*number)),
            Value::Bool(flag) => Ok(flag.to_string()),
            Value::Null => Err(Fail(format!("{what} is null"))),
            other => Err(Fail(format!("{what} is {}, not a string", other.kind()))),
        }
    }

    fn to_number(&self, what: &str) -> Result<f64, Fail> {
        match self {
            Value::Number(number) => Ok(*number),
            Value::String(text, _) => text
                .trim()
                .parse::<f64>()
                .map_err(|_| Fail(format!("{what} `{text}` is not a number"))),
            other => Err(Fail(format!("{what} is {}, not a number", other.kind()))),
        }
    }

    fn to_bool(&self, what: &str) -> Result<bool, Fail> {
        match self {
            Value::Bool(flag) => Ok(*flag),
            Value::String(text, _) if text == "true" => Ok(true),
            Value::String(text, _) if text == "false" => Ok(false),
            other => Err(Fail(format!("{what} is {}, not a bool", other.kind()))),
        }
    }

    /// The elements of a list, set or tuple (a map's values in key order).
    fn elements(&self, what: &str) -> Result<Vec<Value>, Fail> {
        match self {
            Value::List(items) | Value::Set(items) => Ok(items.clone()),
            other => Err(Fail(format!("{what} is {}, not a list", other.kind()))),
        }
    }
}

/// A number as Terraform prints it: integers without a fraction.
pub fn number_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// `items` each once, in the order first met (a value holding an unknown equals
/// nothing). Compared by their text, so a long list takes a moment, not minutes.
fn distinct(items: Vec<Value>) -> Vec<Value> {
    fn text(value: &Value, out: &mut String) {
        match value {
            Value::Null | Value::Unknown(_) => out.push('n'),
            Value::Bool(flag) => out.push(if *flag { 't' } else { 'f' }),
            Value::Number(number) => _ = write!(out, "#{};", number_text(*number)),
            Value::String(text, _) => _ = write!(out, "s{}:{text}", text.len()),
            Value::List(items) | Value::Set(items) => {
                _ = write!(out, "{}[{}:", value.kind(), items.len());
                items.iter().for_each(|item| text(item, out));
            }
            Value::Map(items) => {
                _ = write!(out, "{{{}:", items.len());
                for (key, item) in items {
                    _ = write!(out, "{}:{key}", key.len());
                    text(item, out);
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    (items.into_iter())
        .filter(|item| {
            let mut key = String::new();
            text(item, &mut key);
            item.first_unknown().is_some() || seen.insert(key)
        })
        .collect()
}

/// The set of `items`: each once; strings (what sets mostly hold) in lexical order,
/// as Terraform iterates them.
pub fn set_of(items: Vec<Value>) -> Value {
    let mut out = distinct(items);
    if out.iter().all(|item| item.as_str().is_some()) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    Value::Set(out)
}

/// One step after a reference's root: `.name`, `[key]`, or a splat.
#[derive(Debug, Clone)]
pub enum Step {
    Attr(String),
    Index(Value),
}

/// What answers references for the evaluator: a module instance, with its variables,
/// locals, resources and the `each`/`count` of the block being evaluated.
pub trait Scope {
    /// The value `root` and the leading `steps` name (`var` + `zone`), and how many
    /// steps it took; the evaluator applies the rest. `shown` is the reference as
    /// written, for messages.
    fn reference(
        &mut self,
        root: &str,
        steps: &[Step],
        shown: &str,
    ) -> Result<(Value, usize), Fail>;
    /// `terraform.workspace`.
    fn workspace(&self) -> String;
    /// Whether functions may be called (a var file holds values only).
    fn calls_functions(&self) -> bool {
        true
    }
}

/// Nesting deeper than this is refused: it bounds the stack a hostile file can ask for.
const MAX_DEPTH: usize = 128;
/// Collections built by `range`, `for` and string repetition stay below this size.
const MAX_ELEMENTS: usize = 100_000;

/// The most a value may weigh (elements, and string bytes by eight).
const MAX_WEIGHT: usize = 1_000_000;

/// The longest string a function builds: what a value may weigh, in bytes.
const MAX_TEXT: usize = 8 * MAX_WEIGHT;

/// The work srmlint does for one Terraform source: each expression evaluated takes a
/// step per unit of weight of its value (so a `for` over `range(100000)` nested in
/// another, or `count = 100000` instances each building a long list, run out of it).
/// Past it, what is left is unknown (SRM054), naming where the steps ran out. Room
/// enough for a module of 2,000 instances that each build a 500-item map (about 12 M);
/// a file built to hang stops within a few seconds.
const MAX_STEPS: usize = 20_000_000;

thread_local! {
    /// Steps left for the source this thread is reading (see [`MAX_STEPS`]).
    static STEPS_LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(MAX_STEPS) };
}

/// Gives the source about to be read its own [`MAX_STEPS`].
pub fn budget_anew() {
    STEPS_LEFT.set(MAX_STEPS);
}

/// An error unless a string of `len` bytes that `what` would build stays within
/// [`MAX_TEXT`]; checked before it is built.
fn text_within(len: usize, what: &str) -> Result<(), Fail> {
    if len > MAX_TEXT {
        return Err(Fail(format!(
            "{what} makes a string of more than {MAX_TEXT} bytes, larger than srmlint evaluates"
        )));
    }
    Ok(())
}

/// How much `value` weighs, counted up to just past `limit`.
fn weight(value: &Value, limit: usize) -> usize {
    let mut total = 1;
    // Adds a part's weight; true once the total is past the limit, which stops `any`.
    let mut past = |part: usize| {
        total += part;
        total > limit
    };
    match value {
        Value::String(text, _) => return 1 + text.len() / 8,
        Value::List(items) | Value::Set(items) => {
            items.iter().any(|item| past(weight(item, limit)));
        }
        Value::Map(items) => {
            (items.iter()).any(|(key, item)| past(1 + key.len() / 8 + weight(item, limit)));
        }
        _ => {}
    }
    total
}

/// Evaluates expressions of one file of a module.
pub struct Evaluator<'s> {
    scope: &'s mut dyn Scope,
    file: usize,
    /// Where in the file `text` starts: expressions' spans count from it.
    at: usize,
    text: &'s str,
    /// The variables of enclosing `for` expressions, innermost last.
    bindings: Vec<(String, Value)>,
    depth: usize,
}

impl<'s> Evaluator<'s> {
    /// An evaluator for expressions written in `file`, whose text from offset `at` on
    /// is `text` (what their spans count from).
    pub fn new(scope: &'s mut dyn Scope, file: usize, at: usize, text: &'s str) -> Self {
        Self {
            scope,
            file,
            at,
            text,
            bindings: Vec::new(),
            depth: 0,
        }
    }

    /// The value of `expression`; an error Terraform would report is an unknown
    /// naming it (nothing is created from a configuration that does not plan).
    pub fn value(&mut self, expression: &Expression) -> Value {
        self.eval(expression)
            .unwrap_or_else(|Fail(why)| Value::unknown(why))
    }

    /// The source text of an expression, shortened to one line, for messages.
    pub fn snippet(&self, expression: &Expression) -> String {
        snippet(self.text, expression)
    }

    fn eval(&mut self, expression: &Expression) -> Eval {
        if self.depth > MAX_DEPTH {
            return Err(Fail("the expression is nested too deeply".to_owned()));
        }
        if STEPS_LEFT.get() == 0 {
            return Ok(self.out_of_steps(expression));
        }
        self.depth += 1;
        let value = self.eval_inner(expression);
        self.depth -= 1;
        // A value that doubles at each step (`[local.a, local.a]`, a string joined to
        // itself) would grow without bound: refused once it is larger than any real
        // module's.
        let value = value?;
        let weight = weight(&value, MAX_WEIGHT);
        if weight > MAX_WEIGHT {
            return Err(self.too_large(expression));
        }
        let left = STEPS_LEFT.get().saturating_sub(weight);
        STEPS_LEFT.set(left);
        // The expression that spends the last step is the one named.
        Ok(if left == 0 && !matches!(value, Value::Unknown(_)) {
            self.out_of_steps(expression)
        } else {
            value
        })
    }

    fn out_of_steps(&self, expression: &Expression) -> Value {
        Value::unknown(format!(
            "`{}` is not evaluated: srmlint spends at most {MAX_STEPS} steps on one Terraform source",
            self.snippet(expression)
        ))
    }

    fn too_large(&self, expression: &Expression) -> Fail {
        Fail(format!(
            "`{}` makes a value larger than srmlint evaluates",
            self.snippet(expression)
        ))
    }

    fn eval_inner(&mut self, expression: &Expression) -> Eval {
        match expression {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(flag) => Ok(Value::Bool(*flag.value())),
            Expression::Number(number) => Ok(Value::Number(number.value().as_f64().unwrap_or(0.0))),
            Expression::String(text) => Ok(Value::String(
                text.value().clone(),
                Some(self.place(expression)),
            )),
            Expression::Array(array) => array
                .iter()
                .map(|item| self.eval(item))
                .collect::<Result<_, _>>()
                .map(Value::List),
            Expression::Object(object) => {
                let mut map = BTreeMap::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                        ObjectKey::Expression(Expression::Variable(ident)) => {
                            ident.as_str().to_owned()
                        }
                        ObjectKey::Expression(key) => match self.eval(key)? {
                            Value::Unknown(unknown) => return Ok(Value::Unknown(unknown)),
                            key => key.to_text("an object key")?,
                        },
                    };
                    let value = self.eval(value.expr())?;
                    map.insert(key, value);
                }
                Ok(Value::Map(map))
            }
            Expression::StringTemplate(template) => {
                let elements: Vec<&Element> = template.iter().collect();
                // A lone interpolation keeps its value's type, as in Terraform.
                if let [Element::Interpolation(interpolation)] = elements.as_slice() {
                    return self.eval(&interpolation.expr);
                }
                self.template(elements, Some(self.place(expression)))
            }
            Expression::HeredocTemplate(heredoc) => {
                let elements: Vec<&Element> = heredoc.template.iter().collect();
                self.template(elements, None)
            }
            Expression::Parenthesis(inner) => self.eval(inner.inner()),
            Expression::Variable(name) => self.variable(name.as_str(), expression, &[]),
            Expression::Conditional(conditional) => {
                let condition = self.eval(&conditional.cond_expr)?;
                if let Value::Unknown(unknown) = condition {
                    return Ok(Value::Unknown(unknown));
                }
                if condition.to_bool("the condition")? {
                    self.eval(&conditional.true_expr)
                } else {
                    self.eval(&conditional.false_expr)
                }
            }
            Expression::FuncCall(call) => self.call(call, expression),
            Expression::Traversal(traversal) => {
                self.traversal(&traversal.expr, &traversal.operators, expression)
            }
            Expression::UnaryOp(operation) => {
                let value = self.eval(&operation.expr)?;
                if let Value::Unknown(unknown) = value {
                    return Ok(Value::Unknown(unknown));
                }
                match operation.operator.value() {
                    UnaryOperator::Neg => {
                        Ok(Value::Number(-value.to_number("the operand of `-`")?))
                    }
                    UnaryOperator::Not => Ok(Value::Bool(!value.to_bool("the operand of `!`")?)),
                }
            }
            Expression::BinaryOp(operation) => self.binary(
                &operation.lhs_expr,
                *operation.operator.value(),
                &operation.rhs_expr,
            ),
            Expression::ForExpr(for_expr) => self.for_expr(for_expr, expression),
        }
    }

    fn place(&self, expression: &Expression) -> Place {
        let span = expression.span().unwrap_or(0..0);
        Place {
            file: self.file,
            offset: span.start + self.at,
            end: span.end + self.at,
        }
    }

    fn template(&mut self, elements: Vec<&Element>, place: Option<Place>) -> Eval {
        let mut out = String::new();
        let mut unknown = None;
        self.template_into(&elements, &mut out, &mut unknown)?;
        if let Some(unknown) = unknown {
            return Ok(Value::Unknown(unknown));
        }
        // A template of literals alone is a literal: it keeps its place.
        let literal = elements
            .iter()
            .all(|element| matches!(element, Element::Literal(_)));
        Ok(Value::String(out, if literal { place } else { None }))
    }

    fn template_into(
        &mut self,
        elements: &[&Element],
        out: &mut String,
        unknown: &mut Option<Rc<Unknown>>,
    ) -> Result<(), Fail> {
        for element in elements {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interpolation) => match self.eval(&interpolation.expr)? {
                    Value::Unknown(why) => {
                        unknown.get_or_insert(why);
                    }
                    value => {
                        let text = value.to_text("an interpolated value")?;
                        // `"${local.s}${local.s}…"` of a long string: sized before it grows.
                        text_within(out.len() + text.len(), "a template")?;
                        out.push_str(&text);
                    }
                },
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(if_directive) => {
                        let condition = self.eval(&if_directive.if_expr.cond_expr)?;
                        if let Value::Unknown(why) = condition {
                            unknown.get_or_insert(why);
                            continue;
                        }
                        let chosen: Option<&Template> =
                            if condition.to_bool("a template condition")? {
                                Some(&if_directive.if_expr.template)
                            } else {
                                if_directive.else_expr.as_ref().map(|other| &other.template)
                            };
                        if let Some(template) = chosen {
                            let inner: Vec<&Element> = template.iter().collect();
                            self.template_into(&inner, out, unknown)?;
                        }
                    }
                    Directive::For(for_directive) => {
                        let collection = self.eval(&for_directive.for_expr.collection_expr)?;
                        if let Value::Unknown(why) = collection {
                            unknown.get_or_insert(why);
                            continue;
                        }
                        let for_expr = &for_directive.for_expr;
                        let key_var = for_expr.key_var.as_ref().map(|var| var.as_str());
                        let vars = (key_var, for_expr.value_var.as_str());
                        let inner: Vec<&Element> = for_expr.template.iter().collect();
                        for pair in pairs(&collection)? {
                            self.bound(vars, pair, |this| {
                                this.template_into(&inner, out, unknown)
                            })?;
                            if out.len() > 16 * MAX_ELEMENTS {
                                return Err(Fail("a template grows too large".to_owned()));
                            }
                        }
                    }
                },
            }
        }
        Ok(())
    }

    /// `f`, with the variables of a `for` (`key_var`, `value_var`) bound to one element.
    fn bound<R>(
        &mut self,
        (key_var, value_var): (Option<&str>, &str),
        (key, value): (Value, Value),
        f: impl FnOnce(&mut Self) -> R,
    ) -> R {
        let mark = self.bindings.len();
        if let Some(key_var) = key_var {
            self.bindings.push((key_var.to_owned(), key));
        }
        self.bindings.push((value_var.to_owned(), value));
        let result = f(self);
        self.bindings.truncate(mark);
        result
    }

    /// A bare name: a `for` variable, or the root of a reference with no steps.
    fn variable(&mut self, name: &str, expression: &Expression, steps: &[Step]) -> Eval {
        if let Some((_, value)) = self.bindings.iter().rev().find(|(bound, _)| bound == name) {
            return apply_steps(value.clone(), steps);
        }
        let shown = self.snippet(expression);
        if name == "terraform" {
            if let Some(Step::Attr(attribute)) = steps.first()
                && attribute == "workspace"
            {
                return apply_steps(Value::string(self.scope.workspace()), &steps[1..]);
            }
            return Ok(Value::unknown(format!(
                "`{shown}` is known only when Terraform runs"
            )));
        }
        let (value, used) = self.scope.reference(name, steps, &shown)?;
        apply_steps(value, &steps[used.min(steps.len())..])
    }

    fn traversal(
        &mut self,
        root: &Expression,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
        whole: &Expression,
    ) -> Eval {
        // The steps up to the first splat; a splat applies the rest to each element.
        let splat = operators.iter().position(|operator| {
            matches!(
                operator.value(),
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)
            )
        });
        let (before, after) = operators.split_at(splat.unwrap_or(operators.len()));
        let mut steps = Vec::with_capacity(before.len());
        for operator in before {
            steps.extend(self.step(operator.value())?);
        }
        let value = match root {
            Expression::Variable(name) => self.variable(name.as_str(), whole, &steps)?,
            other => {
                let value = self.eval(other)?;
                apply_steps(value, &steps)?
            }
        };
        let Some((_, rest)) = after.split_first() else {
            return Ok(value);
        };
        let is_map = matches!(value, Value::Map(_));
        let items = match value {
            Value::Unknown(unknown) => return Ok(Value::Unknown(unknown)),
            Value::Null => Vec::new(),
            Value::List(items) | Value::Set(items) => items,
            other => vec![other],
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let mut steps = Vec::new();
            for operator in rest {
                let Some(step) = self.step(operator.value())? else {
                    return Ok(Value::unknown(format!(
                        "`{}` has nested splats, which srmlint does not evaluate",
                        self.snippet(whole)
                    )));
                };
                steps.push(step);
            }
            // A map is one element to a splat, as to Terraform.
            out.push(apply_steps(item, &steps).map_err(|fail| match is_map {
                true => Fail(format!(
                    "`{}` applies a splat to a map, which Terraform takes as one element, not each of its values (a resource with `for_each` is a map: write `values(...)[*]`)",
                    self.snippet(whole)
                )),
                false => fail,
            })?);
        }
        Ok(Value::List(out))
    }

    /// The step an operator of a traversal takes; `None` for a splat.
    fn step(&mut self, operator: &TraversalOperator) -> Result<Option<Step>, Fail> {
        Ok(Some(match operator {
            TraversalOperator::GetAttr(name) => Step::Attr(name.as_str().to_owned()),
            TraversalOperator::Index(index) => Step::Index(self.eval(index)?),
            TraversalOperator::LegacyIndex(index) => {
                Step::Index(Value::Number(*index.value() as f64))
            }
            TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => return Ok(None),
        }))
    }

    fn binary(&mut self, lhs: &Expression, operator: BinaryOperator, rhs: &Expression) -> Eval {
        let left = self.eval(lhs)?;
        // `&&` and `||` with a decided left side still need a known right side in
        // Terraform, except where the left side alone decides.
        let right = self.eval(rhs)?;
        match (operator, &left, &right) {
            (BinaryOperator::And, Value::Bool(false), _)
            | (BinaryOperator::And, _, Value::Bool(false)) => return Ok(Value::Bool(false)),
            (BinaryOperator::Or, Value::Bool(true), _)
            | (BinaryOperator::Or, _, Value::Bool(true)) => return Ok(Value::Bool(true)),
            _ => {}
        }
        if let Some(unknown) = left.first_unknown().or_else(|| right.first_unknown()) {
            return Ok(Value::Unknown(unknown.clone()));
        }
        let number = |value: &Value| value.to_number("an operand");
        Ok(match operator {
            BinaryOperator::Eq => Value::Bool(left == right),
            BinaryOperator::NotEq => Value::Bool(left != right),
            BinaryOperator::Less => Value::Bool(number(&left)? < number(&right)?),
            BinaryOperator::LessEq => Value::Bool(number(&left)? <= number(&right)?),
            BinaryOperator::Greater => Value::Bool(number(&left)? > number(&right)?),
            BinaryOperator::GreaterEq => Value::Bool(number(&left)? >= number(&right)?),
            BinaryOperator::Plus => Value::Number(number(&left)? + number(&right)?),
            BinaryOperator::Minus => Value::Number(number(&left)? - number(&right)?),
            BinaryOperator::Mul => Value::Number(number(&left)? * number(&right)?),
            BinaryOperator::Div | BinaryOperator::Mod => {
                let (divisor, div) = (number(&right)?, operator == BinaryOperator::Div);
                if divisor == 0.0 {
                    let what = if div { "division" } else { "modulo" };
                    return Err(Fail(format!("{what} by zero")));
                }
                let left = number(&left)?;
                Value::Number(if div { left / divisor } else { left % divisor })
            }
            BinaryOperator::And => Value::Bool(
                left.to_bool("an operand of `&&`")? && right.to_bool("an operand of `&&`")?,
            ),
            BinaryOperator::Or => Value::Bool(
                left.to_bool("an operand of `||`")? || right.to_bool("an operand of `||`")?,
            ),
        })
    }

    fn for_expr(&mut self, for_expr: &ForExpr, whole: &Expression) -> Eval {
        let collection = self.eval(&for_expr.intro.collection_expr)?;
        if let Value::Unknown(unknown) = collection {
            return Ok(Value::Unknown(unknown));
        }
        let key_var = for_expr.intro.key_var.as_ref().map(|var| var.as_str());
        let vars = (key_var, for_expr.intro.value_var.as_str());
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        // Weighed as it grows: built whole, `[for a in range(100000) : [for ...]]`
        // would take the memory before its weight is known.
        let mut built = 0;
        for pair in pairs(&collection)? {
            let Some((key, value)) = self.bound(vars, pair, |this| this.for_step(for_expr))? else {
                continue;
            };
            built += weight(&value, MAX_WEIGHT);
            if built > MAX_WEIGHT {
                return Err(self.too_large(whole));
            }
            match key {
                None => list.push(value),
                Some(Value::Unknown(unknown)) => return Ok(Value::Unknown(unknown)),
                Some(key) => {
                    let key = key.to_text("a `for` key")?;
                    if for_expr.grouping {
                        groups.entry(key).or_default().push(value);
                    } else if map.insert(key.clone(), value).is_some() {
                        return Err(Fail(format!(
                            "the `for` expression makes the key `{key}` twice (add `...` to group)"
                        )));
                    }
                }
            }
        }
        Ok(match (&for_expr.key_expr, for_expr.grouping) {
            (None, _) => Value::List(list),
            (Some(_), false) => Value::Map(map),
            (Some(_), true) => Value::Map(
                groups
                    .into_iter()
                    .map(|(key, items)| (key, Value::List(items)))
                    .collect(),
            ),
        })
    }

    /// One element of a `for`: skipped by its condition, else its key and value.
    #[allow(clippy::type_complexity, reason = "a local result, read once")]
    fn for_step(&mut self, for_expr: &ForExpr) -> Result<Option<(Option<Value>, Value)>, Fail> {
        if let Some(condition) = &for_expr.cond {
            match self.eval(&condition.expr)? {
                Value::Unknown(unknown) => return Ok(Some((None, Value::Unknown(unknown)))),
                value if !value.to_bool("a `for` condition")? => return Ok(None),
                _ => {}
            }
        }
        let key = for_expr
            .key_expr
            .as_ref()
            .map(|key| self.eval(key))
            .transpose()?;
        Ok(Some((key, self.eval(&for_expr.value_expr)?)))
    }

    fn call(&mut self, call: &FuncCall, whole: &Expression) -> Eval {
        let name = call.name.name.as_str();
        if !self.scope.calls_functions() {
            return Err(Fail(format!(
                "`{}` calls a function, which Terraform refuses in a value given to a variable",
                self.snippet(whole)
            )));
        }
        if call.name.is_namespaced() {
            return Ok(Value::unknown(format!(
                "`{}` calls a provider function, which srmlint does not evaluate",
                self.snippet(whole)
            )));
        }
        let args: Vec<&Expression> = call.args.iter().collect();
        // `try` and `can` evaluate their arguments lazily: an error is caught, an
        // unknown stays unknown.
        match name {
            "try" => {
                let mut last = Fail("`try` has no arguments".to_owned());
                for arg in &args {
                    match self.eval(arg) {
                        Ok(value) => return Ok(value),
                        Err(fail) => last = fail,
                    }
                }
                return Err(Fail(format!(
                    "no argument of `try` could be evaluated: {}",
                    last.0
                )));
            }
            "can" => {
                let [arg] = args.as_slice() else {
                    return Err(Fail("`can` takes one argument".to_owned()));
                };
                return Ok(match self.eval(arg) {
                    Ok(Value::Unknown(unknown)) => Value::Unknown(unknown),
                    Ok(_) => Value::Bool(true),
                    Err(_) => Value::Bool(false),
                });
            }
            _ => {}
        }
        let mut values = Vec::with_capacity(args.len());
        for arg in &args {
            values.push(self.eval(arg)?);
        }
        if call.args.expand_final() {
            match values.pop() {
                Some(Value::List(items) | Value::Set(items)) => values.extend(items),
                Some(Value::Unknown(unknown)) => return Ok(Value::Unknown(unknown)),
                Some(other) => {
                    return Err(Fail(format!("`...` expands {}, not a list", other.kind())));
                }
                None => {}
            }
        }
        function(name, values).unwrap_or_else(|| {
            Ok(Value::unknown(format!(
                "`{}` calls `{name}`, a function srmlint does not evaluate",
                self.snippet(whole)
            )))
        })
    }
}

/// The source text of an expression, shortened to one line, for messages.
pub fn snippet(text: &str, expression: &Expression) -> String {
    let written = expression
        .span()
        .and_then(|span| text.get(span))
        .unwrap_or("")
        .trim();
    let line = written.lines().next().unwrap_or("");
    if line.chars().count() > 60 || line.len() < written.len() {
        let short: String = line.chars().take(60).collect();
        format!("{short}…")
    } else {
        line.to_owned()
    }
}

/// `(key, value)` pairs of a collection, as `for` and `for_each` see them: a list's
/// index, a set's element, a map's key.
pub fn pairs(collection: &Value) -> Result<Vec<(Value, Value)>, Fail> {
    Ok(match collection {
        Value::List(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| (Value::Number(index as f64), item.clone()))
            .collect(),
        Value::Set(items) => items
            .iter()
            .map(|item| (item.clone(), item.clone()))
            .collect(),
        Value::Map(items) => items
            .iter()
            .map(|(key, item)| (Value::string(key.clone()), item.clone()))
            .collect(),
        other => return Err(Fail(format!("cannot iterate over {}", other.kind()))),
    })
}

pub fn apply_steps(mut value: Value, steps: &[Step]) -> Eval {
    for step in steps {
        value = match (value, step) {
            (Value::Unknown(unknown), _) => return Ok(Value::Unknown(unknown)),
            (_, Step::Index(Value::Unknown(unknown))) => {
                return Ok(Value::Unknown(unknown.clone()));
            }
            // A resource's attribute that is not written is the provider's to set.
            (Value::Map(mut items), Step::Attr(name)) => items.remove(name).ok_or_else(|| {
                Fail(format!(
                    "the map has no key `{name}` (of a resource: the provider sets it when Terraform applies it)"
                ))
            })?,
            (Value::Map(mut items), Step::Index(key)) => {
                let key = key.to_text("a map key")?;
                items
                    .remove(&key)
                    .ok_or_else(|| Fail(format!("the map has no key `{key}`")))?
            }
            (Value::List(items), Step::Index(index)) => {
                let at = index.to_number("a list index")?;
                if at < 0.0 || at.fract() != 0.0 || at as usize >= items.len() {
                    return Err(Fail(format!(
                        "index {} is out of range for a list of {}",
                        number_text(at),
                        items.len()
                    )));
                }
                items.into_iter().nth(at as usize).unwrap_or(Value::Null)
            }
            (Value::Null, _) => {
                return Err(Fail("attempt to get a part of a null value".to_owned()));
            }
            (other, Step::Attr(name)) => {
                return Err(Fail(format!("{} has no attribute `{name}`", other.kind())));
            }
            (other, Step::Index(_)) => {
                return Err(Fail(format!("{} cannot be indexed", other.kind())));
            }
        };
    }
    Ok(value)
}

/// The functions srmlint evaluates (not `try`/`can`, which are lazy) that look inside
/// their arguments, so need them wholly known.
const DEEP: [&str; 11] = [
    "distinct", "toset", "contains", "format", "lower", "upper", "replace", "join", "split",
    "range", "zipmap",
];

/// The other functions srmlint evaluates.
const SHALLOW: [&str; 12] = [
    "lookup", "element", "merge", "concat", "flatten", "tolist", "tomap", "keys", "values",
    "length", "coalesce", "one",
];

/// The value of a function in `DEEP` or `SHALLOW`; `None` for any other function.
fn function(name: &str, args: Vec<Value>) -> Option<Eval> {
    let deep = DEEP.contains(&name);
    if !deep && !SHALLOW.contains(&name) {
        return None;
    }
    let unknown = if deep {
        args.iter().find_map(Value::first_unknown).cloned()
    } else {
        args.iter().find_map(|arg| match arg {
            Value::Unknown(unknown) => Some(unknown.clone()),
            _ => None,
        })
    };
    // `coalesce` and `lookup` with unknowns after the deciding argument still
    // decide; the rest is unknown.
    if let Some(unknown) = unknown.filter(|_| name != "coalesce") {
        return Some(Ok(Value::Unknown(unknown)));
    }
    Some(call_known(name, args))
}

fn arity(name: &str, args: &[Value], min: usize, max: usize) -> Result<(), Fail> {
    if args.len() < min || args.len() > max {
        let wanted = if min == max {
            min.to_string()
        } else {
            format!("{min} to {max}")
        };
        return Err(Fail(format!(
            "`{name}` takes {wanted} arguments, not {}",
            args.len()
        )));
    }
    Ok(())
}

fn call_known(name: &str, args: Vec<Value>) -> Eval {
    match name {
        "lookup" => {
            arity(name, &args, 2, 3)?;
            let key = args[1].to_text("the key of `lookup`")?;
            match &args[0] {
                Value::Map(items) => match items.get(&key) {
                    Some(value) => Ok(value.clone()),
                    None => args
                        .get(2)
                        .cloned()
                        .ok_or_else(|| Fail(format!("`lookup`: no key `{key}` and no default"))),
                },
                other => Err(Fail(format!("`lookup` needs a map, not {}", other.kind()))),
            }
        }
        "element" => {
            arity(name, &args, 2, 2)?;
            let items = args[0].elements("the first argument of `element`")?;
            if items.is_empty() {
                return Err(Fail("`element` of an empty list".to_owned()));
            }
            let at = args[1].to_number("the index of `element`")?;
            if at < 0.0 {
                return Err(Fail("`element` with a negative index".to_owned()));
            }
            Ok(items[(at as usize) % items.len()].clone())
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for arg in args {
                match arg {
                    Value::Map(items) => out.extend(items),
                    Value::Null => {}
                    other => return Err(Fail(format!("`merge` needs maps, not {}", other.kind()))),
                }
            }
            Ok(Value::Map(out))
        }
        "concat" => {
            let mut out = Vec::new();
            for arg in args {
                out.extend(arg.elements("an argument of `concat`")?);
            }
            Ok(Value::List(out))
        }
        "flatten" => {
            arity(name, &args, 1, 1)?;
            fn flat(value: Value, out: &mut Vec<Value>) -> Result<(), Fail> {
                match value {
                    Value::List(items) | Value::Set(items) => {
                        for item in items {
                            flat(item, out)?;
                        }
                        Ok(())
                    }
                    Value::Unknown(unknown) => Err(Fail(unknown.why.clone())),
                    other => {
                        out.push(other);
                        Ok(())
                    }
                }
            }
            let mut out = Vec::new();
            match args.into_iter().next().unwrap_or(Value::Null) {
                Value::List(items) | Value::Set(items) => {
                    for item in items {
                        if let Value::Unknown(unknown) = item {
                            return Ok(Value::Unknown(unknown));
                        }
                        flat(item, &mut out)?;
                    }
                    Ok(Value::List(out))
                }
                other => Err(Fail(format!(
                    "`flatten` needs a list, not {}",
                    other.kind()
                ))),
            }
        }
        "distinct" | "toset" => {
            arity(name, &args, 1, 1)?;
            let items = args[0].elements(&format!("the argument of `{name}`"))?;
            Ok(if name == "distinct" {
                Value::List(distinct(items))
            } else {
                set_of(items)
            })
        }
        "tolist" => {
            arity(name, &args, 1, 1)?;
            Ok(Value::List(args[0].elements("the argument of `tolist`")?))
        }
        "tomap" => {
            arity(name, &args, 1, 1)?;
            match args.into_iter().next().unwrap_or(Value::Null) {
                value @ Value::Map(_) => Ok(value),
                other => Err(Fail(format!("`tomap` needs a map, not {}", other.kind()))),
            }
        }
        "keys" | "values" => {
            arity(name, &args, 1, 1)?;
            match args.into_iter().next().unwrap_or(Value::Null) {
                Value::Map(items) if name == "keys" => {
                    Ok(Value::List(items.into_keys().map(Value::string).collect()))
                }
                Value::Map(items) => Ok(Value::List(items.into_values().collect())),
                other => Err(Fail(format!("`{name}` needs a map, not {}", other.kind()))),
            }
        }
        "length" => {
            arity(name, &args, 1, 1)?;
            Ok(Value::Number(match &args[0] {
                Value::List(items) | Value::Set(items) => items.len() as f64,
                Value::Map(items) => items.len() as f64,
                Value::String(text, _) => text.chars().count() as f64,
                other => return Err(Fail(format!("`length` of {}", other.kind()))),
            }))
        }
        "contains" => {
            arity(name, &args, 2, 2)?;
            Ok(Value::Bool(
                args[0]
                    .elements("the first argument of `contains`")?
                    .contains(&args[1]),
            ))
        }
        "coalesce" => {
            for arg in args {
                match arg {
                    Value::Null => {}
                    Value::String(ref text, _) if text.is_empty() => {}
                    other => return Ok(other),
                }
            }
            Err(Fail("no argument of `coalesce` is set".to_owned()))
        }
        "one" => {
            arity(name, &args, 1, 1)?;
            let items = args[0].elements("the argument of `one`")?;
            match items.len() {
                0 => Ok(Value::Null),
                1 => Ok(items.into_iter().next().unwrap_or(Value::Null)),
                more => Err(Fail(format!("`one` of a list of {more}"))),
            }
        }
        "format" => {
            if args.is_empty() {
                return Err(Fail("`format` needs a format string".to_owned()));
            }
            let spec = args[0].to_text("the format of `format`")?;
            format_values(&spec, &args[1..]).map(Value::string)
        }
        "lower" | "upper" => {
            arity(name, &args, 1, 1)?;
            let text = args[0].to_text(&format!("the argument of `{name}`"))?;
            Ok(Value::string(if name == "lower" {
                text.to_lowercase()
            } else {
                text.to_uppercase()
            }))
        }
        "replace" => {
            arity(name, &args, 3, 3)?;
            let text = args[0].to_text("the string of `replace`")?;
            let search = args[1].to_text("the substring of `replace`")?;
            let replacement = args[2].to_text("the replacement of `replace`")?;
            if search.len() >= 2 && search.starts_with('/') && search.ends_with('/') {
                let pattern = regex::Regex::new(&search[1..search.len() - 1])
                    .map_err(|error| Fail(format!("`replace`: bad pattern: {error}")))?;
                // Terraform writes captures as `$1`, which the regex crate reads alike;
                // each match is sized before it is expanded (`$0$0…` of a long match).
                let dollars = replacement.matches('$').count();
                let (mut out, mut last) = (String::new(), 0);
                for captures in pattern.captures_iter(&text) {
                    let Some(whole) = captures.get(0) else {
                        continue;
                    };
                    out.push_str(&text[last..whole.start()]);
                    text_within(
                        out.len() + replacement.len() + dollars * whole.len(),
                        "`replace`",
                    )?;
                    captures.expand(&replacement, &mut out);
                    last = whole.end();
                }
                out.push_str(&text[last..]);
                return Ok(Value::string(out));
            }
            if search.is_empty() {
                return Ok(Value::string(text));
            }
            let found = text.matches(search.as_str()).count();
            text_within(text.len() + found * replacement.len(), "`replace`")?;
            Ok(Value::string(text.replace(&search, &replacement)))
        }
        "join" => {
            if args.len() < 2 {
                return Err(Fail("`join` takes a separator and lists".to_owned()));
            }
            let separator = args[0].to_text("the separator of `join`")?;
            let mut parts = Vec::new();
            for list in &args[1..] {
                for item in list.elements("an argument of `join`")? {
                    parts.push(item.to_text("an element of `join`")?);
                }
            }
            let joined = parts.iter().map(String::len).sum::<usize>()
                + separator.len() * parts.len().saturating_sub(1);
            text_within(joined, "`join`")?;
            Ok(Value::string(parts.join(&separator)))
        }
        "split" => {
            arity(name, &args, 2, 2)?;
            let separator = args[0].to_text("the separator of `split`")?;
            let text = args[1].to_text("the string of `split`")?;
            let parts = if separator.is_empty() {
                text.chars().count()
            } else {
                text.matches(separator.as_str()).count() + 1
            };
            if parts > MAX_ELEMENTS {
                return Err(Fail(format!(
                    "`split` into more than {MAX_ELEMENTS} elements"
                )));
            }
            if separator.is_empty() {
                return Ok(Value::List(
                    text.chars().map(|c| Value::string(c.to_string())).collect(),
                ));
            }
            Ok(Value::List(
                text.split(separator.as_str()).map(Value::string).collect(),
            ))
        }
        "zipmap" => {
            arity(name, &args, 2, 2)?;
            let keys = args[0].elements("the keys of `zipmap`")?;
            let values = args[1].elements("the values of `zipmap`")?;
            if keys.len() != values.len() {
                return Err(Fail("`zipmap` of lists of different lengths".to_owned()));
            }
            let mut out = BTreeMap::new();
            for (key, value) in keys.into_iter().zip(values) {
                out.insert(key.to_text("a key of `zipmap`")?, value);
            }
            Ok(Value::Map(out))
        }
        "range" => {
            arity(name, &args, 1, 3)?;
            let numbers: Vec<f64> = args
                .iter()
                .map(|arg| arg.to_number("an argument of `range`"))
                .collect::<Result<_, _>>()?;
            let (start, end, step) = match numbers.as_slice() {
                [end] => (0.0, *end, 1.0),
                [start, end] => (*start, *end, if end >= start { 1.0 } else { -1.0 }),
                [start, end, step] => (*start, *end, *step),
                _ => unreachable!("arity checked"),
            };
            if step == 0.0 || (step > 0.0) != (end >= start) && start != end {
                return Err(Fail(
                    "`range` with a step that never reaches the end".to_owned(),
                ));
            }
            let mut out = Vec::new();
            let mut at = start;
            while (step > 0.0 && at < end) || (step < 0.0 && at > end) {
                if out.len() >= MAX_ELEMENTS {
                    return Err(Fail(format!(
                        "`range` of more than {MAX_ELEMENTS} elements"
                    )));
                }
                out.push(Value::Number(at));
                at += step;
            }
            Ok(Value::List(out))
        }
        _ => Err(Fail(format!("`{name}` is not evaluated"))),
    }
}

/// `format`'s verbs that modules use: `%s`, `%d`, `%v`, `%q`, `%f`, `%%`, with an
/// optional width or precision ignored except for `%.Nf`.
fn format_values(spec: &str, args: &[Value]) -> Result<String, Fail> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut next = args.iter();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() || d == '.' || d == '-' || d == '+' || d == ' ' || d == '#' {
                flags.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let verb = chars
            .next()
            .ok_or_else(|| Fail("`format` string ends with `%`".to_owned()))?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let arg = next
            .next()
            .ok_or_else(|| Fail("`format` has fewer arguments than verbs".to_owned()))?;
        match verb {
            's' | 'v' => out.push_str(&arg.to_text("a `format` argument")?),
            'q' => {
                let _ = write!(out, "{:?}", arg.to_text("a `format` argument")?);
            }
            'd' => {
                let number = arg.to_number("a `format` argument")?;
                out.push_str(&number_text(number.trunc()));
            }
            'f' => {
                let number = arg.to_number("a `format` argument")?;
                let precision = flags
                    .split_once('.')
                    .and_then(|(_, digits)| digits.parse::<usize>().ok())
                    .unwrap_or(6);
                text_within(out.len() + precision, "`format`")?;
                let _ = write!(out, "{number:.precision$}");
            }
            other => return Err(Fail(format!("`format` verb `%{other}` is not evaluated"))),
        }
        // Each verb adds one argument: many of a long one stop here.
        text_within(out.len(), "`format`")?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{Evaluator, Fail, Scope, Step, Value};

    /// A scope with a few variables, like a root module with `terraform.tfvars`.
    struct Vars;

    impl Scope for Vars {
        fn reference(
            &mut self,
            root: &str,
            steps: &[Step],
            shown: &str,
        ) -> Result<(Value, usize), Fail> {
            let value = match (root, steps.first()) {
                ("var", Some(Step::Attr(name))) => match name.as_str() {
                    "zone" => Value::string("de-fra-1"),
                    "enabled" => Value::Bool(false),
                    "zones" => Value::Map(
                        [("prod", "ch-gva-2"), ("dev", "at-vie-1")]
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), Value::string(v)))
                            .collect(),
                    ),
                    "env" => Value::string("prod"),
                    "names" => Value::List(vec![
                        Value::string("a"),
                        Value::string("b"),
                        Value::string("a"),
                    ]),
                    "missing" => Value::unknown_variable("`var.missing` has no value", "missing"),
                    _ => return Err(Fail(format!("`{shown}`: no such variable"))),
                },
                _ => return Err(Fail(format!("`{shown}` is unknown here"))),
            };
            Ok((value, 1))
        }

        fn workspace(&self) -> String {
            "staging".to_owned()
        }
    }

    fn eval(text: &str) -> Value {
        let body = hcl_edit::parser::parse_body(&format!("x = {text}\n")).unwrap();
        let attribute = body.into_attributes().next().unwrap();
        let source = format!("x = {text}\n");
        let mut scope = Vars;
        let mut evaluator = Evaluator::new(&mut scope, 0, 0, &source);
        evaluator.value(&attribute.value)
    }

    fn text(text: &str) -> String {
        match eval(text) {
            Value::String(value, _) => value,
            other => panic!("`{text}` gave {other:?}"),
        }
    }

    fn number(text: &str) -> f64 {
        match eval(text) {
            Value::Number(value) => value,
            other => panic!("`{text}` gave {other:?}"),
        }
    }

    fn unknown(text: &str) -> String {
        match eval(text) {
            Value::Unknown(unknown) => unknown.why.clone(),
            other => panic!("`{text}` gave {other:?}, not unknown"),
        }
    }

    #[test]
    fn references_indexes_and_conditionals() {
        assert_eq!(text("var.zone"), "de-fra-1");
        assert_eq!(text("var.zones[var.env]"), "ch-gva-2");
        assert_eq!(text("var.zones.dev"), "at-vie-1");
        assert_eq!(number("var.enabled ? 1 : 0"), 0.0);
        assert_eq!(
            text("terraform.workspace == \"staging\" ? \"a\" : \"b\""),
            "a"
        );
        assert_eq!(
            text("\"${var.env}-${terraform.workspace}\""),
            "prod-staging"
        );
        assert_eq!(number("2 + 3 * 4 - 10 / 5"), 12.0);
        assert_eq!(number("-(7 % 4)"), -3.0);
    }

    #[test]
    fn unknowns_propagate_and_name_the_variable() {
        let why = unknown("var.missing ? 1 : 0");
        assert!(why.contains("var.missing"), "{why}");
        assert!(unknown("\"${var.missing}-x\"").contains("var.missing"));
        assert!(unknown("lower(var.missing)").contains("var.missing"));
        assert!(
            matches!(eval("var.missing"), Value::Unknown(u) if u.variable.as_deref() == Some("missing"))
        );
        // A known list with an unknown element still has a length.
        assert_eq!(number("length([var.missing, 1])"), 2.0);
        // A function srmlint does not know is named.
        assert!(unknown("cidrsubnet(\"10.0.0.0/8\", 8, 1)").contains("cidrsubnet"));
        // `false && unknown` is decided.
        assert!(matches!(eval("false && var.missing"), Value::Bool(false)));
    }

    #[test]
    fn functions_modules_use() {
        assert_eq!(text("lookup(var.zones, \"dev\", \"x\")"), "at-vie-1");
        assert_eq!(text("lookup(var.zones, \"qa\", \"x\")"), "x");
        assert_eq!(text("element([\"a\", \"b\"], 3)"), "b");
        assert_eq!(number("length(merge(var.zones, {qa = \"hr-zag-1\"}))"), 3.0);
        assert_eq!(number("length(concat([1], [2, 3]))"), 3.0);
        assert_eq!(number("length(flatten([[1, [2]], [3]]))"), 3.0);
        assert_eq!(number("length(distinct(var.names))"), 2.0);
        assert_eq!(number("length(toset(var.names))"), 2.0);
        assert_eq!(text("join(\",\", keys(var.zones))"), "dev,prod");
        assert_eq!(text("join(\",\", values(var.zones))"), "at-vie-1,ch-gva-2");
        assert!(matches!(
            eval("contains(var.names, \"b\")"),
            Value::Bool(true)
        ));
        assert_eq!(text("coalesce(\"\", null, \"z\")"), "z");
        assert_eq!(text("one([\"only\"])"), "only");
        assert!(matches!(eval("one([])"), Value::Null));
        assert_eq!(text("format(\"%s-%02d\", \"web\", 3)"), "web-3");
        assert_eq!(text("upper(\"ch\")"), "CH");
        assert_eq!(text("replace(\"ch_gva_2\", \"_\", \"-\")"), "ch-gva-2");
        assert_eq!(
            text("replace(\"sos-ch-gva-2\", \"/^sos-/\", \"\")"),
            "ch-gva-2"
        );
        assert_eq!(text("split(\",\", \"a,b\")[1]"), "b");
        assert_eq!(text("zipmap([\"k\"], [\"v\"]).k"), "v");
        assert_eq!(number("length(range(1, 7, 2))"), 3.0);
        assert_eq!(text("tolist(toset([\"b\", \"a\"]))[0]"), "a");
        assert_eq!(text("tomap({a = \"b\"})[\"a\"]"), "b");
    }

    #[test]
    fn try_and_can_are_lazy() {
        assert_eq!(text("try(var.zones[\"qa\"], \"fallback\")"), "fallback");
        assert_eq!(text("try(var.zones.prod, \"fallback\")"), "ch-gva-2");
        assert!(matches!(eval("can(var.zones.qa)"), Value::Bool(false)));
        assert!(matches!(eval("can(var.zones.dev)"), Value::Bool(true)));
        // An unknown is not an error: `try` does not skip it.
        assert!(unknown("try(var.missing, \"x\")").contains("var.missing"));
    }

    #[test]
    fn for_expressions_and_splats() {
        assert_eq!(
            text("join(\",\", [for k, v in var.zones : \"${k}=${v}\" if k != \"dev\"])"),
            "prod=ch-gva-2"
        );
        assert_eq!(text("{for z in [\"a\", \"b\"] : z => upper(z)}.b"), "B");
        assert_eq!(number("length({for n in var.names : n => n...}.a)"), 2.0);
        assert_eq!(text("join(\",\", [{z = \"x\"}, {z = \"y\"}][*].z)"), "x,y");
        assert_eq!(text("join(\",\", [{z = \"x\"}].*.z)"), "x");
        assert_eq!(
            text("\"%{ if var.env == \"prod\" }p%{ else }d%{ endif }\""),
            "p"
        );
        assert_eq!(text("\"%{ for n in var.names }${n}%{ endfor }\""), "aba");
    }

    #[test]
    fn values_that_double_are_cut_off() {
        let doubled =
            "join(\",\", flatten([for i in range(99999) : [i, i, i, i, i, i, i, i, i, i, i]]))";
        assert!(unknown(doubled).contains("larger than srmlint evaluates"));
    }

    #[test]
    fn errors_become_unknowns_that_say_why() {
        assert!(unknown("var.zones[\"qa\"]").contains("no key `qa`"));
        assert!(unknown("[1][4]").contains("out of range"));
        assert!(unknown("1 / 0").contains("division by zero"));
        assert!(unknown("range(0, 1000000000)").contains("more than"));
    }
}
