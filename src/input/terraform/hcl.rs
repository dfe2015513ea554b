//! `.tf` files: a module folder parsed with hcl-edit (spans on every block, attribute
//! and expression), its local child modules followed, and the attributes the catalog
//! asks about resolved the way a reader of the code would: a literal; `var.x` through
//! the calling module's input or the variable's literal default; `local.x`; another
//! resource's attribute in the same module (`exoscale_sks_cluster.main.zone`). Anything
//! else is named as unresolved, with what stood in the way.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use foldhash::HashMap;
use hcl_edit::Span;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::Element;

use super::{
    Attribute, Inventory, ProblemKind, Resource, SetAt, SourceKind, confine, decode_source,
    lexical_inside, read_file, shown_join,
};
use crate::data::terraform::TerraformCatalog;
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
/// References followed for one value (`local.a` → `local.b` → ...); more is a cycle.
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

/// One folder's blocks, with what resolution needs of them.
#[derive(Debug, Default)]
struct ParsedModule {
    /// The canonical folder.
    dir: PathBuf,
    shown: String,
    variables: HashMap<String, Variable>,
    locals: HashMap<String, (usize, Expression)>,
    resources: Vec<ResourceBlock>,
    calls: Vec<ModuleCall>,
}

/// An expression and the file it is written in: an override file can set a value of a
/// block defined in another.
type Written = (usize, Expression);

#[derive(Debug)]
struct Variable {
    default: Option<Written>,
}

#[derive(Debug)]
struct ResourceBlock {
    file: usize,
    resource_type: String,
    name: String,
    header: Range<usize>,
    /// Only the attributes the catalog asks about: one or two, so a list.
    attributes: Vec<(String, Written)>,
}

impl ResourceBlock {
    /// The value of `name`; written twice (which Terraform refuses), the last.
    fn attribute(&self, name: &str) -> Option<&Written> {
        self.attributes
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// Sets `name`, replacing the value it had: how an override file changes it.
    fn set(&mut self, name: String, value: Written) {
        self.attributes.retain(|(key, _)| *key != name);
        self.attributes.push((name, value));
    }
}

#[derive(Debug)]
struct ModuleCall {
    file: usize,
    name: String,
    header: Range<usize>,
    source: Option<Written>,
    inputs: HashMap<String, Written>,
}

/// One use of a module: the root, or a `module` block's call of a child.
struct Instance {
    module: Rc<ParsedModule>,
    /// `module.a.module.b.`; empty for the root.
    prefix: String,
    /// The instance whose module calls this one, and the index of the call.
    caller: Option<(Rc<Instance>, usize)>,
    depth: usize,
}

struct Reader<'a> {
    root: &'a Path,
    catalog: &'a TerraformCatalog,
    /// The only attributes of a resource block worth keeping (`zone`, `type`).
    wanted: &'a BTreeSet<String>,
    inventory: Inventory,
    parsed: HashMap<PathBuf, Rc<ParsedModule>>,
    instances: usize,
    /// Resource blocks taken from every instance so far.
    resource_instances: usize,
}

/// A folder read as a root module: the folder held open, or why it could not be opened.
pub(super) fn read_root_module(
    folder: Result<OpenFolder, String>,
    shown: &str,
    root: &Path,
    catalog: &TerraformCatalog,
) -> Inventory {
    let mut reader = Reader::new(shown, root, catalog);
    match folder.and_then(|folder| reader.parse_open_folder(folder, shown)) {
        Ok(module) => {
            if module_is_empty(&reader.inventory) {
                reader.inventory.problem(
                    ProblemKind::Invalid,
                    None,
                    0..0,
                    format!("`{shown}` holds no `.tf` file"),
                    "no Terraform here",
                    "name the folder of the root module (where `terraform plan` runs), or a plan JSON",
                );
            }
            reader.instantiate(module, String::new(), None, 0);
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
    reader.instantiate(Rc::new(module), String::new(), None, 0);
    reader.inventory
}

fn module_is_empty(inventory: &Inventory) -> bool {
    inventory.files.is_empty()
}

/// `resource "type" "name"`: from the block's keyword to the end of its last label.
fn header_span(block: &Block) -> Range<usize> {
    let start = block.ident.span().map_or(0, |span| span.start);
    let end = block
        .labels
        .last()
        .and_then(|label| label.span())
        .or_else(|| block.ident.span())
        .map_or(start, |span| span.end);
    start..end
}

fn span_of(expression: &Expression) -> Range<usize> {
    expression.span().unwrap_or(0..0)
}

impl<'a> Reader<'a> {
    fn new(shown: &str, root: &'a Path, catalog: &'a TerraformCatalog) -> Self {
        Self {
            root,
            catalog,
            wanted: catalog.attribute_names(),
            inventory: Inventory::new(shown, SourceKind::Module),
            parsed: HashMap::default(),
            instances: 0,
            resource_instances: 0,
        }
    }

    /// The module in `dir` (confined), parsed once however often it is called.
    fn parse_folder(&mut self, dir: &Path, shown: &str) -> Result<Rc<ParsedModule>, String> {
        if let Some(known) = self.parsed.get(dir) {
            return Ok(known.clone());
        }
        let folder = OpenFolder::open(dir).map_err(|error| error.to_string())?;
        self.parse_open_folder(folder, shown)
    }

    /// The module in the folder held open: listed and read through it.
    fn parse_open_folder(
        &mut self,
        mut folder: OpenFolder,
        shown: &str,
    ) -> Result<Rc<ParsedModule>, String> {
        let dir = folder.path().to_path_buf();
        let mut names = folder.entries().map_err(|error| error.to_string())?;
        // Terraform reads `.tf` files and skips hidden and editor backup files.
        names.retain(|(name, _)| {
            !(name.starts_with('.') || name.starts_with('#') || name.ends_with('~'))
                && (name.ends_with(".tf") || name.ends_with(".tf.json"))
        });
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
        let mut index: Option<BlockIndex> = None;
        for (name, listed) in names {
            let file_shown = shown_join(shown, &name);
            if name.ends_with(".tf.json") {
                let file = self.inventory.add_file(file_shown.clone(), String::new());
                self.inventory.problem(
                    ProblemKind::NotChecked,
                    Some(file),
                    0..0,
                    format!("`{file_shown}` is Terraform's JSON syntax, which srmlint does not read; its resources are not checked"),
                    "not read",
                    "check the plan instead: `terraform show -json plan.out > plan.json` and name plan.json in `terraform`",
                );
                continue;
            }
            let read = match listed {
                EntryKind::File => folder
                    .read_file(&name, MAX_FILE_BYTES)
                    .and_then(|bytes| decode_source(bytes, MAX_FILE_BYTES)),
                EntryKind::Link => confine(self.root, &dir.join(&name))
                    .and_then(|path| read_file(&path, MAX_FILE_BYTES)),
                EntryKind::Other => read_file(&dir.join(&name), MAX_FILE_BYTES),
            };
            let joining = if is_override_file(&name) {
                // The other files are all read by now (they sort first).
                Joining::Overrides(index.get_or_insert_with(|| BlockIndex::of(&module)))
            } else {
                Joining::Defines
            };
            self.parse_text(read, file_shown, joining, &mut module);
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
        match hcl_edit::parser::parse_body(source.text()) {
            Ok(body) => {
                for (header, block) in collect(body, file, joining, module, self.wanted) {
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
            Err(error) => {
                let offset = error.location().offset().min(source.text().len());
                let end = source.text()[offset..]
                    .chars()
                    .next()
                    .map_or(offset, |c| offset + c.len_utf8());
                self.inventory.problem(
                    ProblemKind::Invalid,
                    Some(file),
                    offset..end,
                    format!("`{shown}` is not valid HCL: {}", error.message()),
                    "here",
                    "fix the syntax (`terraform validate` says the same); the file is not checked until it parses",
                );
            }
        }
    }

    /// Walks one use of `module`: its resources, then the modules it calls.
    fn instantiate(
        &mut self,
        module: Rc<ParsedModule>,
        prefix: String,
        caller: Option<(Rc<Instance>, usize)>,
        depth: usize,
    ) {
        self.instances += 1;
        self.resource_instances += module.resources.len();
        let instance = Rc::new(Instance {
            module,
            prefix,
            caller,
            depth,
        });
        for block in &instance.module.resources {
            let resource = self.resource(&instance, block);
            if let Some(resource) = resource {
                self.inventory.resources.push(resource);
            }
        }
        for (index, call) in instance.module.calls.iter().enumerate() {
            self.follow(&instance, index, call);
        }
    }

    /// A resource the catalog knows (or one with the provider's prefix) with its
    /// attributes resolved; other providers' resources are left out.
    fn resource(&self, instance: &Rc<Instance>, block: &ResourceBlock) -> Option<Resource> {
        let mapping = self.catalog.mapping(&block.resource_type);
        if mapping.is_none() && !self.catalog.is_provider_type(&block.resource_type) {
            return None;
        }
        let mut attributes = Vec::new();
        let mut attributes_elsewhere = Vec::new();
        for name in mapping.into_iter().flat_map(|mapping| mapping.attributes()) {
            let attribute = match block.attribute(name) {
                None => Attribute::Missing,
                Some((file, expression)) => {
                    if *file != block.file {
                        attributes_elsewhere.push((name.to_owned(), *file));
                    }
                    self.resolve_attribute(instance, *file, expression)
                }
            };
            attributes.push((name.to_owned(), attribute));
        }
        Some(Resource {
            file: block.file,
            address: [
                instance.prefix.as_str(),
                &block.resource_type,
                ".",
                &block.name,
            ]
            .concat(),
            resource_type: block.resource_type.clone(),
            header: block.header.clone(),
            attributes,
            attributes_elsewhere,
        })
    }

    fn resolve_attribute(
        &self,
        instance: &Rc<Instance>,
        file: usize,
        expression: &Expression,
    ) -> Attribute {
        let span = span_of(expression);
        let mut trail = Vec::new();
        match self.resolve(instance, file, expression, 0, &mut trail) {
            Ok((value, at_file, at)) => Attribute::Value {
                value,
                span,
                from: (!trail.is_empty()).then_some(SetAt {
                    trail,
                    file: at_file,
                    offset: at.start,
                }),
            },
            Err(why) => Attribute::Unresolved { span, why },
        }
    }

    /// The string `expression` (in `file` of `instance`'s module) stands for, with the
    /// file and span of the literal it came from; or why it cannot be known.
    fn resolve(
        &self,
        instance: &Rc<Instance>,
        file: usize,
        expression: &Expression,
        depth: usize,
        trail: &mut Vec<String>,
    ) -> Result<(String, usize, Range<usize>), String> {
        if depth > MAX_REFERENCE_DEPTH {
            return Err("its references go round in a cycle".to_owned());
        }
        let snippet = || self.snippet(file, expression);
        match expression {
            Expression::String(text) => Ok((text.value().clone(), file, span_of(expression))),
            Expression::Parenthesis(inner) => {
                self.resolve(instance, file, inner.inner(), depth + 1, trail)
            }
            Expression::StringTemplate(template) => {
                let elements: Vec<&Element> = template.iter().collect();
                match elements.as_slice() {
                    [Element::Interpolation(interpolation)] => {
                        self.resolve(instance, file, &interpolation.expr, depth + 1, trail)
                    }
                    _ if elements
                        .iter()
                        .all(|element| matches!(element, Element::Literal(_))) =>
                    {
                        let text: String = elements
                            .iter()
                            .filter_map(|element| match element {
                                Element::Literal(literal) => Some(literal.value().as_str()),
                                _ => None,
                            })
                            .collect();
                        Ok((text, file, span_of(expression)))
                    }
                    _ => Err(format!(
                        "`{}` is a string template built from other values",
                        snippet()
                    )),
                }
            }
            Expression::Traversal(traversal) => {
                let Expression::Variable(root) = &traversal.expr else {
                    return Err(format!("`{}` is computed when Terraform runs", snippet()));
                };
                let path: Option<Vec<&str>> = traversal
                    .operators
                    .iter()
                    .map(|operator| match operator.value() {
                        TraversalOperator::GetAttr(name) => Some(name.as_str()),
                        _ => None,
                    })
                    .collect();
                self.resolve_reference(
                    instance,
                    file,
                    expression,
                    root.as_str(),
                    path,
                    depth,
                    trail,
                )
            }
            Expression::Null(_) => Err("it is `null`".to_owned()),
            Expression::Bool(_) | Expression::Number(_) => {
                Err(format!("`{}` is not a string", snippet()))
            }
            Expression::FuncCall(_) => Err(format!(
                "`{}` is a function call, evaluated when Terraform runs",
                snippet()
            )),
            Expression::Conditional(_) => Err(format!(
                "`{}` is a conditional, evaluated when Terraform runs",
                snippet()
            )),
            Expression::HeredocTemplate(_) => Err("it is a heredoc template".to_owned()),
            _ => Err(format!("`{}` is computed when Terraform runs", snippet())),
        }
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "the resolver's state; a struct would only rename it"
    )]
    fn resolve_reference(
        &self,
        instance: &Rc<Instance>,
        file: usize,
        expression: &Expression,
        root: &str,
        path: Option<Vec<&str>>,
        depth: usize,
        trail: &mut Vec<String>,
    ) -> Result<(String, usize, Range<usize>), String> {
        let snippet = self.snippet(file, expression);
        let module = &instance.module;
        match (root, path.as_deref()) {
            ("var", Some([name])) => {
                trail.push(format!("`var.{name}`"));
                if let Some((caller, index)) = &instance.caller {
                    let call = &caller.module.calls[*index];
                    if let Some((input_file, input)) = call.inputs.get(*name) {
                        trail.push(format!("input `{name}` of `module.{}`", call.name));
                        return self.resolve(caller, *input_file, input, depth + 1, trail);
                    }
                }
                let Some(variable) = module.variables.get(*name) else {
                    return Err(format!(
                        "`var.{name}` is not declared in `{}`",
                        module.shown
                    ));
                };
                match &variable.default {
                    Some((default_file, default)) => {
                        self.resolve(instance, *default_file, default, depth + 1, trail)
                    }
                    None if instance.caller.is_some() => Err(format!(
                        "`var.{name}` has no default and the module call does not set it"
                    )),
                    None => Err(format!(
                        "`var.{name}` has no default (its value comes from `-var`, a `.tfvars` file or the environment)"
                    )),
                }
            }
            ("local", Some([name])) => {
                trail.push(format!("`local.{name}`"));
                let Some((local_file, value)) = module.locals.get(*name) else {
                    return Err(format!(
                        "`local.{name}` is not defined in `{}`",
                        module.shown
                    ));
                };
                self.resolve(instance, *local_file, value, depth + 1, trail)
            }
            ("var" | "local", _) => Err(format!(
                "`{snippet}` is an element of a value, computed when Terraform runs"
            )),
            ("count" | "each", _) => Err(format!(
                "`{snippet}` differs per instance; a plan JSON has each instance's value"
            )),
            ("module", _) => Err(format!("`{snippet}` is a module output")),
            ("data", _) => Err(format!(
                "`{snippet}` is read from a data source when Terraform runs"
            )),
            ("path" | "terraform" | "self", _) => {
                Err(format!("`{snippet}` is known only when Terraform runs"))
            }
            (resource_type, Some([name, attribute])) => {
                let Some(target) = module
                    .resources
                    .iter()
                    .find(|block| block.resource_type == resource_type && block.name == *name)
                else {
                    return Err(format!(
                        "`{snippet}` refers to a resource that `{}` does not define",
                        module.shown
                    ));
                };
                if !self.wanted.contains(*attribute) {
                    let followed: Vec<String> =
                        self.wanted.iter().map(|name| format!("`{name}`")).collect();
                    return Err(format!(
                        "`{snippet}`: srmlint follows references to another resource's {} only",
                        followed.join(" or ")
                    ));
                }
                let Some((value_file, value)) = target.attribute(attribute) else {
                    return Err(format!(
                        "`{snippet}`: `{resource_type}.{name}` does not set `{attribute}`"
                    ));
                };
                trail.push(format!("`{snippet}`"));
                self.resolve(instance, *value_file, value, depth + 1, trail)
            }
            _ => Err(format!("`{snippet}` is computed when Terraform runs")),
        }
    }

    /// The source text of an expression for messages, shortened to one line.
    fn snippet(&self, file: usize, expression: &Expression) -> String {
        let text = self.inventory.files[file].source.text();
        let written = text.get(span_of(expression)).unwrap_or("");
        let line = written.lines().next().unwrap_or("");
        if line.chars().count() > 60 || line.len() < written.trim_end().len() {
            let short: String = line.chars().take(60).collect();
            format!("{short}…")
        } else {
            line.to_owned()
        }
    }

    /// Follows a `module` block to its local source, or says why not.
    fn follow(&mut self, instance: &Rc<Instance>, index: usize, call: &ModuleCall) {
        let Some((source_file, source)) = &call.source else {
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
        let file = *source_file;
        let span = span_of(source);
        let Some(text) = source.as_str() else {
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
        if !(text.starts_with("./") || text.starts_with("../")) {
            self.inventory.problem(
                ProblemKind::NotChecked,
                Some(file),
                span,
                format!("`module.{}` comes from `{text}`, which srmlint does not fetch; its resources are not checked", call.name),
                "not a local module",
                "check a plan JSON, which holds the resources of every module: `terraform show -json plan.out > plan.json`",
            );
            return;
        }
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
        let target = lexical_inside(self.root, &instance.module.dir.join(text))
            .ok_or_else(|| "leads outside the repository".to_owned())
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
        let shown = shown_join(&instance.module.shown, text);
        match self.parse_folder(&target, &shown) {
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
                let prefix = format!("{}module.{}.", instance.prefix, call.name);
                self.instantiate(
                    child,
                    prefix,
                    Some((instance.clone(), index)),
                    instance.depth + 1,
                );
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
    name == "override.tf" || name.ends_with("_override.tf")
}

/// The blocks of one parsed file that matter, moved into `module` (the rest of the
/// syntax tree is dropped): a file's expressions are kept, never copied. An override
/// file's blocks change those already there; each block it names that no other file
/// defines is returned (its header and what it is), as Terraform refuses it.
fn collect(
    body: Body,
    file: usize,
    joining: Joining<'_>,
    module: &mut ParsedModule,
    wanted: &BTreeSet<String>,
) -> Vec<(Range<usize>, String)> {
    let index = match joining {
        Joining::Defines => None,
        Joining::Overrides(index) => Some(index),
    };
    let overrides = index.is_some();
    let mut orphans = Vec::new();
    for block in body.into_blocks() {
        let header = header_span(&block);
        let Block {
            ident,
            labels,
            body,
            ..
        } = block;
        let labels: Vec<&str> = labels.iter().map(|label| label.as_str()).collect();
        match (ident.as_str(), labels.as_slice()) {
            ("resource", [resource_type, name]) => {
                let attributes = body
                    .into_attributes()
                    .filter(|attribute| wanted.contains(attribute.key.as_str()))
                    .map(|attribute| (attribute.key.as_str().to_owned(), (file, attribute.value)));
                let Some(index) = index else {
                    module.resources.push(ResourceBlock {
                        file,
                        resource_type: (*resource_type).to_owned(),
                        name: (*name).to_owned(),
                        header,
                        attributes: attributes.collect(),
                    });
                    continue;
                };
                let key = ((*resource_type).to_owned(), (*name).to_owned());
                let base = index
                    .resources
                    .get(&key)
                    .and_then(|at| module.resources.get_mut(*at));
                match base {
                    Some(base) => attributes.for_each(|(key, value)| base.set(key, value)),
                    None => {
                        orphans.push((header, format!("resource \"{resource_type}\" \"{name}\"")))
                    }
                }
            }
            ("variable", [name]) => {
                let default = body
                    .into_attributes()
                    .filter(|attribute| attribute.key.as_str() == "default")
                    .last()
                    .map(|attribute| (file, attribute.value));
                match module.variables.get_mut(*name) {
                    Some(base) if overrides => {
                        if default.is_some() {
                            base.default = default;
                        }
                    }
                    None if overrides => orphans.push((header, format!("variable \"{name}\""))),
                    _ => {
                        module
                            .variables
                            .insert((*name).to_owned(), Variable { default });
                    }
                }
            }
            ("locals", []) => {
                for attribute in body.into_attributes() {
                    let key = attribute.key.as_str();
                    if overrides && !module.locals.contains_key(key) {
                        orphans.push((header.clone(), format!("local value `{key}`")));
                        continue;
                    }
                    module
                        .locals
                        .insert(key.to_owned(), (file, attribute.value));
                }
            }
            ("module", [name]) => {
                let mut source = None;
                let mut inputs = HashMap::default();
                for attribute in body.into_attributes() {
                    let key = attribute.key.as_str();
                    if key == "source" {
                        source = Some((file, attribute.value));
                    } else if !MODULE_META_ARGUMENTS.contains(&key) {
                        inputs.insert(key.to_owned(), (file, attribute.value));
                    }
                }
                let Some(index) = index else {
                    module.calls.push(ModuleCall {
                        file,
                        name: (*name).to_owned(),
                        header,
                        source,
                        inputs,
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
                    }
                    None => orphans.push((header, format!("module \"{name}\""))),
                }
            }
            // Data sources, providers, outputs and settings create nothing.
            _ => {}
        }
    }
    orphans
}

/// Whether `text` parses as HCL (for tests and tools that check fixtures).
pub fn parses(text: &str) -> Result<(), String> {
    hcl_edit::parser::parse_body(text)
        .map(|_| ())
        .map_err(|error| error.to_string())
}
