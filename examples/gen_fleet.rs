//! Writes a fleet of realistic controls files for the benchmark (`bench/run.sh`): a
//! monorepo where every service keeps its own `controls.toml`, about 30% of them with
//! the mistakes srmlint's ownership and deployment rules catch.
//!
//! `cargo run --release --example gen_fleet -- OUT_DIR N [--seed S] [--terraform]`
//!
//! With `--terraform`, every controls file gets a `terraform/` folder beside it with
//! about ten resources that create exactly its declared services in its declared
//! zones, and names it in `terraform = ["terraform"]`: the cost of the Terraform check
//! at fleet scale. With `--evaluated` instead, that folder is written as real modules
//! are (variables, `terraform.tfvars`, locals, `count`, `for_each`, a local module):
//! the cost of evaluating it. `gen_fleet --module OUT_DIR` writes one deployment whose
//! root module has 2,000 resources in 200 `.tf` files.
//!
//! The output depends only on N and the seed (a small PRNG of our own, so no crate and
//! no platform changes the fleet). Correct files are derived from the embedded matrix,
//! so they stay correct when the matrix changes; mistakes are then injected on purpose.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line helper owns its terminal"
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use srmlint::data::matrix::{Matrix, MatrixOwner};

/// The seed the benchmark uses unless told otherwise.
const DEFAULT_SEED: u64 = 2026;
/// Services per team folder.
const SERVICES_PER_TEAM: usize = 40;
/// Percent of files that get one to three mistakes.
const FAULTY_PERCENT: u64 = 30;

const TEAM_WORDS: &[&str] = &[
    "payments",
    "identity",
    "search",
    "growth",
    "platform",
    "data",
    "mobile",
    "risk",
    "ledger",
    "notify",
    "catalog",
    "checkout",
    "support",
    "media",
    "billing",
    "analytics",
];
const SERVICE_WORDS: &[&str] = &[
    "api",
    "worker",
    "gateway",
    "scheduler",
    "indexer",
    "exporter",
    "portal",
    "sync",
    "store",
    "router",
    "auth",
    "events",
    "reports",
    "cache",
    "ingest",
    "console",
];
const IMPLEMENTATIONS: &[&str] = &[
    "terraform module enforces it; drift checked nightly in CI",
    "runbook owned by the team, exercised every quarter",
    "configured in the platform baseline, reviewed at each release",
    "documented in the service design record; alerts page the on-call",
];
/// Each mistake a faulty file can carry, and the rule it should trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mistake {
    /// A required claim left out (SRM001).
    MissingClaim,
    /// A provider-only control claimed as the customer's (SRM002).
    ProviderControlClaimed,
    /// A customer control handed to the provider (SRM003).
    CustomerControlDelegated,
    /// `customer` where the matrix says `shared`, or the reverse (SRM004).
    WrongOwnerWord,
    /// A misspelt control id (SRM010).
    UnknownControl,
    /// A misspelt service id (SRM011).
    UnknownService,
    /// A misspelt zone id (SRM012).
    UnknownZone,
    /// A zone outside the declared residency (SRM013).
    ResidencyViolation,
}

const MISTAKES: &[Mistake] = &[
    Mistake::MissingClaim,
    Mistake::ProviderControlClaimed,
    Mistake::CustomerControlDelegated,
    Mistake::WrongOwnerWord,
    Mistake::UnknownControl,
    Mistake::UnknownService,
    Mistake::UnknownZone,
    Mistake::ResidencyViolation,
];

/// SplitMix64: tiny, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn percent(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One generated controls file, before it is written.
struct FleetFile {
    /// Relative to the fleet's root, `/`-separated.
    path: String,
    text: String,
    /// Evidence files the text cites, relative to the controls file's folder.
    evidence_files: Vec<String>,
    mistakes: Vec<Mistake>,
    services: Vec<String>,
    zones: Vec<String>,
}

/// What one controls file declares, before it is written out.
struct Plan {
    name: String,
    services: Vec<String>,
    zones: Vec<String>,
    residency: Option<String>,
    entries: Vec<PlannedEntry>,
    evidence_files: Vec<String>,
}

struct PlannedEntry {
    control: String,
    owner: String,
    /// A claim carries accountable, implementation, evidence and review date.
    claim: bool,
    /// Already changed by a mistake: left alone by the next, so each shows on its own.
    touched: bool,
}

/// Generates file number `index` of a fleet. Each file draws from its own stream, so
/// file `i` is the same whatever N is.
fn generate(matrix: &Matrix, seed: u64, index: usize) -> FleetFile {
    let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    rng.next();
    let team_word = TEAM_WORDS[(index / SERVICES_PER_TEAM) % TEAM_WORDS.len()];
    let team = format!("team-{team_word}-{:03}", index / SERVICES_PER_TEAM);
    let service_word = rng.pick(SERVICE_WORDS);
    let service = format!("svc-{team_word}-{service_word}-{index:05}");
    let path = if rng.percent(15) {
        format!("{team}/{service}/deploy/prod.controls.toml")
    } else {
        format!("{team}/{service}/controls.toml")
    };
    let mut plan = plan_correct_file(matrix, &mut rng, &team, &service);
    let mut mistakes = Vec::new();
    if rng.percent(FAULTY_PERCENT) {
        let count = 1 + rng.below(3);
        while mistakes.len() < count {
            let mistake = *rng.pick(MISTAKES);
            if !mistakes.contains(&mistake) && inject(matrix, &mut rng, &mut plan, mistake) {
                mistakes.push(mistake);
            }
        }
    }
    let text = write_plan(&plan, &mut rng, &team, &service);
    FleetFile {
        path,
        text,
        evidence_files: plan.evidence_files,
        mistakes,
        services: plan.services,
        zones: plan.zones,
    }
}

/// A file srmlint finds nothing wrong with: every control the customer owes is
/// claimed with the matrix's owner word, and some provider controls are acknowledged.
fn plan_correct_file(matrix: &Matrix, rng: &mut Rng, team: &str, service: &str) -> Plan {
    let catalog: Vec<&String> = matrix.services.keys().collect();
    let mut services = BTreeSet::new();
    let wanted = 1 + rng.below(6);
    while services.len() < wanted {
        services.insert(rng.pick(&catalog).to_string());
    }
    let services: Vec<String> = services.into_iter().collect();
    let zone_ids: Vec<&String> = matrix.zones.keys().collect();
    let mut zones = vec![rng.pick(&zone_ids).to_string()];
    if rng.percent(30) {
        let second = rng.pick(&zone_ids).to_string();
        if !zones.contains(&second) {
            zones.push(second);
        }
    }
    // Declare a residency the zones respect: their single country when they share one,
    // otherwise the union every Exoscale zone is in.
    let countries: BTreeSet<&str> = zones
        .iter()
        .filter_map(|zone| matrix.zones.get(zone))
        .map(|zone| zone.country.as_str())
        .collect();
    let residency = rng.percent(50).then(|| match countries.iter().next() {
        Some(country) if countries.len() == 1 => (*country).to_owned(),
        _ => "EEA+CH".to_owned(),
    });
    let in_use: BTreeSet<String> = services.iter().cloned().collect();
    let models: BTreeSet<&str> = services
        .iter()
        .filter_map(|service| matrix.model_of_service(service))
        .collect();
    let mut entries = Vec::new();
    for control in &matrix.controls {
        match matrix.owner_over(control, models.iter().copied(), &in_use) {
            Some(MatrixOwner::Customer) => entries.push(PlannedEntry {
                control: control.id.clone(),
                owner: "customer".to_owned(),
                claim: true,
                touched: false,
            }),
            Some(MatrixOwner::Shared) => entries.push(PlannedEntry {
                control: control.id.clone(),
                owner: "shared".to_owned(),
                claim: true,
                touched: false,
            }),
            Some(MatrixOwner::Provider) if rng.percent(40) => entries.push(PlannedEntry {
                control: control.id.clone(),
                owner: "exoscale".to_owned(),
                claim: false,
                touched: false,
            }),
            _ => {}
        }
    }
    // A fifth of the services keep a runbook beside the controls file and cite it;
    // the generator writes it, so SRM032 stays quiet.
    let evidence_files = if rng.percent(20) {
        vec!["docs/runbook.md".to_owned()]
    } else {
        Vec::new()
    };
    Plan {
        name: format!("{team}/{service}"),
        services,
        zones,
        residency,
        entries,
        evidence_files,
    }
}

/// Injects one mistake; false when this file offers no place for it.
fn inject(matrix: &Matrix, rng: &mut Rng, plan: &mut Plan, mistake: Mistake) -> bool {
    let untouched = |wanted: &dyn Fn(&PlannedEntry) -> bool| -> Vec<usize> {
        (0..plan.entries.len())
            .filter(|&index| !plan.entries[index].touched && wanted(&plan.entries[index]))
            .collect()
    };
    let claims = untouched(&|entry| entry.claim);
    let acknowledged = untouched(&|entry| entry.owner == "exoscale");
    match mistake {
        Mistake::MissingClaim => {
            if claims.is_empty() {
                return false;
            }
            plan.entries.remove(*rng.pick(&claims));
        }
        Mistake::ProviderControlClaimed => {
            if acknowledged.is_empty() {
                return false;
            }
            let entry = &mut plan.entries[*rng.pick(&acknowledged)];
            entry.owner = "customer".to_owned();
            entry.claim = true;
            entry.touched = true;
        }
        Mistake::CustomerControlDelegated => {
            if claims.is_empty() {
                return false;
            }
            let entry = &mut plan.entries[*rng.pick(&claims)];
            entry.owner = "exoscale".to_owned();
            entry.claim = false;
            entry.touched = true;
        }
        Mistake::WrongOwnerWord => {
            if claims.is_empty() {
                return false;
            }
            let entry = &mut plan.entries[*rng.pick(&claims)];
            entry.owner = if entry.owner == "shared" {
                "customer".to_owned()
            } else {
                "shared".to_owned()
            };
            entry.touched = true;
        }
        Mistake::UnknownControl => {
            let control = rng.pick(&matrix.controls).id.clone();
            plan.entries.push(PlannedEntry {
                control: typo(rng, &control),
                owner: "customer".to_owned(),
                claim: true,
                touched: true,
            });
        }
        Mistake::UnknownService => {
            let service = rng.pick(&plan.services).clone();
            plan.services.push(typo(rng, &service));
        }
        Mistake::UnknownZone => {
            let zone = rng.pick(&plan.zones).clone();
            plan.zones.push(typo(rng, &zone));
        }
        Mistake::ResidencyViolation => {
            // Promise Switzerland, then run in Germany (or the reverse).
            let zone = &plan.zones[0];
            let swiss = zone.starts_with("ch-");
            plan.residency = Some(if swiss { "DE" } else { "CH" }.to_owned());
        }
    }
    true
}

/// A plausible misspelling: one letter dropped or doubled, never the original.
fn typo(rng: &mut Rng, word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let at = 1 + rng.below(chars.len() - 1);
    let mut result: String = chars[..at].iter().collect();
    if rng.percent(50) {
        result.extend(&chars[at + 1..]);
    } else {
        result.push(chars[at]);
        result.extend(&chars[at..]);
    }
    if result == word {
        format!("{word}x")
    } else {
        result
    }
}

fn write_plan(plan: &Plan, rng: &mut Rng, team: &str, service: &str) -> String {
    let mut text = String::new();
    let quoted = |items: &[String]| {
        items
            .iter()
            .map(|item| format!("\"{item}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(text, "# Controls of {service}, owned by {team}.");
    let _ = writeln!(text, "[deployment]");
    let _ = writeln!(text, "name = \"{}\"", plan.name);
    let _ = writeln!(text, "services = [{}]", quoted(&plan.services));
    let _ = writeln!(text, "zones = [{}]", quoted(&plan.zones));
    if let Some(residency) = &plan.residency {
        let _ = writeln!(text, "residency = \"{residency}\"");
    }
    if rng.percent(25) {
        let _ = writeln!(text, "frameworks = [\"iso27001\", \"nis2\"]");
    }
    for entry in &plan.entries {
        let _ = writeln!(text, "\n[controls.{}]", entry.control);
        let _ = writeln!(text, "owner = \"{}\"", entry.owner);
        if !entry.claim {
            continue;
        }
        let _ = writeln!(text, "accountable = \"{team}@example.com\"");
        let _ = writeln!(text, "implementation = \"{}\"", rng.pick(IMPLEMENTATIONS));
        let mut evidence = vec![format!(
            "https://wiki.example.com/{team}/{service}/{}",
            entry.control
        )];
        evidence.extend(plan.evidence_files.iter().cloned());
        let _ = writeln!(text, "evidence = [{}]", quoted(&evidence));
        // Reviews within the last ten months of 2026-11-28, the date the bench pins.
        let month = 2 + rng.below(9);
        let day = 1 + rng.below(28);
        let _ = writeln!(text, "reviewed = 2026-{month:02}-{day:02}");
    }
    text
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("cannot create `{}`: {error}", parent.display()))?;
    }
    std::fs::write(path, text)
        .map_err(|error| format!("cannot write `{}`: {error}", path.display()))
}

/// Resources per generated Terraform folder.
const TERRAFORM_RESOURCES: usize = 10;

/// A root module of `count` resources that create `services` (those the catalog maps)
/// in `zones`, in turn; zones come as literals, through a variable with a default and
/// through a local, the three forms a static reading resolves.
fn terraform_for(
    matrix: &Matrix,
    services: &[String],
    zones: &[String],
    count: usize,
    first: usize,
) -> String {
    let known_zones: Vec<&String> = zones
        .iter()
        .filter(|zone| matrix.zones.contains_key(*zone))
        .collect();
    let types: Vec<_> = services
        .iter()
        .filter_map(|service| matrix.services.get(service)?.terraform.first())
        .collect();
    let mut text = String::new();
    if first == 0 {
        let zone = known_zones.first().map_or("ch-gva-2", |zone| zone.as_str());
        let _ = writeln!(
            text,
            "variable \"zone\" {{\n  type    = string\n  default = \"{zone}\"\n}}\n"
        );
        let _ = writeln!(text, "locals {{\n  zone = var.zone\n}}\n");
    }
    if types.is_empty() {
        return text;
    }
    for index in first..first + count {
        let entry = types[index % types.len()];
        let _ = writeln!(text, "resource \"{}\" \"r{index}\" {{", entry.resource);
        let _ = writeln!(text, "  name = \"r{index}\"");
        if let Some(zone_attribute) = &entry.zone {
            let zone = match (index % 3, known_zones.get(index % known_zones.len().max(1))) {
                (_, None) => "\"ch-gva-2\"".to_owned(),
                (0, Some(_)) if known_zones.len() == 1 || index % known_zones.len() == 0 => {
                    "local.zone".to_owned()
                }
                (_, Some(zone)) => format!("\"{zone}\""),
            };
            let _ = writeln!(text, "  {zone_attribute} = {zone}");
        }
        if let (Some(attribute), Some(value)) = (&entry.attribute, &entry.equals) {
            let _ = writeln!(text, "  {attribute} = \"{value}\"");
        }
        let _ = writeln!(text, "}}\n");
    }
    text
}

/// A root module written as real ones are (the `--evaluated` fleet): zones from a
/// map variable, a variable set by `terraform.tfvars`, locals through `lookup` and
/// `merge`, `count`, `for_each`, a switched-off resource and a local module called
/// with `count`; about `count` resources in all, creating exactly `services` in
/// `zones`. Returns the root module's `main.tf`, its `terraform.tfvars` and the
/// module's `main.tf`.
fn evaluated_terraform_for(
    matrix: &Matrix,
    services: &[String],
    zones: &[String],
    count: usize,
) -> (String, String, String) {
    let known_zones: Vec<&str> = zones
        .iter()
        .filter(|zone| matrix.zones.contains_key(*zone))
        .map(String::as_str)
        .collect();
    let first_zone = known_zones.first().copied().unwrap_or("ch-gva-2");
    let second_zone = known_zones.get(1).copied().unwrap_or(first_zone);
    let types: Vec<_> = services
        .iter()
        .filter_map(|service| matrix.services.get(service)?.terraform.first())
        .collect();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "variable \"zones\" {{\n  type = map(string)\n  default = {{\n    a = \"{first_zone}\"\n    b = \"{second_zone}\"\n  }}\n}}\n"
    );
    let _ = writeln!(
        text,
        "variable \"replicas\" {{\n  type    = number\n  default = 2\n}}\n\nvariable \"env\" {{\n  type = string\n}}\n"
    );
    let _ = writeln!(
        text,
        "locals {{\n  primary = lookup(var.zones, \"a\", \"ch-gva-2\")\n  labels  = merge({{ env = var.env }}, {{ team = \"platform\" }})\n}}\n"
    );
    let mut module =
        "variable \"zone\" {\n  type = string\n}\n\nvariable \"name\" {\n  type = string\n}\n\n"
            .to_owned();
    if types.is_empty() {
        return (text, "env = \"prod\"\n".to_owned(), module);
    }
    let block = |text: &mut String, index: usize, meta: &str, zone: &str| {
        let entry = types[index % types.len()];
        let _ = writeln!(text, "resource \"{}\" \"r{index}\" {{", entry.resource);
        if !meta.is_empty() {
            let _ = writeln!(text, "  {meta}\n");
        }
        let _ = writeln!(text, "  name = \"r{index}-${{var.env}}\"");
        if let Some(zone_attribute) = &entry.zone {
            let _ = writeln!(text, "  {zone_attribute} = {zone}");
        }
        if let (Some(attribute), Some(value)) = (&entry.attribute, &entry.equals) {
            let _ = writeln!(text, "  {attribute} = \"{value}\"");
        }
        let _ = writeln!(text, "}}\n");
    };
    // count (2 instances), for_each (2), one switched off, one module instance.
    block(&mut text, 0, "count = var.replicas", "local.primary");
    block(&mut text, 1, "for_each = var.zones", "each.value");
    // Same type as the first (an index that is a multiple of the number of types),
    // its own name.
    block(
        &mut text,
        types.len() * 1000,
        "count = var.env == \"never\" ? 1 : 0",
        "\"de-fra-1\"",
    );
    let _ = writeln!(
        text,
        "module \"db\" {{\n  source = \"./modules/db\"\n  count  = 1\n\n  zone = local.primary\n  name = \"db-${{var.env}}\"\n}}\n"
    );
    // Then literals, enough for every declared service to be created.
    for index in 2..count.saturating_sub(5).max(types.len()) {
        block(
            &mut text,
            index,
            "",
            &format!(
                "\"{}\"",
                known_zones
                    .get(index % known_zones.len().max(1))
                    .copied()
                    .unwrap_or(first_zone)
            ),
        );
    }
    let mut in_module = String::new();
    block(&mut in_module, 0, "", "var.zone");
    module.push_str(&in_module.replace("-${var.env}", ""));
    (text, "env = \"prod\"\n".to_owned(), module)
}

/// One deployment with a root module of 2,000 resources in 200 files.
fn run_module(out_dir: &Path) -> Result<(), String> {
    let matrix = Matrix::embedded();
    std::fs::create_dir_all(out_dir.join(".git"))
        .map_err(|error| format!("cannot create `{}`: {error}", out_dir.display()))?;
    let services: Vec<String> = matrix
        .services
        .iter()
        .filter(|(_, service)| !service.terraform.is_empty())
        .map(|(id, _)| id.clone())
        .collect();
    let zones: Vec<String> = matrix.zones.keys().cloned().collect();
    let request = srmlint::authoring::init::InitRequest {
        name: "big-module".to_owned(),
        services: services.clone(),
        zones: zones.clone(),
        schema_reference: Some("./controls.schema.json".to_owned()),
        terraform: vec!["terraform".to_owned()],
        ..Default::default()
    };
    let starter =
        srmlint::authoring::init::render(&matrix, &request).map_err(|error| error.message)?;
    write_file(&out_dir.join("controls.toml"), &starter.text)?;
    for file in 0..200 {
        let text = terraform_for(&matrix, &services, &zones, 10, file * 10);
        write_file(&out_dir.join(format!("terraform/file-{file:03}.tf")), &text)?;
    }
    Ok(())
}

fn run(out_dir: &Path, count: usize, seed: u64, terraform: Terraform) -> Result<usize, String> {
    // The fleet is a monorepo: one `.git` at its root bounds evidence paths.
    std::fs::create_dir_all(out_dir.join(".git"))
        .map_err(|error| format!("cannot create `{}`: {error}", out_dir.display()))?;
    let matrix = Matrix::embedded();
    let mut faulty = 0;
    for index in 0..count {
        let mut file = generate(&matrix, seed, index);
        let path = out_dir.join(&file.path);
        let folder = path.parent().unwrap_or(out_dir);
        if terraform != Terraform::None {
            file.text =
                file.text
                    .replacen("\nzones = ", "\nterraform = [\"terraform\"]\nzones = ", 1);
        }
        if terraform == Terraform::Literals {
            let module =
                terraform_for(&matrix, &file.services, &file.zones, TERRAFORM_RESOURCES, 0);
            write_file(&folder.join("terraform/main.tf"), &module)?;
        }
        if terraform == Terraform::Evaluated {
            let (main, tfvars, module) =
                evaluated_terraform_for(&matrix, &file.services, &file.zones, TERRAFORM_RESOURCES);
            write_file(&folder.join("terraform/main.tf"), &main)?;
            write_file(&folder.join("terraform/terraform.tfvars"), &tfvars)?;
            write_file(&folder.join("terraform/modules/db/main.tf"), &module)?;
        }
        write_file(&path, &file.text)?;
        for evidence in &file.evidence_files {
            write_file(&folder.join(evidence), "# Restore runbook\n")?;
        }
        faulty += usize::from(!file.mistakes.is_empty());
    }
    Ok(faulty)
}

/// The Terraform written beside each controls file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Terraform {
    None,
    /// Literal zones, a variable default and a local (`--terraform`).
    Literals,
    /// Variables, var files, locals, `count`, `for_each` and a module (`--evaluated`).
    Evaluated,
}

fn parse_args() -> Result<(PathBuf, usize, u64, Terraform), String> {
    let usage = "usage: gen_fleet OUT_DIR N [--seed S] [--terraform | --evaluated] | gen_fleet --module OUT_DIR";
    let mut positional = Vec::new();
    let mut seed = DEFAULT_SEED;
    let mut terraform = Terraform::None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--terraform" {
            terraform = Terraform::Literals;
        } else if arg == "--evaluated" {
            terraform = Terraform::Evaluated;
        } else if arg == "--seed" {
            let value = args.next().ok_or(usage)?;
            seed = value
                .parse()
                .map_err(|_| format!("--seed takes a number, not `{value}`"))?;
        } else {
            positional.push(arg);
        }
    }
    let [out_dir, count] = <[String; 2]>::try_from(positional).map_err(|_| usage)?;
    let count = count
        .parse()
        .map_err(|_| format!("N is a number of files, not `{count}`"))?;
    Ok((PathBuf::from(out_dir), count, seed, terraform))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).is_some_and(|arg| arg == "--module") {
        let Some(out_dir) = args.get(2) else {
            eprintln!("usage: gen_fleet --module OUT_DIR");
            return ExitCode::from(2);
        };
        return match run_module(Path::new(out_dir)) {
            Ok(()) => {
                println!("wrote a root module of 2000 resources in 200 files under {out_dir}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("gen_fleet: {message}");
                ExitCode::from(2)
            }
        };
    }
    let outcome = parse_args().and_then(|(out_dir, count, seed, terraform)| {
        let faulty = run(&out_dir, count, seed, terraform)?;
        println!(
            "wrote {count} controls files under {} ({faulty} with mistakes, seed {seed})",
            out_dir.display()
        );
        Ok(())
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen_fleet: {message}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use srmlint::check::Checker;
    use srmlint::data::matrix::Matrix;
    use srmlint::rules::evidence::EvidenceBase;
    use srmlint::text::date::Date;

    use super::{Mistake, generate};

    fn checker() -> Checker {
        Checker::new(Matrix::embedded(), Date::parse("2026-11-28").unwrap())
    }

    /// The codes srmlint reports for one generated file, checked in memory (the
    /// evidence files it cites are not written, so SRM032 is left out).
    fn codes(checker: &Checker, index: usize) -> (Vec<Mistake>, BTreeSet<String>) {
        let file = generate(&checker.matrix, 7, index);
        let base = EvidenceBase {
            file_dir: "/nonexistent".into(),
            repo_root: "/nonexistent".into(),
            canonical_root: None,
        };
        let report = checker.check_text(file.text, &file.path, &base);
        let codes = report
            .diagnostics
            .iter()
            .map(|diagnostic| diagnostic.code.clone())
            .filter(|code| code != "SRM032")
            .collect();
        (file.mistakes, codes)
    }

    #[test]
    fn correct_files_check_clean_and_each_mistake_is_caught() {
        let checker = checker();
        let mut faulty = 0;
        for index in 0..400 {
            let (mistakes, codes) = codes(&checker, index);
            if mistakes.is_empty() {
                assert!(codes.is_empty(), "file {index} should be clean: {codes:?}");
                continue;
            }
            faulty += 1;
            for mistake in mistakes {
                let expected = match mistake {
                    Mistake::MissingClaim => "SRM001",
                    Mistake::ProviderControlClaimed => "SRM002",
                    Mistake::CustomerControlDelegated => "SRM003",
                    Mistake::WrongOwnerWord => "SRM004",
                    Mistake::UnknownControl => "SRM010",
                    Mistake::UnknownService => "SRM011",
                    Mistake::UnknownZone => "SRM012",
                    Mistake::ResidencyViolation => "SRM013",
                };
                assert!(
                    codes.contains(expected),
                    "file {index}: {mistake:?} should give {expected}, got {codes:?}"
                );
            }
        }
        // About 30% of the files carry mistakes.
        assert!((90..=150).contains(&faulty), "{faulty} faulty files of 400");
    }

    #[test]
    fn generated_terraform_matches_its_correct_controls_files() {
        for terraform in [super::Terraform::Literals, super::Terraform::Evaluated] {
            generated_terraform_of(terraform);
        }
    }

    fn generated_terraform_of(terraform: super::Terraform) {
        let out = std::env::temp_dir().join(format!("gen-fleet-terraform-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        super::run(&out, 60, 7, terraform).unwrap();
        let checker = checker();
        let mut with_terraform = 0;
        for index in 0..60 {
            let file = generate(&checker.matrix, 7, index);
            let path = out.join(&file.path);
            let base = EvidenceBase::for_file(&path);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains("terraform = [\"terraform\"]"));
            let report = checker.check_text(text, &file.path, &base);
            let terraform: Vec<&str> = report
                .diagnostics
                .iter()
                .map(|diagnostic| diagnostic.code.as_str())
                .filter(|code| code.starts_with("SRM05"))
                .collect();
            if file.mistakes.is_empty() {
                assert!(terraform.is_empty(), "file {index}: {terraform:?}");
                with_terraform += usize::from(!report.terraform.is_empty());
            }
        }
        assert!(
            with_terraform > 20,
            "{with_terraform} clean files read Terraform"
        );
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn the_same_seed_gives_the_same_fleet() {
        let matrix = Matrix::embedded();
        for index in [0, 17, 9_999] {
            let first = generate(&matrix, 2026, index);
            let second = generate(&matrix, 2026, index);
            assert_eq!((first.path, first.text), (second.path, second.text));
        }
        let other_seed = generate(&matrix, 2027, 17);
        assert_ne!(other_seed.text, generate(&matrix, 2026, 17).text);
    }
}
