//! Generated controls files, judged twice: by the engine (`Checker::check_text`) and by
//! an oracle written here from the source document and the rule contract (docs/rules/), sharing no code with `src/`. The
//! findings of the ownership and deployment rules (SRM001–SRM005, SRM010–SRM013) must
//! agree exactly, as multisets of (code, control, model). Seeds are fixed, so a
//! failure reproduces; the failing file is printed.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::TODAY;
use common::catalog::{DBAAS_SERVICES, IAAS_SERVICES, ZONES};
use srmlint::check::{Checker, LoadSettings};
use srmlint::rules::evidence::EvidenceBase;
use srmlint::text::date::Date;

// ------------------------------------------------------------------ the oracle's data
// The matrix as decoded from the source, with its four shared responsibilities, one row a
// control: (id, IaaS part, DBaaS part). A part lists whether the customer has a part
// and which parties hold the provider part (empty: no provider part); `None` means
// the control does not apply to the model.

#[derive(Clone, Copy)]
struct Part {
    customer: bool,
    provider: &'static [&'static str],
}

const fn part(customer: bool, provider: &'static [&'static str]) -> Option<Part> {
    Some(Part { customer, provider })
}

const EXO: &[&str] = &["exoscale"];
const EXO_AIVEN: &[&str] = &["exoscale", "aiven"];
const EXO_DC: &[&str] = &["exoscale", "dc-providers"];
const NONE: &[&str] = &[];

const MATRIX: &[(&str, Option<Part>, Option<Part>)] = &[
    ("data-classification", part(true, NONE), part(true, NONE)),
    (
        "encryption-in-transit",
        part(true, EXO),
        part(true, EXO_AIVEN),
    ),
    // IaaS provider part: object storage only (see `iaas_parts`).
    ("encryption-at-rest", part(true, EXO), part(true, EXO_AIVEN)),
    ("key-management", part(true, EXO), part(true, EXO_AIVEN)),
    ("tenant-iam", part(true, NONE), part(true, NONE)),
    ("platform-iam", part(false, EXO), part(false, EXO)),
    ("network-security", part(true, NONE), part(true, NONE)),
    (
        "physical-security",
        part(false, EXO_DC),
        part(false, EXO_DC),
    ),
    ("vuln-mgmt-workloads", part(true, NONE), part(true, NONE)),
    (
        "vuln-mgmt-platform",
        part(false, EXO),
        part(false, EXO_AIVEN),
    ),
    ("tenant-logging", part(true, NONE), part(true, NONE)),
    ("platform-logging", part(false, EXO), part(false, EXO_AIVEN)),
    ("backup-restore", part(true, NONE), part(true, EXO_AIVEN)),
    ("platform-bcdr", part(false, EXO), part(false, EXO_AIVEN)),
    ("workload-operations", part(true, NONE), None),
    ("regulatory-compliance", part(true, NONE), part(true, NONE)),
    (
        "platform-virtualization",
        part(false, EXO),
        part(false, EXO_AIVEN),
    ),
    (
        "infrastructure-compliance",
        part(false, EXO),
        part(false, EXO),
    ),
];

/// The EEA: the 27 EU states and Iceland, Liechtenstein, Norway (not Switzerland).
const EEA: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

// ------------------------------------------------------------------ generated files

/// splitmix64: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn subset<'a>(&mut self, items: &[&'a str], percent: u64) -> Vec<&'a str> {
        items
            .iter()
            .copied()
            .filter(|_| self.chance(percent))
            .collect()
    }
}

#[derive(Debug, Clone)]
struct Entry {
    control: String,
    /// `None`: no `owner` key.
    owner: Option<String>,
    /// `None`: no `models` key.
    models: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
struct Generated {
    /// `None`: no `[deployment]` table.
    services: Option<Vec<String>>,
    zones: Vec<String>,
    residency: Option<String>,
    entries: Vec<Entry>,
}

fn generate(rng: &mut Rng) -> Generated {
    let services = (!rng.chance(5)).then(|| {
        let mut services: Vec<String> = Vec::new();
        let iaas_rate = [0, 10, 30][rng.below(3)];
        let dbaas_rate = [0, 10, 30][rng.below(3)];
        services.extend(
            rng.subset(IAAS_SERVICES, iaas_rate)
                .into_iter()
                .map(String::from),
        );
        services.extend(
            rng.subset(DBAAS_SERVICES, dbaas_rate)
                .into_iter()
                .map(String::from),
        );
        for _ in 0..rng.below(3) {
            if rng.chance(30) {
                let unknown = rng.pick(&[
                    "compute-2",
                    "dbaas-redis",
                    "s3",
                    "",
                    "Compute",
                    "dbaas-pgsql",
                ]);
                let at = rng.below(services.len() + 1);
                services.insert(at, unknown.to_owned());
            }
        }
        if rng.chance(10) && !services.is_empty() {
            let again = services[rng.below(services.len())].clone();
            services.push(again);
        }
        services
    });
    let zone_ids: Vec<&str> = ZONES.iter().map(|(id, _)| *id).collect();
    let mut zones: Vec<String> = rng
        .subset(&zone_ids, 20)
        .into_iter()
        .map(String::from)
        .collect();
    if rng.chance(20) {
        zones.push(rng.pick(&["ch-gva-3", "us-east-1", "de-fra"]).to_owned());
    }
    let residency = rng.chance(50).then(|| {
        rng.pick(&[
            "CH", "DE", "AT", "EEA", "EEA+CH", "CH+DE", "FR", "ch", "Swiss",
        ])
        .to_owned()
    });
    let known_ids: Vec<&str> = MATRIX.iter().map(|(id, _, _)| *id).collect();
    let mut controls: Vec<String> = rng
        .subset(&known_ids, 50)
        .into_iter()
        .map(String::from)
        .collect();
    for unknown in ["backup-restor", "tenant_iam", "x-17", "encryption"] {
        if rng.chance(5) {
            controls.push(unknown.to_owned());
        }
    }
    // Table order in the file is random too.
    for index in (1..controls.len()).rev() {
        controls.swap(index, rng.below(index + 1));
    }
    let entries = controls
        .into_iter()
        .map(|control| Entry {
            control,
            owner: (!rng.chance(3)).then(|| {
                let weighted = [
                    "customer",
                    "customer",
                    "customer",
                    "shared",
                    "shared",
                    "exoscale",
                    "exoscale",
                    "aiven",
                    "dc-providers",
                    "Customer",
                    "provider",
                ];
                rng.pick(&weighted).to_owned()
            }),
            models: rng.chance(25).then(|| {
                let mut models: Vec<String> = rng
                    .subset(&["iaas", "dbaas"], 60)
                    .into_iter()
                    .map(String::from)
                    .collect();
                if rng.chance(10) {
                    models.push(rng.pick(&["paas", "IaaS"]).to_owned());
                }
                models
            }),
        })
        .collect();
    Generated {
        services,
        zones,
        residency,
        entries,
    }
}

fn quoted(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| format!("\"{item}\"")).collect();
    format!("[{}]", items.join(", "))
}

fn render(file: &Generated) -> String {
    let mut text = String::new();
    if let Some(services) = &file.services {
        text.push_str("[deployment]\nname = \"generated\"\n");
        text.push_str(&format!("services = {}\n", quoted(services)));
        if !file.zones.is_empty() {
            text.push_str(&format!("zones = {}\n", quoted(&file.zones)));
        }
        if let Some(residency) = &file.residency {
            text.push_str(&format!("residency = \"{residency}\"\n"));
        }
    }
    for entry in &file.entries {
        text.push_str(&format!("\n[controls.{}]\n", entry.control));
        if let Some(owner) = &entry.owner {
            text.push_str(&format!("owner = \"{owner}\"\n"));
        }
        if let Some(models) = &entry.models {
            text.push_str(&format!("models = {}\n", quoted(models)));
        }
    }
    text
}

// ------------------------------------------------------------------ the oracle

type Key = (String, Option<String>, Option<String>);

fn key(code: &str, control: Option<&str>, model: Option<&str>) -> Key {
    (
        code.to_owned(),
        control.map(str::to_owned),
        model.map(str::to_owned),
    )
}

fn model_of(service: &str) -> Option<&'static str> {
    if IAAS_SERVICES.contains(&service) {
        Some("iaas")
    } else if DBAAS_SERVICES.contains(&service) {
        Some("dbaas")
    } else {
        None
    }
}

/// The parts of a control in a model for the services in use (§1: the IaaS provider
/// part of encryption-at-rest exists only with object storage).
fn parts(control: &str, model: &str, services: &BTreeSet<&str>) -> Option<Part> {
    let (_, iaas, dbaas) = MATRIX.iter().find(|(id, _, _)| *id == control)?;
    let mut found = if model == "iaas" { *iaas } else { *dbaas }?;
    if control == "encryption-at-rest" && model == "iaas" && !services.contains("object-storage") {
        found.provider = NONE;
    }
    (found.customer || !found.provider.is_empty()).then_some(found)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Owner {
    Customer,
    Shared,
    Provider,
}

/// §1: only customer parts → customer; only provider parts → provider; both → shared.
fn owner_over(control: &str, models: &[&str], services: &BTreeSet<&str>) -> Option<Owner> {
    let (mut customer, mut provider) = (false, false);
    for model in models {
        if let Some(found) = parts(control, model, services) {
            customer |= found.customer;
            provider |= !found.provider.is_empty();
        }
    }
    match (customer, provider) {
        (true, true) => Some(Owner::Shared),
        (true, false) => Some(Owner::Customer),
        (false, true) => Some(Owner::Provider),
        (false, false) => None,
    }
}

fn oracle(file: &Generated) -> Vec<Key> {
    let mut expected = Vec::new();
    let empty = Vec::new();
    let listed = file.services.as_ref().unwrap_or(&empty);
    // SRM011: every service id not in the catalog.
    for service in listed {
        if model_of(service).is_none() {
            expected.push(key("SRM011", None, None));
        }
    }
    let services: BTreeSet<&str> = listed
        .iter()
        .map(String::as_str)
        .filter(|s| model_of(s).is_some())
        .collect();
    let models_in_use: BTreeSet<&str> = services.iter().filter_map(|s| model_of(s)).collect();
    // SRM012 and SRM013: zones, and the residency when it is a valid value.
    let allowed: Option<BTreeSet<&str>> = file.residency.as_deref().and_then(|residency| {
        let mut countries = BTreeSet::new();
        for piece in residency.split('+') {
            if piece == "EEA" {
                countries.extend(EEA.iter().copied());
            } else if piece.len() == 2 && piece.bytes().all(|b| b.is_ascii_uppercase()) {
                countries.insert(piece);
            } else {
                return None;
            }
        }
        Some(countries)
    });
    // Zones are written only inside `[deployment]`.
    let zones = if file.services.is_some() {
        &file.zones[..]
    } else {
        &[]
    };
    for zone in zones {
        match ZONES.iter().find(|(id, _)| id == zone) {
            None => expected.push(key("SRM012", None, None)),
            Some((_, country)) => {
                if allowed
                    .as_ref()
                    .is_some_and(|allowed| !allowed.contains(country))
                {
                    expected.push(key("SRM013", None, None));
                }
            }
        }
    }
    // Entries. `settled` holds (control, model) pairs claimed or handed over;
    // `unjudged` the controls whose entry cannot be judged (an SRM021 already says
    // why, or nothing is in use to judge against), which are not SRM001 either.
    let mut settled: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut unjudged: BTreeSet<&str> = BTreeSet::new();
    for entry in &file.entries {
        let control = entry.control.as_str();
        if !MATRIX.iter().any(|(id, _, _)| *id == control) {
            // §3: `control` is the id as written, also when the matrix does not know it.
            expected.push(key("SRM010", Some(control), None));
            continue;
        }
        let owner = match entry.owner.as_deref() {
            Some("customer") => Some(Owner::Customer),
            Some("shared") => Some(Owner::Shared),
            Some("exoscale" | "aiven") => Some(Owner::Provider),
            _ => None,
        };
        let models_valid = entry.models.as_ref().is_none_or(|models| {
            !models.is_empty() && models.iter().all(|m| m == "iaas" || m == "dbaas")
        });
        if owner.is_none() || !models_valid || models_in_use.is_empty() {
            unjudged.insert(control);
            continue;
        }
        // §2: an entry covers its `models`, by default every model in use; a listed
        // model that is not in use is SRM005.
        let mut covered: Vec<&str> = match &entry.models {
            None => models_in_use.iter().copied().collect(),
            Some(models) => {
                let mut covered = Vec::new();
                for model in models {
                    if models_in_use.contains(model.as_str()) {
                        covered.push(model.as_str());
                    } else {
                        expected.push(key("SRM005", Some(control), Some(model)));
                    }
                }
                covered
            }
        };
        covered.sort_unstable();
        covered.dedup();
        // §3: an entry that covers no model the control applies to settles nothing,
        // so the parts it misses are still SRM001.
        if covered.is_empty() {
            continue;
        }
        let single = (covered.len() == 1).then(|| covered[0]);
        let Some(matrix_owner) = owner_over(control, &covered, &services) else {
            expected.push(key("SRM005", Some(control), None));
            continue;
        };
        match owner.unwrap() {
            claim @ (Owner::Customer | Owner::Shared) => {
                match (matrix_owner, claim) {
                    (Owner::Provider, _) => expected.push(key("SRM002", Some(control), single)),
                    (Owner::Shared, Owner::Customer) | (Owner::Customer, Owner::Shared) => {
                        expected.push(key("SRM004", Some(control), single));
                    }
                    _ => {}
                }
                for model in &covered {
                    settled.insert((control, model));
                }
            }
            Owner::Provider => {
                let party = entry.owner.as_deref().unwrap();
                let mut customer_has_part = false;
                // §3 SRM004: the party must hold a part in every covered model where
                // the provider has one.
                let mut party_lacks_part = false;
                for model in &covered {
                    let Some(found) = parts(control, model, &services) else {
                        continue;
                    };
                    if found.customer {
                        // SRM003 instead of SRM001 for this model.
                        customer_has_part = true;
                        expected.push(key("SRM003", Some(control), Some(model)));
                        settled.insert((control, model));
                    }
                    // Data-centre operators' part is acknowledged with `exoscale`.
                    let holds = found.provider.iter().any(|holder| {
                        *holder == party || (*holder == "dc-providers" && party == "exoscale")
                    });
                    party_lacks_part |= !found.provider.is_empty() && !holds;
                }
                if !customer_has_part && party_lacks_part {
                    expected.push(key("SRM004", Some(control), None));
                }
            }
        }
    }
    // SRM001: a customer part in a model in use that no entry covers.
    for model in &models_in_use {
        for (control, _, _) in MATRIX {
            let owed = parts(control, model, &services).is_some_and(|found| found.customer);
            if owed && !settled.contains(&(*control, *model)) && !unjudged.contains(control) {
                expected.push(key("SRM001", Some(control), Some(model)));
            }
        }
    }
    expected.sort();
    expected
}

// ------------------------------------------------------------------ the comparison

const COMPARED: &[&str] = &[
    "SRM001", "SRM002", "SRM003", "SRM004", "SRM005", "SRM010", "SRM011", "SRM012", "SRM013",
];

#[test]
fn engine_and_oracle_agree_on_generated_files() {
    let checker = Checker::load(&LoadSettings {
        today: Date::parse(TODAY),
        ..LoadSettings::default()
    })
    .unwrap();
    let base = EvidenceBase::for_file(Path::new("generated/controls.toml"));
    let mut seen_codes: BTreeMap<String, usize> = BTreeMap::new();
    for seed in 0..3_000u64 {
        let mut rng = Rng(seed);
        let file = generate(&mut rng);
        let text = render(&file);
        let report = checker.check_text(text.clone(), "controls.toml", &base);
        assert!(
            report.diagnostics.iter().all(|d| d.code != "SRM020"),
            "seed {seed}: the generator wrote invalid TOML:\n{text}"
        );
        let mut actual: Vec<Key> = report
            .diagnostics
            .iter()
            .filter(|d| COMPARED.contains(&d.code.as_str()))
            .map(|d| key(&d.code, d.control.as_deref(), d.model.as_deref()))
            .collect();
        actual.sort();
        let expected = oracle(&file);
        assert_eq!(
            actual, expected,
            "seed {seed} disagrees on this file:\n{text}"
        );
        for (code, _, _) in actual {
            *seen_codes.entry(code).or_default() += 1;
        }
    }
    // The generator reaches every compared rule, so agreement means something.
    for code in COMPARED {
        assert!(
            seen_codes.get(*code).copied().unwrap_or(0) >= 10,
            "{code} fired only {:?} times over all seeds: {seen_codes:?}",
            seen_codes.get(*code)
        );
    }
}
