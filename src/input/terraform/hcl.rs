//! Terraform configuration read as `terraform plan` would evaluate it: a module
//! folder's `.tf`, `.tf.json` and `.tofu` files parsed with hcl-edit (spans on every
//! block, attribute and expression; override files merged), the root module's var
//! files and the source's own applied in Terraform's order, each resource and module
//! call expanded by its `count` or `for_each`, local and installed child modules
//! followed with the caller's arguments as their variables, and the attributes the
//! catalog asks about evaluated (`eval`) in each instance. What cannot be evaluated is
//! named, with what stood in the way.

use std::cell::RefCell;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use foldhash::HashMap;
use hcl_edit::Span;
use hcl_edit::expr::Expression;

use super::eval::{self, Evaluator, Fail, Scope, Step, Unknown, Value};
use super::json;
use super::syntax::{self, Item};
use super::types;
use super::{
    Attribute, InfraFile, Inventory, ProblemKind, Resource, SetAt, SourceKind, VarInput,
    VarSettings, confine, decode_source, lexical_inside, read_file, shown_join,
};
use crate::data::terraform::{Endpoint, TerraformCatalog};
use crate::text::folder::{EntryKind, OpenFolder};
use crate::text::fs::MAX_FILE_BYTES;

/// Module calls nested deeper than this are not followed: no real configuration comes
/// near it, and it bounds the work a hostile repository can ask for.
const MAX_MODULE_DEPTH: usize = 32;
/// At most this many module instances per source, for the same reason (modules that
/// each call another twice grow exponentially).
const MAX_INSTANCES: usize = 1000;
/// At most this many resource blocks taken from module instances per source: a small
/// module called through a few levels of fan-out would otherwise copy its resources
/// into memory millions of times (1.5 MB of HCL ran a machine out of memory).
const MAX_RESOURCE_INSTANCES: usize = 100_000;
/// References followed inside one another (`local.a` → `local.b` → ...): deeper is
/// refused, bounding the stack a hostile module can ask for.
const MAX_REFERENCE_DEPTH: usize = 32;

/// Arguments of a `module` block that are not inputs of the module.
const MODULE_META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// One folder's blocks, with what evaluation needs of them.
#[derive(Debug, Default)]
struct ParsedModule {
    /// The canonical folder.
    dir: PathBuf,
    shown: String,
    variables: HashMap<String, Variable>,
    locals: HashMap<String, Written>,
    resources: Vec<ResourceBlock>,
    /// The root module's own var files (`terraform.tfvars`, `*.auto.tfvars`...) in
    /// the order Terraform applies them, each as output shows it and as read.
    var_files: Vec<(String, Result<String, String>)>,
    /// `provider` blocks, by name (`resource_type`) and alias (`name`, empty for the
    /// default configuration).
    providers: Vec<ResourceBlock>,
    /// The sources `required_providers` gives local names (`sos = { source =
    /// "hashicorp/aws" }`).
    provider_sources: HashMap<String, String>,
    /// `data` blocks: their literal arguments can be referred to.
    data: Vec<ResourceBlock>,
    calls: Vec<ModuleCall>,
}

/// An expression and where it is written: the file (an override file can set a value
/// of a block defined in another) and the offset its spans count from (a `.tf` file is
/// parsed one top-level block at a time).
#[derive(Debug)]
struct Written {
    file: usize,
    at: usize,
    expression: Expression,
}

impl Written {
    /// Where the expression is written in its file.
    fn span(&self) -> Range<usize> {
        shifted(self.expression.span(), self.at)
    }
}

/// A span of a tree parsed from the text from `at` on, as a span of the whole text.
fn shifted(span: Option<Range<usize>>, at: usize) -> Range<usize> {
    span.map_or(0..0, |span| span.start + at..span.end + at)
}

#[derive(Debug)]
struct Variable {
    default: Option<Written>,
    /// Its `type`: every value it is given is converted to it.
    constraint: Option<Written>,
    /// `nullable = false`: a `null` it is given means its default.
    not_nullable: Option<bool>,
}

#[derive(Debug)]
struct ResourceBlock {
    file: usize,
    resource_type: String,
    name: String,
    header: Range<usize>,
    /// The block's top-level arguments that evaluating it needs (nested blocks are
    /// dropped).
    attributes: Vec<(String, Written)>,
    /// The blocks (the file and span of this one, then of its overrides) whose other
    /// arguments are parsed again only when another block refers to one: most never
    /// are, and their trees are most of a file's.
    unparsed: Vec<(usize, Range<usize>)>,
    /// Those arguments, once one was referred to.
    reparsed: std::cell::OnceCell<Vec<(String, Rc<Written>)>>,
}

impl ResourceBlock {
    fn attribute(&self, name: &str) -> Option<&Written> {
        last(&self.attributes, name)
    }

    /// Sets the arguments of an override file's block, replacing the values they had.
    fn set(&mut self, attributes: Vec<(String, Written)>, unparsed: Vec<(usize, Range<usize>)>) {
        for (name, _) in &attributes {
            self.attributes.retain(|(key, _)| key != name);
        }
        self.attributes.extend(attributes);
        self.unparsed.extend(unparsed);
    }

    /// The value of `name`, parsed again from `files` when it was not kept. The first
    /// such reference parses all the block's other arguments, so a block referred to
    /// many times is parsed again once.
    fn reparsed(&self, name: &str, files: &[InfraFile]) -> Option<Rc<Written>> {
        last(self.all_reparsed(files), name).cloned()
    }

    /// Every argument of the block, parsed again from `files` once.
    fn all_reparsed(&self, files: &[InfraFile]) -> &[(String, Rc<Written>)] {
        self.reparsed.get_or_init(|| {
            let mut all = Vec::new();
            for (file, span) in &self.unparsed {
                let Some(text) = files[*file].source.text().get(span.clone()) else {
                    continue;
                };
                let written = |at: usize, expression| {
                    Rc::new(Written {
                        file: *file,
                        at: span.start + at,
                        expression,
                    })
                };
                if files[*file].path.ends_with(".json") {
                    all.extend(
                        json::attributes(text)
                            .into_iter()
                            .map(|(key, at, value)| (key, written(at, value))),
                    );
                } else if let Ok(Some(Item::Block { body, .. })) =
                    syntax::parse(text, Some).map(|items| items.into_iter().next())
                {
                    all.extend(body.into_iter().filter_map(|item| match item {
                        Item::Attribute { key, at, value } => Some((key, written(at, value))),
                        Item::Block { .. } => None,
                    }));
                }
            }
            all
        })
    }
}

/// The value of `name` among `pairs`; written twice (which Terraform refuses), the last.
fn last<'a, T>(pairs: &'a [(String, T)], name: &str) -> Option<&'a T> {
    pairs
        .iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

#[derive(Debug)]
struct ModuleCall {
    file: usize,
    name: String,
    header: Range<usize>,
    source: Option<Written>,
    inputs: HashMap<String, Written>,
    /// `count` and `for_each`, when written.
    expansion: Vec<(String, Written)>,
}

impl ModuleCall {
    fn meta(&self, name: &str) -> Option<&Written> {
        last(&self.expansion, name)
    }
}

/// One use of a module: the root, or one instance of a `module` block's call.
struct Instance {
    module: Rc<ParsedModule>,
    /// `module.a.module.b["x"].`; empty for the root.
    prefix: String,
    /// The instance whose module calls this one, and the index of the call.
    caller: Option<(Rc<Instance>, usize)>,
    depth: usize,
    /// The values given to the module's variables: the caller's arguments, evaluated
    /// in the caller, or the root module's var files and `--var`s.
    given: HashMap<String, Value>,
    /// Why the instance may not exist (a `count` above it that is not known).
    unsure: Option<String>,
    /// `terraform.workspace`.
    workspace: Rc<str>,
    /// Variables and locals evaluated so far.
    memo: RefCell<HashMap<String, Value>>,
    /// The references being evaluated, outermost first: a cycle shows in it.
    active: RefCell<Vec<String>>,
}

impl Instance {
    fn new(
        module: Rc<ParsedModule>,
        prefix: String,
        caller: Option<(Rc<Instance>, usize)>,
        given: HashMap<String, Value>,
        unsure: Option<String>,
        workspace: Rc<str>,
    ) -> Self {
        let depth = caller.as_ref().map_or(0, |(caller, _)| caller.depth + 1);
        Self {
            module,
            prefix,
            caller,
            depth,
            given,
            unsure,
            workspace,
            memo: RefCell::default(),
            active: RefCell::default(),
        }
    }
}

/// What `count.index` and `each` are while one instance of a block is evaluated.
#[derive(Debug, Clone, Default)]
enum Binding {
    #[default]
    None,
    /// `count.index`.
    Count(Value),
    /// `each.key` and `each.value`.
    Each(Value, Value),
}

/// The instances of a block: each one's address suffix (`[0]`, `["a"]`, none) and
/// binding; `unsure` says why the block may create nothing at all.
struct Expanded {
    keys: Vec<(String, Binding)>,
    unsure: Option<String>,
}

/// The message part naming a `count` or `for_each` that could not be evaluated.
fn undecided(meta: &str, shown: &str, unknown: &Unknown) -> String {
    // The reason names the value that would decide it (`var.enabled` has no value...).
    format!("its `{meta} = {shown}` was not evaluated: {}", unknown.why)
}

/// The instances `count` or `for_each` make of a block, each with its address
/// suffix and binding; an unknown count makes one instance, taken as created.
fn expand(
    files: &[InfraFile],
    instance: &Instance,
    count: Option<&Written>,
    for_each: Option<&Written>,
) -> Expanded {
    let once = |unsure: Option<String>, binding: Binding| Expanded {
        keys: vec![(String::new(), binding)],
        unsure,
    };
    if let Some(count) = count {
        let value = evaluate_in(files, instance, &Binding::default(), count);
        let shown = snippet(files, count);
        return match value {
            Value::Unknown(unknown) => once(
                Some(undecided("count", &shown, &unknown)),
                Binding::Count(Value::Unknown(unknown)),
            ),
            Value::Null => once(None, Binding::default()),
            value => match value.to_count() {
                // One past the most instances a source may have: the caller says so.
                Some(count) => Expanded {
                    keys: (0..count.min(MAX_RESOURCE_INSTANCES + 1))
                        .map(|index| {
                            (
                                format!("[{index}]"),
                                Binding::Count(Value::Number(index as f64)),
                            )
                        })
                        .collect(),
                    unsure: None,
                },
                None => once(
                    Some(format!(
                        "its `count = {shown}` is {}, not a whole number",
                        value.kind()
                    )),
                    Binding::default(),
                ),
            },
        };
    }
    if let Some(for_each) = for_each {
        let value = evaluate_in(files, instance, &Binding::default(), for_each);
        let shown = snippet(files, for_each);
        let unknown = match &value {
            Value::Unknown(unknown) => Some(unknown.clone()),
            // Terraform needs every key known to plan (values may be unknown).
            Value::Set(items) => items.iter().find_map(Value::first_unknown).cloned(),
            _ => None,
        };
        if let Some(unknown) = unknown {
            let each = Value::Unknown(unknown.clone());
            return once(
                Some(undecided("for_each", &shown, &unknown)),
                Binding::Each(each.clone(), each),
            );
        }
        return match eval::pairs(&value) {
            Ok(pairs) if matches!(value, Value::Map(_) | Value::Set(_)) => Expanded {
                keys: pairs
                    .into_iter()
                    .map(|(key, value)| {
                        let suffix = match &key {
                            Value::String(text, _) => format!("[{text:?}]"),
                            other => format!("[{other:?}]"),
                        };
                        (suffix, Binding::Each(key, value))
                    })
                    .collect(),
                unsure: None,
            },
            _ => {
                let why = format!(
                    "its `for_each = {shown}` is {}, not a map or a set of strings",
                    value.kind()
                );
                // `each` is then not known (rather than not there).
                let each = Value::unknown(why.clone());
                once(Some(why), Binding::Each(each.clone(), each))
            }
        };
    }
    once(None, Binding::default())
}

/// Evaluates `expression`, written in `file` of `instance`'s module, with `binding`.
fn evaluate_in(
    files: &[InfraFile],
    instance: &Instance,
    binding: &Binding,
    written: &Written,
) -> Value {
    let mut scope = InstanceScope {
        files,
        instance,
        binding,
    };
    let text = &files[written.file].source.text()[written.at..];
    Evaluator::new(&mut scope, written.file, written.at, text).value(&written.expression)
}

/// The source text of `written`, shortened to one line, for messages.
fn snippet(files: &[InfraFile], written: &Written) -> String {
    eval::snippet(
        &files[written.file].source.text()[written.at..],
        &written.expression,
    )
}

/// A module instance answering the evaluator's references.
struct InstanceScope<'a> {
    files: &'a [InfraFile],
    instance: &'a Instance,
    binding: &'a Binding,
}

impl InstanceScope<'_> {
    /// `compute`'s value for the reference `key`, worked out once per instance; a
    /// reference met again while it is being worked out is a cycle, named.
    fn memoized(&self, key: &str, memo: bool, compute: impl FnOnce() -> Value) -> Value {
        if memo && let Some(known) = self.instance.memo.borrow().get(key) {
            return known.clone();
        }
        {
            let active = self.instance.active.borrow();
            if let Some(start) = active.iter().position(|name| name == key) {
                let mut cycle: Vec<String> = active[start..]
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect();
                cycle.push(format!("`{key}`"));
                return Value::unknown(format!("a cycle: {}", cycle.join(" → ")));
            }
            if active.len() >= MAX_REFERENCE_DEPTH {
                return Value::unknown(format!(
                    "references nested more than {MAX_REFERENCE_DEPTH} deep at `{key}`"
                ));
            }
        }
        self.instance.active.borrow_mut().push(key.to_owned());
        let value = compute();
        self.instance.active.borrow_mut().pop();
        if memo {
            self.instance
                .memo
                .borrow_mut()
                .insert(key.to_owned(), value.clone());
        }
        value
    }

    fn in_module(&self, binding: &Binding, written: &Written) -> Value {
        evaluate_in(self.files, self.instance, binding, written)
    }

    fn variable(&self, name: &str) -> Result<Value, Fail> {
        let module = &self.instance.module;
        let Some(variable) = module.variables.get(name) else {
            return Err(Fail(format!(
                "`var.{name}` is not declared in `{}`",
                module.shown
            )));
        };
        let given = (self.instance.given.get(name))
            .filter(|given| !(variable.not_nullable == Some(true) && matches!(given, Value::Null)));
        if let (Some(given), None) = (given, &variable.constraint) {
            return Ok(given.clone());
        }
        let key = format!("var.{name}");
        Ok(self.memoized(&key, true, || {
            let value = match (given, &variable.default) {
                (Some(given), _) => given.clone(),
                (None, Some(default)) => self.in_module(&Binding::default(), default),
                (None, None) if self.instance.caller.is_some() => {
                    return Value::unknown_variable(
                        format!("`var.{name}` has no default and the module call does not set it"),
                        name,
                    );
                }
                (None, None) => {
                    return Value::unknown_variable(
                        format!("`var.{name}` has no default and no var file sets it"),
                        name,
                    );
                }
            };
            match &variable.constraint {
                Some(constraint) => self.typed(name, value, constraint),
                None => value,
            }
        }))
    }

    /// `value` converted to the `type` of `var.{name}`, as Terraform converts what a
    /// variable is given; one that does not convert is unknown, saying why.
    fn typed(&self, name: &str, value: Value, constraint: &Written) -> Value {
        let file = &self.files[constraint.file];
        let text = &file.source.text()[constraint.at..];
        // The JSON syntax writes the type in a string, whose escapes move what follows:
        // a default's strings there are not placed.
        let placed = !file.path.ends_with(".json");
        let mut default = |expression: &Expression| {
            let value = Evaluator::new(&mut NoReferences, constraint.file, constraint.at, text)
                .value(expression);
            if placed { value } else { strip_places(value) }
        };
        types::convert(value, Some(&constraint.expression), &mut default).unwrap_or_else(
            |Fail(why)| Value::unknown(format!("`var.{name}` does not fit its type: {why}")),
        )
    }

    fn local(&self, name: &str) -> Result<Value, Fail> {
        let module = &self.instance.module;
        let Some(expression) = module.locals.get(name) else {
            return Err(Fail(format!(
                "`local.{name}` is not defined in `{}`",
                module.shown
            )));
        };
        let key = format!("local.{name}");
        Ok(self.memoized(&key, true, || {
            self.in_module(&Binding::default(), expression)
        }))
    }

    /// An argument of another resource or data block of the module, as written there
    /// (`exoscale_sks_cluster.main.zone`, `….web[0].zone`).
    fn block_attribute(
        &self,
        blocks: &[ResourceBlock],
        what: &str,
        resource_type: &str,
        steps: &[Step],
        shown: &str,
    ) -> Result<(Value, usize), Fail> {
        let Some(Step::Attr(name)) = steps.first() else {
            return Ok((
                Value::unknown(format!("`{shown}` is not evaluated")),
                steps.len(),
            ));
        };
        let module = &self.instance.module;
        let Some(block) = blocks
            .iter()
            .find(|block| block.resource_type == resource_type && block.name == *name)
        else {
            return Err(Fail(format!(
                "`{shown}` refers to {what} `{resource_type}.{name}`, which `{}` does not define",
                module.shown
            )));
        };
        let expanded = block.attribute("count").is_some() || block.attribute("for_each").is_some();
        let (binding, attribute, used) = match (expanded, &steps[1..]) {
            (false, [Step::Attr(attribute), ..]) => (Binding::default(), attribute, 2),
            (true, [Step::Index(key), Step::Attr(attribute), ..]) => {
                let binding = match block.attribute("for_each") {
                    Some(for_each) => {
                        let collection = self.in_module(&Binding::default(), for_each);
                        let value = eval::apply_steps(collection, &[Step::Index(key.clone())])?;
                        Binding::Each(key.clone(), value)
                    }
                    None => Binding::Count(key.clone()),
                };
                (binding, attribute, 3)
            }
            // The whole block (`for_each = exoscale_sks_cluster.main`, a splat): the
            // evaluator applies the rest.
            _ => {
                // The same for every instance that refers to it: worked out once.
                let key = format!("{resource_type}.{name}");
                return Ok((self.memoized(&key, true, || self.whole(block)), 1));
            }
        };
        let reparsed;
        let expression = match block.attribute(attribute) {
            Some(written) => written,
            None => match block.reparsed(attribute, self.files) {
                Some(written) => {
                    reparsed = written;
                    &*reparsed
                }
                None => {
                    return Ok((
                        Value::unknown(format!(
                            "`{shown}` is set by the provider when Terraform applies it"
                        )),
                        used,
                    ));
                }
            },
        };
        let key = format!("{resource_type}.{name}.{attribute}");
        let value = self.memoized(&key, false, || self.in_module(&binding, expression));
        Ok((value, used))
    }
}

impl InstanceScope<'_> {
    /// A block as a whole, as Terraform shows it to expressions: an object of the
    /// arguments written in it, a list of them for a block with `count`, a map by key
    /// for one with `for_each`. What the provider sets is not in it.
    fn whole(&self, block: &ResourceBlock) -> Value {
        let object = |binding: &Binding| {
            let kept = block
                .attributes
                .iter()
                .map(|(name, written)| (name, written));
            let reparsed =
                (block.all_reparsed(self.files).iter()).map(|(name, written)| (name, &**written));
            let arguments = reparsed.chain(kept).filter(|(name, _)| {
                !matches!(
                    name.as_str(),
                    "count" | "for_each" | "provider" | "depends_on"
                )
            });
            let mut object = std::collections::BTreeMap::new();
            for (name, written) in arguments {
                object.insert(name.clone(), self.in_module(binding, written));
            }
            Value::Map(object)
        };
        // Beyond this, a block is not evaluated whole: each instance holds all its
        // arguments, and each reference a copy of them all.
        const MOST: usize = 1_000;
        let (count, for_each) = (block.attribute("count"), block.attribute("for_each"));
        let expanded = expand(self.files, self.instance, count, for_each);
        if let Some(why) = expanded.unsure {
            return Value::unknown(why);
        }
        if expanded.keys.len() > MOST {
            return Value::unknown(format!(
                "`{}.{}` has more than {MOST} instances to evaluate whole",
                block.resource_type, block.name
            ));
        }
        let mut objects = expanded.keys.into_iter().map(|(_, binding)| {
            let key = match &binding {
                Binding::Each(Value::String(key, _), _) => key.clone(),
                _ => String::new(),
            };
            (key, object(&binding))
        });
        match (count, for_each) {
            (Some(_), _) => Value::List(objects.map(|(_, object)| object).collect()),
            (None, Some(_)) => Value::Map(objects.collect()),
            (None, None) => objects.next().map_or(Value::Null, |(_, object)| object),
        }
    }
}

impl Scope for InstanceScope<'_> {
    fn reference(
        &mut self,
        root: &str,
        steps: &[Step],
        shown: &str,
    ) -> Result<(Value, usize), Fail> {
        let first = match steps.first() {
            Some(Step::Attr(name)) => Some(name.as_str()),
            _ => None,
        };
        match (root, first) {
            ("var", Some(name)) => Ok((self.variable(name)?, 1)),
            ("local", Some(name)) => Ok((self.local(name)?, 1)),
            ("count", Some("index")) => match &self.binding {
                Binding::Count(index) => Ok((index.clone(), 1)),
                _ => Err(Fail(format!(
                    "`{shown}` is used in a block without `count`"
                ))),
            },
            ("each", Some(part @ ("key" | "value"))) => match &self.binding {
                Binding::Each(key, _) if part == "key" => Ok((key.clone(), 1)),
                Binding::Each(_, value) => Ok((value.clone(), 1)),
                _ => Err(Fail(format!(
                    "`{shown}` is used in a block without `for_each`"
                ))),
            },
            ("module", _) => Ok((
                Value::unknown(format!("`{shown}` is a module output")),
                steps.len(),
            )),
            ("data", Some(data_type)) => {
                let module = self.instance.module.clone();
                let (value, used) = self.block_attribute(
                    &module.data,
                    "the data source",
                    data_type,
                    &steps[1..],
                    shown,
                )?;
                Ok((value, used + 1))
            }
            // `resource.exoscale_sks_cluster.main`: the same as without the prefix.
            ("resource", Some(resource_type)) => {
                let module = self.instance.module.clone();
                let (value, used) = self.block_attribute(
                    &module.resources,
                    "the resource",
                    resource_type,
                    &steps[1..],
                    shown,
                )?;
                Ok((value, used + 1))
            }
            ("path" | "self" | "var" | "local" | "count" | "each" | "data", _) => Ok((
                Value::unknown(format!("`{shown}` is known only when Terraform runs")),
                steps.len(),
            )),
            (resource_type, Some(_)) if resource_type.contains('_') => {
                let module = self.instance.module.clone();
                self.block_attribute(
                    &module.resources,
                    "the resource",
                    resource_type,
                    steps,
                    shown,
                )
            }
            _ => Err(Fail(format!("`{shown}` refers to nothing srmlint knows"))),
        }
    }

    fn workspace(&self) -> String {
        self.instance.workspace.to_string()
    }
}

struct Reader<'a> {
    root: &'a Path,
    catalog: &'a TerraformCatalog,
    inventory: Inventory,
    parsed: HashMap<PathBuf, Rc<ParsedModule>>,
    instances: usize,
    /// Resource blocks taken from every instance so far.
    resource_instances: usize,
    /// `.terraform/modules/modules.json` of the root module, read when a module
    /// call first needs it: each installed module's key and folder, or why there is
    /// none.
    installed: Option<Result<HashMap<String, String>, String>>,
    /// Provider endpoints already reported as not evaluated, by file and offset.
    endpoint_problems: std::collections::BTreeSet<(usize, usize)>,
}

/// An object's key written as a name or a string.
fn object_key(key: &hcl_edit::expr::ObjectKey) -> Option<&str> {
    match key {
        hcl_edit::expr::ObjectKey::Ident(ident) => Some(ident.as_str()),
        hcl_edit::expr::ObjectKey::Expression(other) => other.as_str(),
    }
}

/// The span of the value of `key` in an object expression (or in the first object of
/// an array, as the JSON syntax may write a nested block).
fn member_span(expression: &Expression, key: &str) -> Option<Range<usize>> {
    match expression {
        Expression::Object(object) => object
            .iter()
            .find(|(name, _)| object_key(name) == Some(key))
            .and_then(|(_, value)| value.expr().span()),
        Expression::Array(items) => member_span(items.iter().next()?, key),
        _ => None,
    }
}

/// `provider = aws.sos` (or `"aws.sos"` in JSON syntax, or `aws.sos[each.key]` for
/// an instance of a provider with `for_each`): the name, alias and instance key.
fn provider_reference(expression: &Expression) -> Option<(String, String, Option<&Expression>)> {
    let (text, key) = match expression {
        Expression::Variable(name) => (name.as_str().to_owned(), None),
        Expression::Traversal(traversal) => {
            let Expression::Variable(root) = &traversal.expr else {
                return None;
            };
            let mut text = root.as_str().to_owned();
            let mut key = None;
            for operator in &traversal.operators {
                match operator.value() {
                    hcl_edit::expr::TraversalOperator::GetAttr(name) if key.is_none() => {
                        text.push('.');
                        text.push_str(name.as_str());
                    }
                    hcl_edit::expr::TraversalOperator::Index(index) if key.is_none() => {
                        key = Some(index);
                    }
                    _ => return None,
                }
            }
            (text, key)
        }
        other => (literal_text(other)?, None),
    };
    let (name, alias) = match text.split_once('.') {
        Some((name, alias)) => (name.to_owned(), alias.to_owned()),
        None => (text, String::new()),
    };
    Some((name, alias, key))
}

/// `terraform init`'s record of the modules it installed.
#[derive(serde::Deserialize)]
struct ModulesManifest {
    #[serde(rename = "Modules", default)]
    modules: Vec<InstalledModule>,
}

#[derive(serde::Deserialize)]
struct InstalledModule {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Dir")]
    dir: String,
}

/// Whether a file shown at `path` is a copy `terraform init` installed (under
/// `.terraform/`), not the repository's own code.
fn is_installed_copy(path: &str) -> bool {
    path.split('/').any(|part| part == ".terraform")
}

/// A folder read as a root module: the folder held open, or why it could not be opened.
pub(super) fn read_root_module(
    folder: Result<OpenFolder, String>,
    shown: &str,
    root: &Path,
    catalog: &TerraformCatalog,
    settings: &VarSettings,
) -> Inventory {
    let mut reader = Reader::new(shown, root, catalog);
    match folder.and_then(|folder| reader.parse_open_folder(folder, shown, true)) {
        Ok(module) => {
            if reader.inventory.files.is_empty() {
                reader.inventory.problem(
                    ProblemKind::Invalid,
                    None,
                    0..0,
                    format!("`{shown}` holds no `.tf` file"),
                    "no Terraform here",
                    "name the folder of the root module (where `terraform plan` runs), or a plan JSON",
                );
            }
            reader.instantiate_root(module, settings);
        }
        Err(why) => reader.inventory.problem(
            ProblemKind::Invalid,
            None,
            0..0,
            format!("`{shown}` cannot be read: {why}"),
            "unreadable",
            "make the folder readable",
        ),
    }
    reader.inventory
}

/// One `.tf` file read as a module of its own (its local modules resolve from its folder).
pub(super) fn read_single_file(
    path: &Path,
    shown: &str,
    root: &Path,
    catalog: &TerraformCatalog,
    settings: &VarSettings,
) -> Inventory {
    let mut reader = Reader::new(shown, root, catalog);
    let dir = path.parent().unwrap_or(root).to_path_buf();
    let mut module = ParsedModule {
        dir,
        shown: shown_join(shown, ".."),
        ..ParsedModule::default()
    };
    // The caller confined the file to the repository.
    let read = read_file(path, MAX_FILE_BYTES);
    reader.parse_text(read, shown.to_owned(), Joining::Defines, &mut module);
    let module = Rc::new(module);
    reader.instantiate_root(module, settings);
    reader.inventory
}

impl<'a> Reader<'a> {
    fn new(shown: &str, root: &'a Path, catalog: &'a TerraformCatalog) -> Self {
        eval::budget_anew();
        Self {
            root,
            catalog,
            inventory: Inventory::new(shown, SourceKind::Module),
            parsed: HashMap::default(),
            instances: 0,
            resource_instances: 0,
            installed: None,
            endpoint_problems: std::collections::BTreeSet::new(),
        }
    }

    /// The folder (relative to the root module) where `terraform init` installed the
    /// module called as `key` (`net`, `net.subnets`), or why it is not known.
    fn installed_dir(&mut self, root_dir: &Path, key: &str) -> Result<String, String> {
        if self.installed.is_none() {
            let path = root_dir.join(".terraform/modules/modules.json");
            let read = confine(self.root, &path)
                .map_err(|_| "no `.terraform/modules/modules.json`".to_owned())
                .and_then(|path| read_file(&path, MAX_FILE_BYTES))
                .and_then(|text| {
                    serde_json::from_str::<ModulesManifest>(&text).map_err(|error| {
                        format!("`.terraform/modules/modules.json` cannot be read: {error}")
                    })
                })
                .map(|manifest| {
                    manifest
                        .modules
                        .into_iter()
                        .map(|module| (module.key, module.dir))
                        .collect()
                });
            self.installed = Some(read);
        }
        match self.installed.as_ref() {
            Some(Ok(installed)) => installed
                .get(key)
                .cloned()
                .ok_or_else(|| format!("`.terraform/modules/modules.json` has no module `{key}`")),
            Some(Err(why)) => Err(why.clone()),
            None => Err("no `.terraform/modules/modules.json`".to_owned()),
        }
    }

    /// The module call in the repository's own files nearest above `instance`: where
    /// findings about a module `terraform init` installed are placed.
    fn own_call(&self, instance: &Instance) -> Option<(usize, Range<usize>)> {
        let mut current = instance;
        loop {
            let (caller, index) = current.caller.as_ref()?;
            let call = &caller.module.calls[*index];
            if !is_installed_copy(&self.inventory.files[call.file].path) {
                return Some((call.file, call.header.clone()));
            }
            current = caller;
        }
    }

    /// The module in the folder held open: listed and read through it.
    fn parse_open_folder(
        &mut self,
        mut folder: OpenFolder,
        shown: &str,
        root_module: bool,
    ) -> Result<Rc<ParsedModule>, String> {
        let dir = folder.path().to_path_buf();
        let mut names = folder.entries().map_err(|error| error.to_string())?;
        // Terraform reads `.tf` files and skips hidden and editor backup files.
        names.retain(|(name, _)| {
            !(name.starts_with('.') || name.starts_with('#') || name.ends_with('~'))
        });
        let var_names: Vec<(String, EntryKind)> = if root_module {
            let mut found: Vec<(String, EntryKind)> = names
                .iter()
                .filter(|(name, _)| var_file_rank(name).is_some())
                .cloned()
                .collect();
            found.sort_by(|a, b| (var_file_rank(&a.0), &a.0).cmp(&(var_file_rank(&b.0), &b.0)));
            found
        } else {
            Vec::new()
        };
        names.retain(|(name, _)| stem_of(name).is_some());
        // OpenTofu reads `x.tofu` instead of `x.tf` (and `x.tofu.json` instead of
        // `x.tf.json`) when both are there.
        let tofu: Vec<String> = names
            .iter()
            .filter(|(name, _)| name.ends_with(".tofu") || name.ends_with(".tofu.json"))
            .map(|(name, _)| name.replacen(".tofu", ".tf", 1))
            .collect();
        names.retain(|(name, _)| !tofu.contains(name));
        // Terraform reads the other files first, then the override files, each in
        // name order.
        names.sort_unstable_by(|a, b| {
            (is_override_file(&a.0), &a.0).cmp(&(is_override_file(&b.0), &b.0))
        });
        let mut module = ParsedModule {
            dir: dir.clone(),
            shown: shown.to_owned(),
            ..ParsedModule::default()
        };
        let root = self.root;
        // `None` for an entry that is neither a regular file nor a link.
        let read_listed = |name: &str, listed| match listed {
            EntryKind::File => Some(
                folder
                    .read_file(name, MAX_FILE_BYTES)
                    .and_then(|bytes| decode_source(bytes, MAX_FILE_BYTES)),
            ),
            EntryKind::Link => Some(
                confine(root, &dir.join(name)).and_then(|path| read_file(&path, MAX_FILE_BYTES)),
            ),
            EntryKind::Other => None,
        };
        let mut index: Option<BlockIndex> = None;
        for (name, listed) in names {
            let file_shown = shown_join(shown, &name);
            let read = read_listed(&name, listed)
                .unwrap_or_else(|| read_file(&dir.join(&name), MAX_FILE_BYTES));
            let joining = if is_override_file(&name) {
                // The other files are all read by now (they sort first).
                Joining::Overrides(index.get_or_insert_with(|| BlockIndex::of(&module)))
            } else {
                Joining::Defines
            };
            self.parse_text(read, file_shown, joining, &mut module);
        }
        for (name, listed) in var_names {
            let read = read_listed(&name, listed)
                .unwrap_or_else(|| Err("is not a regular file".to_owned()));
            module.var_files.push((shown_join(shown, &name), read));
        }
        let module = Rc::new(module);
        // Looked up again only when a module call is followed: a root module that
        // calls none (most of them) is not worth remembering.
        if !(self.parsed.is_empty() && module.calls.is_empty()) {
            self.parsed.insert(dir, module.clone());
        }
        Ok(module)
    }

    /// Parses one `.tf` file, as read, into `module`; a file that cannot be read or
    /// parsed is one SRM053 problem in it, and so is each block of an override file
    /// that overrides nothing.
    fn parse_text(
        &mut self,
        read: Result<String, String>,
        shown: String,
        joining: Joining<'_>,
        module: &mut ParsedModule,
    ) {
        let text = match read {
            Ok(text) => text,
            Err(why) => {
                let file = self.inventory.add_file(shown.clone(), String::new());
                self.inventory.problem(
                    ProblemKind::Invalid,
                    Some(file),
                    0..0,
                    format!("`{shown}` cannot be read: {why}"),
                    "this file",
                    "Terraform files are UTF-8 text of at most 4 MiB, inside the repository",
                );
                return;
            }
        };
        let file = self.inventory.add_file(shown.clone(), text);
        let source = self.inventory.files[file].source.clone();
        let catalog = self.catalog;
        let parsed = if shown.ends_with(".json") {
            json::parse(
                source.text(),
                |ident, labels, key| needed(catalog, ident, labels, key),
                |item| native_block(item, catalog),
            )
        } else {
            syntax::parse(source.text(), |item| native_block(item, catalog))
                .map_err(|error| (error.location().offset(), error.message().to_owned()))
        };
        match parsed {
            Ok(blocks) => {
                for (header, block) in collect(blocks, file, joining, module) {
                    self.inventory.problem(
                        ProblemKind::Invalid,
                        Some(file),
                        header,
                        format!("`{shown}` overrides {block}, which no other file of the module defines"),
                        "nothing to override",
                        "an override file only changes blocks defined in the module's other files: define it there, or rename the file so it is not an override file",
                    );
                }
            }
            Err((offset, message)) => {
                let offset = offset.min(source.text().len());
                let end = source.text()[offset..]
                    .chars()
                    .next()
                    .map_or(offset, |c| offset + c.len_utf8());
                self.inventory.problem(
                    ProblemKind::Invalid,
                    Some(file),
                    offset..end,
                    if shown.ends_with(".json") {
                        format!("`{shown}` is not valid JSON configuration syntax: {message}")
                    } else {
                        format!("`{shown}` is not valid HCL: {message}")
                    },
                    "here",
                    "fix the syntax (`terraform validate` says the same); the file is not checked until it parses",
                );
            }
        }
    }

    /// Evaluates `module` as the root module, its variables given by `settings`.
    fn instantiate_root(&mut self, module: Rc<ParsedModule>, settings: &VarSettings) {
        let given = self.root_variables(&module, settings);
        let workspace = settings.workspace();
        self.instantiate(Instance::new(
            module,
            String::new(),
            None,
            given,
            None,
            workspace,
        ));
    }

    /// The values the root module's variables are given, in Terraform's order, later
    /// winning: its own var files, then the source's var files and `--var`s. Each var
    /// file read becomes a file of the inventory, so a zone set in it is placed there.
    fn root_variables(
        &mut self,
        module: &ParsedModule,
        settings: &VarSettings,
    ) -> HashMap<String, Value> {
        let mut given = HashMap::default();
        for (shown, read) in &module.var_files {
            self.var_file(shown, read.clone(), &mut given);
        }
        for input in &settings.inputs {
            match input {
                VarInput::File {
                    shown,
                    path: Err(why),
                    at,
                } => {
                    // Never opened: the finding lies where the controls file names it,
                    // or at the source.
                    self.inventory.problem(
                        ProblemKind::Invalid,
                        None,
                        at.clone().unwrap_or(0..0),
                        format!("the var file `{shown}` {why}"),
                        "var file not read",
                        "name var files inside the repository, relative to the controls file's folder (or, for `--var-file`, to the working directory)",
                    );
                }
                VarInput::File {
                    shown,
                    path: Ok(path),
                    ..
                } => {
                    let read = read_file(path, MAX_FILE_BYTES);
                    self.var_file(shown, read, &mut given);
                }
                VarInput::Value { name, value } => {
                    given.insert(name.clone(), command_line_value(value));
                }
            }
        }
        given
    }

    /// One var file's values into `given`; a file that cannot be read or parsed is
    /// SRM053 in it.
    fn var_file(
        &mut self,
        shown: &str,
        read: Result<String, String>,
        given: &mut HashMap<String, Value>,
    ) {
        let invalid = |reader: &mut Self, file: usize, span: Range<usize>, message: String| {
            reader.inventory.problem(
                ProblemKind::Invalid,
                Some(file),
                span,
                message,
                "here",
                "a var file is `name = value` lines (`.tfvars`) or a JSON object (`.tfvars.json`) of at most 4 MiB, inside the repository",
            );
        };
        let text = match read {
            Ok(text) => text,
            Err(why) => {
                let file = self.inventory.add_file(shown.to_owned(), String::new());
                let why = why.strip_prefix("cannot read the file: ").unwrap_or(&why);
                let message = format!("the var file `{shown}` cannot be read: {why}");
                invalid(self, file, 0..0, message);
                return;
            }
        };
        let file = self.inventory.add_file(shown.to_owned(), text);
        let source = self.inventory.files[file].source.clone();
        if shown.ends_with(".json") {
            match crate::text::spanned_json::parse(source.text()) {
                Ok(document) => match json_value(&document, file) {
                    Value::Map(values) => given.extend(values),
                    _ => invalid(
                        self,
                        file,
                        document.span.clone(),
                        format!("the var file `{shown}` is not a JSON object"),
                    ),
                },
                Err(error) => invalid(
                    self,
                    file,
                    error.offset..error.offset,
                    format!(
                        "the var file `{shown}` is not valid JSON: {}",
                        error.message
                    ),
                ),
            }
            return;
        }
        let evaluated = |item| match item {
            Item::Attribute { key, at, value } => {
                let text = &source.text()[at..];
                let value = Evaluator::new(&mut NoReferences, file, at, text).value(&value);
                Some((key, value))
            }
            Item::Block { .. } => None,
        };
        match syntax::parse(source.text(), evaluated) {
            Ok(values) => given.extend(values),
            Err(error) => {
                let offset = error.location().offset().min(source.text().len());
                invalid(
                    self,
                    file,
                    offset..offset,
                    format!(
                        "the var file `{shown}` is not valid HCL: {}",
                        error.message()
                    ),
                );
            }
        }
    }

    /// Walks one use of `module`: its resources, each expanded by its `count` or
    /// `for_each`, then the modules it calls, likewise.
    fn instantiate(&mut self, instance: Instance) {
        // Past the limit on resources, which the block that passed it said, the rest
        // is not read (nor said again for every instance).
        if self.resource_instances > MAX_RESOURCE_INSTANCES {
            return;
        }
        self.instances += 1;
        let instance = Rc::new(instance);
        let module = instance.module.clone();
        for block in &module.resources {
            let direct = self.catalog.mapping(&block.resource_type).is_some()
                || self.catalog.is_provider_type(&block.resource_type);
            let endpoint = match self.catalog.endpoint(&block.resource_type) {
                _ if direct => None,
                Some(endpoint) => Some(endpoint),
                None => continue,
            };
            let expanded = expand(
                &self.inventory.files,
                &instance,
                block.attribute("count"),
                block.attribute("for_each"),
            );
            let budget = MAX_RESOURCE_INSTANCES.saturating_sub(self.resource_instances);
            if expanded.keys.len() > budget {
                self.inventory.problem(
                    ProblemKind::Invalid,
                    Some(block.file),
                    block.header.clone(),
                    format!(
                        "`{}{}.{}` and the resources before it make more than {MAX_RESOURCE_INSTANCES} instances; the rest are not checked",
                        instance.prefix, block.resource_type, block.name
                    ),
                    "too many instances",
                    "check a plan JSON instead, where Terraform has expanded every instance",
                );
                // Past the limit: nothing more is read, nor said again.
                self.resource_instances = MAX_RESOURCE_INSTANCES + 1;
                return;
            }
            self.resource_instances += expanded.keys.len();
            for (suffix, binding) in expanded.keys {
                let unsure = expanded.unsure.clone().or_else(|| instance.unsure.clone());
                let through = match endpoint {
                    None => None,
                    Some(endpoint) => {
                        match self.endpoint_zone(&instance, block, endpoint, &binding) {
                            Some(zone) => Some(zone),
                            None => continue,
                        }
                    }
                };
                let mut resource = self.resource(&instance, block, &suffix, &binding, unsure);
                if let Some((zone, file)) = through {
                    resource.through_endpoint = true;
                    resource.attributes = vec![("zone".to_owned(), zone)];
                    resource.attributes_elsewhere = if file == resource.file {
                        Vec::new()
                    } else {
                        vec![("zone".to_owned(), file)]
                    };
                }
                self.inventory.resources.push(resource);
            }
        }
        for (index, call) in module.calls.iter().enumerate() {
            self.follow(&instance, index, call);
        }
    }

    /// `expression`, written in `file` of `instance`'s module, evaluated with `binding`.
    fn evaluate(&self, instance: &Instance, binding: &Binding, written: &Written) -> Value {
        evaluate_in(&self.inventory.files, instance, binding, written)
    }

    /// One instance of a resource block, with the attributes the catalog asks about.
    fn resource(
        &self,
        instance: &Instance,
        block: &ResourceBlock,
        suffix: &str,
        binding: &Binding,
        unsure: Option<String>,
    ) -> Resource {
        let mapping = self.catalog.mapping(&block.resource_type);
        let mut attributes = Vec::new();
        let mut attributes_elsewhere = Vec::new();
        for name in mapping.into_iter().flat_map(|mapping| mapping.attributes()) {
            let attribute = match block.attribute(name) {
                None => Attribute::Missing,
                Some(written) => {
                    if written.file != block.file {
                        attributes_elsewhere.push((name.to_owned(), written.file));
                    }
                    let value = self.evaluate(instance, binding, written);
                    self.attribute_of(value, written)
                }
            };
            attributes.push((name.to_owned(), attribute));
        }
        let (mut file, mut header) = (block.file, block.header.clone());
        // A module `terraform init` installed is not the repository's code: findings
        // about it lie at the module call that brings it in.
        if is_installed_copy(&self.inventory.files[block.file].path)
            && let Some((call_file, call_header)) = self.own_call(instance)
        {
            (file, header) = (call_file, call_header);
            attributes_elsewhere.clear();
            for (name, attribute) in &mut attributes {
                match attribute {
                    // A value set in the repository's own files is shown there.
                    Attribute::Value {
                        span,
                        from: Some(from),
                        ..
                    } if !is_installed_copy(&self.inventory.files[from.file].path) => {
                        *span = from.offset..from.end;
                        if from.file != file {
                            attributes_elsewhere.push((name.clone(), from.file));
                        }
                    }
                    Attribute::Value { span, .. } | Attribute::Unresolved { span, .. } => {
                        *span = header.clone();
                    }
                    Attribute::Missing => {}
                }
            }
        }
        Resource {
            file,
            address: [
                instance.prefix.as_str(),
                &block.resource_type,
                ".",
                &block.name,
                suffix,
            ]
            .concat(),
            resource_type: block.resource_type.clone(),
            header,
            attributes,
            attributes_elsewhere,
            unsure,
            through_endpoint: false,
        }
    }

    /// The zone an instance (`binding`) of a resource of another provider runs in
    /// when its provider points at the platform's endpoint (an `aws` provider with
    /// `endpoints { s3 = "https://sos-ch-gva-2.exo.io" }`), with the file its span lies
    /// in; `None` when it does not (a bucket in AWS itself is none of the platform's),
    /// or when that cannot be told, which is said (SRM054).
    fn endpoint_zone(
        &mut self,
        instance: &Instance,
        block: &ResourceBlock,
        endpoint: &Endpoint,
        binding: &Binding,
    ) -> Option<(Attribute, usize)> {
        let written = block.attribute("provider");
        let reference = match written {
            Some(written) => provider_reference(&written.expression),
            None => Some((endpoint.provider.clone(), String::new(), None)),
        };
        let Some((mut name, mut alias, key)) = reference else {
            let written = written?;
            let message = format!(
                "the `provider` of `{}.{}` is not a provider reference srmlint reads, so whether it is one of the platform's resources is not known; it is not checked",
                block.resource_type, block.name
            );
            self.endpoint_not_evaluated((written.file, written.span()), message);
            return None;
        };
        // The local name is the provider its module's `required_providers` gives it,
        // else the one of that name in Terraform's default namespace.
        let source = (instance.module.provider_sources.get(&name))
            .map_or_else(|| format!("hashicorp/{name}"), Clone::clone);
        if !endpoint.is_source(&source) {
            return None;
        }
        // A child module uses the configurations of the modules that call it, by the
        // same name or as the call's `providers = { aws = aws.sos }` maps them.
        let mut current = instance;
        let (owner, config) = loop {
            if let Some(config) = current
                .module
                .providers
                .iter()
                .find(|config| config.resource_type == name && config.name == alias)
            {
                break (current, config);
            }
            let (caller, index) = current.caller.as_ref()?;
            let call = &caller.module.calls[*index];
            if let Some(
                providers @ Written {
                    expression: Expression::Object(mapping),
                    ..
                },
            ) = call.meta("providers")
            {
                let wanted = (name.clone(), alias.clone());
                let passed = mapping.iter().find_map(|(key, value)| {
                    let key = match key {
                        hcl_edit::expr::ObjectKey::Ident(ident) => {
                            (ident.as_str().to_owned(), String::new())
                        }
                        hcl_edit::expr::ObjectKey::Expression(key) => {
                            let (name, alias, _) = provider_reference(key)?;
                            (name, alias)
                        }
                    };
                    (key == wanted).then(|| provider_reference(value.expr()))
                });
                match passed {
                    Some(Some((parent_name, parent_alias, None))) => {
                        (name, alias) = (parent_name, parent_alias);
                    }
                    Some(_) => {
                        let message = format!(
                            "the provider a call of module `{}` passes as `{}` is not one srmlint evaluates, so whether its `{}` resources are the platform's is not known; they are not checked",
                            call.name, wanted.0, block.resource_type
                        );
                        self.endpoint_not_evaluated((providers.file, providers.span()), message);
                        return None;
                    }
                    None => {}
                }
            }
            current = caller;
        };
        let shown = if alias.is_empty() {
            name.clone()
        } else {
            format!("{name}.{alias}")
        };
        // An instance of a provider with `for_each` (OpenTofu): the one the key names.
        let config_binding = match (config.attribute("for_each"), key, written) {
            (None, None, _) => Binding::default(),
            (for_each, Some(key), Some(written)) => {
                let key = Written {
                    file: written.file,
                    at: written.at,
                    expression: key.clone(),
                };
                let key = self.evaluate(instance, binding, &key);
                let expanded = for_each
                    .map(|for_each| expand(&self.inventory.files, owner, None, Some(for_each)));
                let found = match (&key, expanded) {
                    (Value::String(key, _), Some(expanded)) => (expanded.keys.into_iter())
                        .find(|(suffix, _)| *suffix == format!("[{key:?}]"))
                        .map(|(_, binding)| binding),
                    _ => None,
                };
                found.unwrap_or_else(|| {
                    let why = match key {
                        Value::Unknown(unknown) => unknown.why.clone(),
                        _ => format!(
                            "`{}` names no instance of it",
                            snippet(&self.inventory.files, written)
                        ),
                    };
                    Binding::Each(Value::unknown(why.clone()), Value::unknown(why))
                })
            }
            _ => {
                let why = "a provider with `for_each` is used without an instance key, or one without it with a key".to_owned();
                Binding::Each(Value::unknown(why.clone()), Value::unknown(why))
            }
        };
        let written = config.attribute("endpoints")?;
        let file = &written.file;
        let endpoints = match self.evaluate(owner, &config_binding, written) {
            Value::List(items) => items.into_iter().next()?,
            other => other,
        };
        let (named, url) = match endpoints {
            Value::Map(items) => items.into_iter().find(|(key, _)| endpoint.is_named(key))?,
            Value::Unknown(unknown) => (endpoint.endpoint.clone(), Value::Unknown(unknown)),
            _ => return None,
        };
        // The endpoint's value, else the provider block.
        let member = member_span(&written.expression, &named).map_or_else(
            || (config.file, config.header.clone()),
            |span| (*file, shifted(Some(span), written.at)),
        );
        match url {
            Value::String(url, place) => {
                let zone = endpoint.zone_of(&url)?;
                let (at_file, span) =
                    place.map_or(member, |place| (place.file, place.offset..place.end));
                let from = SetAt {
                    trail: vec![format!("the `endpoints.{named}` of provider `{shown}`")],
                    file: at_file,
                    offset: span.start,
                    end: span.end,
                };
                Some((
                    Attribute::Value {
                        value: zone,
                        span,
                        from: Some(from),
                    },
                    at_file,
                ))
            }
            Value::Unknown(unknown) => {
                let message = format!(
                    "the `endpoints.{named}` of provider `{shown}` cannot be evaluated ({}), so whether its `{}` resources are Exoscale's is not known; they are not checked",
                    unknown.why, block.resource_type
                );
                self.endpoint_not_evaluated(member, message);
                None
            }
            _ => None,
        }
    }

    /// SRM054 at `written`, once, for a resource whose provider is not known to point
    /// at the platform's endpoint or not.
    fn endpoint_not_evaluated(&mut self, (file, span): (usize, Range<usize>), message: String) {
        if self.endpoint_problems.insert((file, span.start)) {
            self.inventory.problem(
                ProblemKind::NotChecked,
                Some(file),
                span,
                message,
                "not evaluated",
                "write the endpoint so it can be evaluated, or name a plan JSON",
            );
        }
    }

    /// An evaluated attribute as the rules see it: a string and where it was set, or
    /// why it is not known.
    fn attribute_of(&self, value: Value, written: &Written) -> Attribute {
        let (file, span) = (written.file, written.span());
        match value {
            Value::String(value, place) => {
                let from = place
                    .filter(|place| !(place.file == file && span.contains(&place.offset)))
                    .map(|place| SetAt {
                        trail: vec![format!("`{}`", snippet(&self.inventory.files, written))],
                        file: place.file,
                        offset: place.offset,
                        end: place.end,
                    });
                Attribute::Value { value, span, from }
            }
            // Written, but as good as not set.
            Value::Null => Attribute::Unresolved {
                span,
                why: format!("`{}` is null", snippet(&self.inventory.files, written)),
                variable: None,
            },
            Value::Unknown(unknown) => Attribute::Unresolved {
                span,
                why: unknown.why.clone(),
                variable: unknown.variable.clone(),
            },
            other => Attribute::Unresolved {
                span,
                why: format!(
                    "`{}` is {}, not a string",
                    snippet(&self.inventory.files, written),
                    other.kind()
                ),
                variable: None,
            },
        }
    }

    /// Follows a `module` block to its local source, or says why not.
    fn follow(&mut self, instance: &Rc<Instance>, index: usize, call: &ModuleCall) {
        if self.resource_instances > MAX_RESOURCE_INSTANCES {
            return;
        }
        // A call whose `count` is 0 or whose `for_each` is empty creates nothing.
        let expanded = expand(
            &self.inventory.files,
            instance,
            call.meta("count"),
            call.meta("for_each"),
        );
        if expanded.keys.is_empty() {
            return;
        }
        let Some(source) = &call.source else {
            self.inventory.problem(
                ProblemKind::Invalid,
                Some(call.file),
                call.header.clone(),
                format!("`module.{}` has no `source`", call.name),
                "no source",
                "give the module a `source`",
            );
            return;
        };
        // Problems with the source lie where it is written (an override file may set it).
        let (file, span) = (source.file, source.span());
        let Some(text) = source.expression.as_str() else {
            self.inventory.problem(
                ProblemKind::NotChecked,
                Some(file),
                span,
                format!("the source of `module.{}` is not a literal string, so its resources are not checked", call.name),
                "not a literal",
                "write the module's source as a literal string, or check a plan JSON",
            );
            return;
        };
        let local = text.starts_with("./") || text.starts_with("../");
        // A registry or git module is read where `terraform init` installed it,
        // relative to the root module.
        let (base, base_shown, relative) = if local {
            (
                instance.module.dir.clone(),
                instance.module.shown.clone(),
                text.to_owned(),
            )
        } else {
            let mut names = vec![call.name.clone()];
            let mut root = instance.as_ref();
            while let Some((caller, index)) = &root.caller {
                names.push(caller.module.calls[*index].name.clone());
                root = caller;
            }
            names.reverse();
            let (root_dir, root_shown) = (root.module.dir.clone(), root.module.shown.clone());
            match self.installed_dir(&root_dir, &names.join(".")) {
                Ok(dir) => (root_dir, root_shown, dir),
                Err(why) => {
                    self.inventory.problem(
                        ProblemKind::NotChecked,
                        Some(file),
                        span,
                        format!("`module.{}` comes from `{text}`, which is not installed ({why}): its resources are not checked; run terraform init, or give a plan", call.name),
                        "not installed",
                        "run `terraform init` so `.terraform/modules/` holds it, or check a plan JSON, which holds the resources of every module: `terraform show -json plan.out > plan.json`",
                    );
                    return;
                }
            }
        };
        let invalid = |reader: &mut Self, message: String| {
            reader.inventory.problem(
                ProblemKind::Invalid,
                Some(file),
                span.clone(),
                message,
                "not followed",
                "local modules must lie inside the repository, in a folder of `.tf` files",
            );
        };
        if instance.depth + 1 > MAX_MODULE_DEPTH {
            invalid(
                self,
                format!(
                    "`module.{}` is nested more than {MAX_MODULE_DEPTH} modules deep; it is not followed",
                    call.name
                ),
            );
            return;
        }
        if self.instances >= MAX_INSTANCES {
            invalid(
                self,
                format!(
                    "more than {MAX_INSTANCES} module instances; `module.{}` is not followed",
                    call.name
                ),
            );
            return;
        }
        let target = lexical_inside(self.root, &base.join(&relative))
            .ok_or_else(|| {
                if local {
                    "leads outside the repository".to_owned()
                } else {
                    format!("is installed in `{relative}`, outside the repository")
                }
            })
            .and_then(|path| confine(self.root, &path));
        let target = match target {
            Ok(target) if target.is_dir() => target,
            Ok(_) => {
                invalid(
                    self,
                    format!(
                        "the source `{text}` of `module.{}` is not a folder",
                        call.name
                    ),
                );
                return;
            }
            Err(why) => {
                invalid(
                    self,
                    format!(
                        "the source `{text}` of `module.{}` {why}; it is not read",
                        call.name
                    ),
                );
                return;
            }
        };
        let mut ancestor = Some(instance.clone());
        while let Some(current) = ancestor {
            if current.module.dir == target {
                invalid(
                    self,
                    format!(
                        "`module.{}` calls `{}`, which is already being read: modules that call each other never end",
                        call.name, current.module.shown
                    ),
                );
                return;
            }
            ancestor = current.caller.as_ref().map(|(caller, _)| caller.clone());
        }
        let shown = shown_join(&base_shown, &relative);
        // The module in `target` (confined), parsed once however often it is called.
        let parsed = match self.parsed.get(&target) {
            Some(known) => Ok(known.clone()),
            None => OpenFolder::open(&target)
                .map_err(|error| error.to_string())
                .and_then(|folder| self.parse_open_folder(folder, &shown, false)),
        };
        match parsed {
            Ok(child)
                if self.resource_instances + child.resources.len() > MAX_RESOURCE_INSTANCES =>
            {
                invalid(
                    self,
                    format!(
                        "following `module.{}` would take more than {MAX_RESOURCE_INSTANCES} resources from module instances; it is not followed",
                        call.name
                    ),
                );
            }
            Ok(child) => {
                for (suffix, binding) in expanded.keys {
                    if self.instances >= MAX_INSTANCES {
                        invalid(
                            self,
                            format!(
                                "more than {MAX_INSTANCES} module instances; the rest of `module.{}` is not followed",
                                call.name
                            ),
                        );
                        break;
                    }
                    let given = call
                        .inputs
                        .iter()
                        .map(|(name, written)| {
                            let value = self.evaluate(instance, &binding, written);
                            (name.clone(), value)
                        })
                        .collect();
                    let prefix = format!("{}module.{}{suffix}.", instance.prefix, call.name);
                    let unsure = expanded.unsure.clone().or_else(|| instance.unsure.clone());
                    self.instantiate(Instance::new(
                        child.clone(),
                        prefix,
                        Some((instance.clone(), index)),
                        given,
                        unsure,
                        instance.workspace.clone(),
                    ));
                }
            }
            Err(why) => invalid(
                self,
                format!(
                    "the source `{text}` of `module.{}` cannot be read: {why}",
                    call.name
                ),
            ),
        }
    }
}

/// The scope of a var file: values only, no references or function calls (Terraform
/// refuses them).
struct NoReferences;

impl Scope for NoReferences {
    fn calls_functions(&self) -> bool {
        false
    }

    fn reference(
        &mut self,
        _root: &str,
        _steps: &[Step],
        shown: &str,
    ) -> Result<(Value, usize), Fail> {
        Err(Fail(format!(
            "`{shown}`: a var file holds values only, no references"
        )))
    }

    fn workspace(&self) -> String {
        "default".to_owned()
    }
}

/// A `--var NAME=VALUE` value: a list or map written in HCL when it looks like one,
/// else the string as given (as Terraform takes a value for an untyped variable).
fn command_line_value(value: &str) -> Value {
    let trimmed = value.trim_start();
    if (trimmed.starts_with('[') || trimmed.starts_with('{'))
        && let Ok(expression) = hcl_edit::parser::parse_expr(value)
    {
        let mut scope = NoReferences;
        // No file holds it: places point nowhere.
        return strip_places(Evaluator::new(&mut scope, usize::MAX, 0, value).value(&expression));
    }
    Value::string(value)
}

fn strip_places(value: Value) -> Value {
    match value {
        Value::String(text, _) => Value::String(text, None),
        Value::List(items) => Value::List(items.into_iter().map(strip_places).collect()),
        Value::Set(items) => Value::Set(items.into_iter().map(strip_places).collect()),
        Value::Map(items) => Value::Map(
            items
                .into_iter()
                .map(|(key, value)| (key, strip_places(value)))
                .collect(),
        ),
        other => other,
    }
}

/// A JSON value of a var file as a Terraform value, strings placed in the file.
fn json_value(value: &crate::text::spanned_json::Value, file: usize) -> Value {
    use crate::text::spanned_json::Kind;
    match &value.kind {
        Kind::Null => Value::Null,
        Kind::Bool(flag) => Value::Bool(*flag),
        Kind::Number(number) => number.parse().map_or(Value::Null, Value::Number),
        Kind::String(text) => Value::String(
            text.clone(),
            Some(eval::Place {
                file,
                offset: value.span.start,
                end: value.span.end,
            }),
        ),
        Kind::Array(items) => {
            Value::List(items.iter().map(|item| json_value(item, file)).collect())
        }
        Kind::Object(members) => Value::Map(
            members
                .iter()
                .map(|(key, _, item)| (key.clone(), json_value(item, file)))
                .collect(),
        ),
    }
}

/// How a file's blocks join the module.
#[derive(Debug, Clone, Copy)]
enum Joining<'i> {
    /// An ordinary file: its blocks are the module's.
    Defines,
    /// An override file (`override.tf`, `*_override.tf`), read after the others: each
    /// block changes the same block of another file, argument by argument.
    Overrides(&'i BlockIndex),
}

/// Where the resources and module calls of a module's other files are, by name, for
/// its override files: looked up, not searched, so an override file of many blocks
/// over a module of many resources costs what the two hold, not their product.
#[derive(Debug, Default)]
struct BlockIndex {
    resources: HashMap<(String, String), usize>,
    calls: HashMap<String, usize>,
}

impl BlockIndex {
    fn of(module: &ParsedModule) -> Self {
        let mut index = Self::default();
        for (at, block) in module.resources.iter().enumerate() {
            index
                .resources
                .entry((block.resource_type.clone(), block.name.clone()))
                .or_insert(at);
        }
        for (at, call) in module.calls.iter().enumerate() {
            index.calls.entry(call.name.clone()).or_insert(at);
        }
        index
    }
}

/// Whether Terraform reads the file `name` as an override file.
fn is_override_file(name: &str) -> bool {
    stem_of(name).is_some_and(|stem| stem == "override" || stem.ends_with("_override"))
}

/// The name without its extension, when it is a configuration file (`.tf`,
/// `.tf.json`, and OpenTofu's `.tofu`, `.tofu.json`).
fn stem_of(name: &str) -> Option<&str> {
    [".tf", ".tf.json", ".tofu", ".tofu.json"]
        .iter()
        .find_map(|extension| name.strip_suffix(extension))
        .filter(|stem| !stem.is_empty())
}

/// Where a root module's own var file comes in Terraform's order: `terraform.tfvars`,
/// `terraform.tfvars.json`, then `*.auto.tfvars` and `*.auto.tfvars.json` by name.
fn var_file_rank(name: &str) -> Option<u8> {
    match name {
        "terraform.tfvars" => Some(0),
        "terraform.tfvars.json" => Some(1),
        _ if name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json") => Some(2),
        _ => None,
    }
}

/// A block as the module needs it, from either syntax: its type, labels, header span
/// and top-level arguments (nested blocks are dropped).
struct PlainBlock {
    ident: String,
    labels: Vec<String>,
    header: Range<usize>,
    /// Each argument's name and value, whose spans count from the offset between.
    attributes: Vec<(String, usize, Expression)>,
    /// The block's span, when it has arguments evaluation does not need (left
    /// unparsed, to be parsed again when referred to).
    unparsed: Option<Range<usize>>,
}

/// A top-level block of a file in the native syntax.
fn native_block(item: Item, catalog: &TerraformCatalog) -> Option<PlainBlock> {
    let Item::Block {
        ident,
        labels,
        header,
        whole,
        body,
    } = item
    else {
        return None;
    };
    // A provider's `endpoints { s3 = ... }` (and the `terraform` block's
    // `required_providers`) is read as an object, as the JSON syntax writes it (a
    // provider's attributes' spans count from one place); a `dynamic "endpoints"` as
    // the list of objects it makes.
    let nested = ident == "provider" || ident == "terraform";
    let arguments = body.into_iter().filter_map(|item| match item {
        Item::Attribute { key, at, value } => Some((key, at, value)),
        Item::Block {
            ident,
            labels,
            body,
            ..
        } if nested && ident == "dynamic" => dynamic_block(labels.into_iter().next()?, body),
        Item::Block { ident, body, .. } if nested => {
            let (from, object) = nested_object(body);
            Some((ident, from, Expression::Object(object)))
        }
        Item::Block { .. } => None,
    });
    Some(plain_block(
        catalog,
        ident,
        labels,
        (header, whole),
        arguments,
    ))
}

/// A nested block's attributes as an object, and the offset their spans count from.
fn nested_object(body: Vec<Item>) -> (usize, hcl_edit::expr::Object) {
    let mut object = hcl_edit::expr::Object::new();
    let mut from = 0;
    for item in body {
        if let Item::Attribute { key, at, value } = item {
            object.insert(hcl_edit::Ident::new_sanitized(key), value);
            from = at;
        }
    }
    (from, object)
}

/// `dynamic "name" { for_each = X, iterator = it, content { ... } }` as the expression
/// of the blocks it makes: `[for it in [for k, v in X : { key = k, value = v }] :
/// { ... }]`, so `it.key` and `it.value` mean what they mean in the block.
fn dynamic_block(name: String, body: Vec<Item>) -> Option<(String, usize, Expression)> {
    use hcl_edit::expr::{ForExpr, ForIntro, Object};
    use hcl_edit::{Decorated, Ident};
    let (mut for_each, mut iterator, mut content) = (None, name.clone(), None);
    for item in body {
        match item {
            Item::Attribute { key, value, .. } if key == "for_each" => for_each = Some(value),
            Item::Attribute { key, value, .. } if key == "iterator" => {
                iterator = value.as_variable()?.as_str().to_owned();
            }
            Item::Block { ident, body, .. } if ident == "content" => {
                content = Some(nested_object(body))
            }
            _ => {}
        }
    }
    let (from, content) = content?;
    let variable = |name: &str| Expression::Variable(Decorated::new(Ident::new_sanitized(name)));
    let mut pair = Object::new();
    pair.insert(Ident::new_sanitized("key"), variable("k"));
    pair.insert(Ident::new_sanitized("value"), variable("v"));
    let mut pairs = ForIntro::new(Decorated::new(Ident::new_sanitized("v")), for_each?);
    pairs.key_var = Some(Decorated::new(Ident::new_sanitized("k")));
    let pairs = Expression::ForExpr(Box::new(ForExpr::new(pairs, pair)));
    let intro = ForIntro::new(Decorated::new(Ident::new_sanitized(iterator)), pairs);
    let blocks = ForExpr::new(intro, content);
    Some((name, from, Expression::ForExpr(Box::new(blocks))))
}

/// Whether evaluating a block needs its argument `key`: all but a `data` block's and,
/// of a resource's, only its meta-arguments and those the catalog reads of its type.
/// The others keep only their block's span, to be parsed again when another block
/// refers to one.
fn needed(catalog: &TerraformCatalog, ident: &str, labels: &[String], key: &str) -> bool {
    match ident {
        "data" => false,
        "resource" => {
            matches!(key, "count" | "for_each" | "provider")
                || labels
                    .first()
                    .and_then(|resource_type| catalog.mapping(resource_type))
                    .is_some_and(|mapping| mapping.attributes().any(|name| name == key))
        }
        _ => true,
    }
}

/// A block of either syntax with the arguments evaluating it needs parsed.
fn plain_block(
    catalog: &TerraformCatalog,
    ident: String,
    labels: Vec<String>,
    (header, whole): (Range<usize>, Range<usize>),
    arguments: impl Iterator<Item = (String, usize, Expression)>,
) -> PlainBlock {
    let mut block = PlainBlock {
        ident,
        labels,
        header,
        attributes: Vec::new(),
        unparsed: None,
    };
    for (key, at, value) in arguments {
        if needed(catalog, &block.ident, &block.labels, &key) {
            block.attributes.push((key, at, value));
        } else {
            block.unparsed = Some(whole.clone());
        }
    }
    block
}

/// A string written literally (`"sos"`), without interpolations.
fn literal_text(expression: &Expression) -> Option<String> {
    match expression {
        Expression::String(text) => Some(text.value().clone()),
        Expression::StringTemplate(template) => {
            let mut text = String::new();
            for element in template.iter() {
                text.push_str(element.as_literal()?.value());
            }
            Some(text)
        }
        _ => None,
    }
}

/// The blocks of one parsed file that matter, moved into `module` (the rest of the
/// syntax tree is dropped): a file's expressions are kept, never copied. An override
/// file's blocks change those already there; each block it names that no other file
/// defines is returned (its header and what it is), as Terraform refuses it.
fn collect(
    blocks: Vec<PlainBlock>,
    file: usize,
    joining: Joining<'_>,
    module: &mut ParsedModule,
) -> Vec<(Range<usize>, String)> {
    let index = match joining {
        Joining::Defines => None,
        Joining::Overrides(index) => Some(index),
    };
    let overrides = index.is_some();
    let mut orphans = Vec::new();
    for block in blocks {
        let PlainBlock {
            ident,
            labels,
            header,
            attributes: body,
            unparsed,
        } = block;
        let written = |(key, at, expression)| {
            (
                key,
                Written {
                    file,
                    at,
                    expression,
                },
            )
        };
        let unparsed: Vec<(usize, Range<usize>)> =
            unparsed.into_iter().map(|span| (file, span)).collect();
        let block = |kind: &str, name, attributes, unparsed| ResourceBlock {
            file,
            resource_type: kind.to_owned(),
            name,
            header: header.clone(),
            attributes,
            unparsed,
            reparsed: std::cell::OnceCell::new(),
        };
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        match (ident.as_str(), labels.as_slice()) {
            ("data", [data_type, name]) if !overrides => {
                module
                    .data
                    .push(block(data_type, name.to_string(), Vec::new(), unparsed));
            }
            ("provider", [name]) if !overrides => {
                let alias = body
                    .iter()
                    .rev()
                    .find(|(key, ..)| key == "alias")
                    .and_then(|(_, _, value)| literal_text(value))
                    .unwrap_or_default();
                let attributes = body.into_iter().map(written).collect();
                module
                    .providers
                    .push(block(name, alias, attributes, Vec::new()));
            }
            ("resource", [resource_type, name]) => {
                let attributes: Vec<(String, Written)> = body.into_iter().map(written).collect();
                let Some(index) = index else {
                    let name = name.to_string();
                    module
                        .resources
                        .push(block(resource_type, name, attributes, unparsed));
                    continue;
                };
                let key = ((*resource_type).to_owned(), (*name).to_owned());
                let base = index
                    .resources
                    .get(&key)
                    .and_then(|at| module.resources.get_mut(*at));
                match base {
                    Some(base) => base.set(attributes, unparsed),
                    None => {
                        orphans.push((header, format!("resource \"{resource_type}\" \"{name}\"")))
                    }
                }
            }
            ("variable", [name]) => {
                let mut variable = Variable {
                    default: None,
                    constraint: None,
                    not_nullable: None,
                };
                for (key, value) in body.into_iter().map(written) {
                    match key.as_str() {
                        "default" => variable.default = Some(value),
                        "type" => variable.constraint = Some(value),
                        "nullable" => {
                            let flag = value.expression.as_bool();
                            variable.not_nullable = flag.map(|nullable| !nullable);
                        }
                        _ => {}
                    }
                }
                match module.variables.get_mut(*name) {
                    Some(base) if overrides => {
                        base.default = variable.default.or(base.default.take());
                        base.constraint = variable.constraint.or(base.constraint.take());
                        base.not_nullable = variable.not_nullable.or(base.not_nullable);
                    }
                    None if overrides => orphans.push((header, format!("variable \"{name}\""))),
                    _ => {
                        module.variables.insert((*name).to_owned(), variable);
                    }
                }
            }
            ("locals", []) => {
                for (key, value) in body.into_iter().map(written) {
                    if overrides && !module.locals.contains_key(&key) {
                        orphans.push((header.clone(), format!("local value `{key}`")));
                        continue;
                    }
                    module.locals.insert(key, value);
                }
            }
            ("module", [name]) => {
                let mut source = None;
                let mut inputs = HashMap::default();
                let mut expansion = Vec::new();
                for (key, value) in body.into_iter().map(written) {
                    if key == "source" {
                        source = Some(value);
                    } else if key == "count" || key == "for_each" || key == "providers" {
                        expansion.push((key, value));
                    } else if !MODULE_META_ARGUMENTS.contains(&key.as_str()) {
                        inputs.insert(key, value);
                    }
                }
                let Some(index) = index else {
                    module.calls.push(ModuleCall {
                        file,
                        name: (*name).to_owned(),
                        header,
                        source,
                        inputs,
                        expansion,
                    });
                    continue;
                };
                let base = index
                    .calls
                    .get(*name)
                    .and_then(|at| module.calls.get_mut(*at));
                match base {
                    Some(base) => {
                        if source.is_some() {
                            base.source = source;
                        }
                        base.inputs.extend(inputs);
                        for (key, value) in expansion {
                            base.expansion.retain(|(known, _)| *known != key);
                            base.expansion.push((key, value));
                        }
                    }
                    None => orphans.push((header, format!("module \"{name}\""))),
                }
            }
            ("terraform", []) => {
                let required = body.iter().filter(|(key, ..)| key == "required_providers");
                for (_, _, value) in required {
                    let Expression::Object(object) = value else {
                        continue;
                    };
                    for (name, value) in object.iter() {
                        let source = (value.expr().as_object())
                            .and_then(|object| {
                                object
                                    .iter()
                                    .find(|(key, _)| object_key(key) == Some("source"))
                            })
                            .and_then(|(_, source)| literal_text(source.expr()));
                        if let (Some(name), Some(source)) = (object_key(name), source) {
                            module.provider_sources.insert(name.to_owned(), source);
                        }
                    }
                }
            }
            // Data sources, outputs and other settings create nothing.
            _ => {}
        }
    }
    orphans
}

/// Whether `text` parses as HCL (for tests and tools that check fixtures).
pub fn parses(text: &str) -> Result<(), String> {
    syntax::parse(text, |_| None::<()>)
        .map(|_| ())
        .map_err(|error| error.to_string())
}
