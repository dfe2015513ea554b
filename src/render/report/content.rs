//! What the posture report says, once for every format: `document` turns the report
//! model into a `doc::Document` holding all of the report's wording, the same words in
//! Markdown and HTML. Every string a controls, policy or matrix file supplies (an id, a
//! title, a city, a finding's message) goes through `text`, `literal` or `prose`; only
//! srmlint's own words (`words`, `known`, `count`) go in as they are.

use super::doc::ColumnKind::{self, Date, Number, Plain};
use super::doc::{Block, Document, Fact, Item, Table, Words};
use super::doc::{anchor, badge, count, help, known, link, literal, num, prose, span, text, words};
use crate::data::frameworks::Extent;
use crate::data::matrix::MatrixOwner;
use crate::posture::evidence::EvidenceFingerprint;
use crate::posture::{
    Contribution, ControlReport, DeploymentReport, Finding, FrameworkCoverage, GitState, GridCell,
    MappedLink, PostureReport, RequirementCoverage, RequirementStatus, Source, Status, WaiverState,
};

const TITLE: &str = "Pre-audit posture report";

pub fn document(report: &PostureReport) -> Document {
    let title = match report.deployments.as_slice() {
        [only] => format!("{TITLE}: {}", only.name.as_deref().unwrap_or(&only.file)),
        _ => TITLE.to_owned(),
    };
    let meta = "Report date {} · matrix: {} · srmlint {}";
    let (today, matrix) = (known(&report.today), text(&report.matrix));
    let meta = words(meta, [today, matrix, known(&report.source.srmlint)]);
    let header = vec![
        heading(1, "", "", TITLE),
        Block::Paragraph("meta", meta),
        assessed(&report.source),
    ];
    let mut blocks = vec![Block::Group("header", "", String::new(), header)];
    if report.deployments.len() > 1 {
        blocks.push(overview(&report.deployments));
    }
    for (index, deployment) in report.deployments.iter().enumerate() {
        blocks.push(deployment_section(deployment, index));
    }
    Document { title, blocks }
}

/// What the report assessed, so it can be tied to exact inputs.
fn assessed(source: &Source) -> Block {
    let matrix = &source.matrix;
    let version = matrix
        .version
        .as_deref()
        .map_or(words("no version", []), text);
    let mut about = words("{}, version {}", [text(&matrix.title), version]);
    if let Some(retrieved) = &matrix.retrieved {
        about = about + words(", read {}", [text(retrieved)]);
    }
    if let Some(sha) = &matrix.source_sha256 {
        about = about + words("; SHA-256 of its source text {}", [literal(sha)]);
    }
    let files = source.files.iter().map(|file| {
        let digest = file.sha256.as_deref();
        let digest = digest.map_or(words("not read", []), literal);
        words("{} (SHA-256 {})", [literal(&file.path), digest])
    });
    let overrides = source.overrides.iter().map(|o| {
        let default = o.default.as_deref().map_or(words("", []), |default| {
            words(" (its own level: {})", [text(default)])
        });
        let file = o.file.as_deref().map_or(words("the defaults", []), literal);
        words(
            "{} set to {}{} by {}",
            [literal(&o.code), text(&o.level), default, file],
        )
    });
    let overrides = if source.overrides.is_empty() {
        words("none: every rule ran at its own level", [])
    } else {
        joined(overrides, "; ")
            + words(
                ". The statuses below do not follow these: a claim is judged by the claim rules (SRM030 to SRM038) at their own levels",
                [],
            )
    };
    let facts = vec![
        fact(words("Matrix assessed against", []), about),
        fact(words("Controls files", []), joined_or_none(files, "; ")),
        fact(words("Git commit", []), commit(&source.git)),
        fact(words("Rule levels changed by configuration", []), overrides),
    ];
    Block::Facts(false, facts)
}

fn commit(git: &GitState) -> Words {
    let note = git.note.as_deref().map(text);
    match (&git.commit, git.dirty) {
        (Some(commit), Some(false)) => words("{} (the work tree matched it)", [literal(commit)]),
        (Some(commit), Some(true)) => {
            let differs = badge("status-gap", "uncommitted changes", true);
            let then = "{} with {}: the work tree differed from this commit";
            words(then, [literal(commit), differs])
        }
        (Some(commit), None) => {
            let why = note.unwrap_or_default();
            words(
                "{} (whether the work tree matched it is unknown: {})",
                [literal(commit), why],
            )
        }
        (None, _) => words("none: {}", [note.unwrap_or_else(|| words("unknown", []))]),
    }
}

fn overview(deployments: &[DeploymentReport]) -> Block {
    let rows = deployments.iter().enumerate().map(|(index, deployment)| {
        let name = link("", &format!("d{index}"), deployment_name(deployment));
        let (counts, gaps) = (deployment.counts, deployment.gaps.len());
        let numbers = [
            counts.applicable,
            counts.claimed,
            counts.incomplete,
            counts.inherited,
            gaps,
        ];
        let cells = [name, literal(&deployment.file)].into_iter();
        cells.chain(numbers.map(num)).map(cell).collect()
    });
    let labels = "Deployment|File|Controls|Claimed|Incomplete|Inherited|Gaps (findings)";
    let kinds = [Plain, Plain, Number, Number, Number, Number, Number];
    let table = table("", false, columns(labels, &kinds), rows);
    let heading = heading(2, "first", "", "Deployments");
    Block::Group("section", "", "overview".to_owned(), vec![heading, table])
}

fn deployment_name(deployment: &DeploymentReport) -> Words {
    deployment
        .name
        .as_deref()
        .map_or(words("(unnamed)", []), text)
}

fn deployment_section(deployment: &DeploymentReport, index: usize) -> Block {
    let class = if index == 0 { "first" } else { "" };
    let name = words("Deployment {}", [deployment_name(deployment)]);
    let mut blocks = vec![Block::Heading(2, class, String::new(), name)];
    let file = fact(words("File", []), literal(&deployment.file));
    if deployment.parsed {
        blocks.push(summary(file, deployment));
        blocks.extend(terraform(deployment));
        blocks.extend(gaps(deployment, index));
        blocks.extend(grid(deployment, index));
        blocks.extend(waivers(deployment));
        blocks.extend(frameworks(deployment, index));
        if !deployment.controls.is_empty() {
            blocks.push(heading(3, "", "", "Controls"));
        }
        for control in &deployment.controls {
            blocks.push(control_section(control, deployment, index));
        }
        blocks.extend(warnings(deployment));
    } else {
        let why = "This file could not be read as a controls file, so no control can be judged. Fix the gaps below first.";
        blocks.push(Block::Facts(true, vec![file]));
        blocks.push(Block::Paragraph("", words(why, [])));
        blocks.extend(gaps(deployment, index));
    }
    Block::Group("section", "deployment", format!("d{index}"), blocks)
}

fn summary(file: Fact, deployment: &DeploymentReport) -> Block {
    let mut facts = vec![file];
    let mut add = |term: &'static str, value: Words| facts.push(fact(words(term, []), value));
    if let Some(provider) = &deployment.provider {
        add("Provider", text(provider));
    }
    let listed = |id: &str, entry: Option<(&str, &str)>| {
        in_catalog(id, entry.map(|(name, place)| (text(name), text(place))))
    };
    let services = deployment.services.iter().map(|service| {
        listed(
            &service.id,
            service.title.as_deref().zip(service.model.as_deref()),
        )
    });
    add("Services", joined_or_none(services, "; "));
    let zones = (deployment.zones.iter())
        .map(|zone| listed(&zone.id, zone.city.as_deref().zip(zone.country.as_deref())));
    add("Zones", joined_or_none(zones, "; "));
    let residency = deployment.residency.as_deref();
    add(
        "Residency",
        residency.map_or(words("not declared", []), text),
    );
    let regulated = deployment.regulated.iter().map(|sector| text(sector));
    add("Regulated sectors", joined_or_none(regulated, ", "));
    let selected = deployment.frameworks.iter().map(|f| text(&f.info.title));
    let unknown = deployment.unknown_frameworks.iter();
    let unknown = unknown.map(|framework| words("{} (no mapping)", [literal(framework)]));
    add("Frameworks", joined_or_none(selected.chain(unknown), "; "));
    let counts = deployment.counts;
    let [customer, shared, provider] = [counts.customer, counts.shared, counts.provider].map(num);
    let owners = [num(counts.applicable), customer, shared, provider];
    let applicable = words("{} ({} customer, {} shared, {} provider)", owners);
    add("Controls that apply", applicable);
    let with_a_gap = format!("{} with a gap", counts.gap);
    let gap = match counts.gap {
        0 => badge("status-claimed", &with_a_gap, false),
        _ => words("**{}**", [badge("status-gap", &with_a_gap, false)]),
    };
    let rest = [
        counts.claimed,
        counts.incomplete,
        counts.inherited,
        counts.waived,
    ]
    .map(num);
    let [claimed, incomplete, inherited, waived] = rest;
    let pieces = [gap, claimed, incomplete, inherited, waived];
    let by_status = "{}, {} claimed, {} incomplete, {} inherited, {} waived";
    add("Controls by status", words(by_status, pieces));
    let summary = deployment.summary;
    let found = [
        count(summary.errors, "error", "errors"),
        count(summary.warnings + summary.infos, "warning", "warnings"),
        known(&format!("{} waived", summary.waived)),
    ];
    add("Findings", words("{}, {}, {}", found));
    Block::Facts(false, facts)
}

/// What the deployment's Terraform showed: each source read (or why it could not be),
/// then each catalog service its resources create, with the resources and whether
/// `services` declares it. Nothing when the file names no Terraform.
fn terraform(deployment: &DeploymentReport) -> Vec<Block> {
    let Some(terraform) = &deployment.terraform else {
        return Vec::new();
    };
    let mut blocks = vec![heading(3, "", "", "Terraform")];
    let sources = terraform.sources.iter().map(|source| {
        let read = match (&source.problem, source.kind.as_deref()) {
            (Some(problem), _) => words("not read: {}", [prose(problem)]),
            (None, kind) => words(
                "{}, {} read, {}",
                [
                    text(kind.unwrap_or("source")),
                    count(source.files.len(), "file", "files"),
                    count(source.resources, "resource", "resources"),
                ],
            ),
        };
        vec![cell(literal(&source.path)), cell(read)]
    });
    blocks.push(table("", false, columns("Source|Read", &[]), sources));
    if terraform.services.is_empty() {
        let none = words("The Terraform creates no service of the catalog.", []);
        blocks.push(Block::Paragraph("", none));
    }
    let rows = terraform.services.iter().flat_map(|service| {
        let declared = match service.declared {
            true => badge("status-claimed", "declared", false),
            false => badge("status-gap", "not declared", true),
        };
        let name = in_service(&service.id, service.title.as_deref());
        service.resources.iter().map(move |resource| {
            let place = literal(&format!("{}:{}", resource.file, resource.line));
            let zone = match (&resource.zone, resource.global) {
                (Some(zone), _) => literal(zone),
                (None, true) => words("none (a global service)", []),
                (None, false) => words("not known statically", []),
            };
            [
                name.clone(),
                declared.clone(),
                literal(&resource.address),
                place,
                zone,
            ]
            .into_iter()
            .map(cell)
            .collect()
        })
    });
    let labels = "Service|Declared|Resource|Where|Zone";
    if !terraform.services.is_empty() {
        blocks.push(table("", false, columns(labels, &[]), rows));
    }
    if terraform.other_resources > 0 {
        let other = words(
            "{} of the provider create no service of the catalog (keys, rules, records, users inside a service) or one srmlint could not tell.",
            [count(
                terraform.other_resources,
                "other resource",
                "other resources",
            )],
        );
        blocks.push(Block::Paragraph("", other));
    }
    blocks
}

fn in_service(id: &str, title: Option<&str>) -> Words {
    match title {
        Some(title) => words("{} ({})", [literal(id), text(title)]),
        None => literal(id),
    }
}

/// An id with the two things the catalog says of it, or word that it is not there.
fn in_catalog(id: &str, entry: Option<(Words, Words)>) -> Words {
    match entry {
        Some((first, second)) => words("{} ({}, {})", [literal(id), first, second]),
        None => words("{} (not in the catalog)", [literal(id)]),
    }
}

/// Every gap, one entry per control with all its models (the help, such as the TOML to
/// add, once), and one per finding that names no control, in file order.
fn gaps(deployment: &DeploymentReport, index: usize) -> Vec<Block> {
    let title = words(
        "Gaps ({})",
        [count(deployment.gaps.len(), "finding", "findings")],
    );
    let heading = Block::Heading(3, "", format!("d{index}-gaps"), title);
    if deployment.gaps.is_empty() {
        let none = words("No gaps: every error-level check passes.", []);
        return vec![heading, Block::Paragraph("", none)];
    }
    let mut groups: Vec<(Option<&str>, Vec<&Finding>)> = Vec::new();
    for gap in &deployment.gaps {
        let group = gap
            .control
            .as_deref()
            .and_then(|control| (groups.iter_mut()).find(|(known, _)| *known == Some(control)));
        match group {
            Some((_, findings)) => findings.push(gap),
            None => groups.push((gap.control.as_deref(), vec![gap])),
        }
    }
    let items = groups.into_iter().map(|(control, findings)| match control {
        Some(control) => control_gaps(control, &findings, deployment),
        None => finding_item(findings[0]),
    });
    vec![heading, Block::List(items.collect())]
}

/// One control's gaps: the control and the models they are in, each finding on its
/// own line, each distinct help once.
fn control_gaps(control: &str, findings: &[&Finding], deployment: &DeploymentReport) -> Item {
    let models: Vec<Words> = match findings.iter().any(|f| f.model.is_none()) {
        true => Vec::new(),
        false => {
            let mut ids: Vec<&str> = findings.iter().filter_map(|f| f.model.as_deref()).collect();
            ids.dedup();
            ids.into_iter()
                .map(|id| model_title(deployment, id))
                .collect()
        }
    };
    let place = match models.as_slice() {
        [] => words("", []),
        _ => words(" in {}", [joined(models.into_iter(), ", ")]),
    };
    let head = words("**{}**{}", [literal(control), place]);
    let lines = findings.iter().map(|finding| {
        let line = literal(&format!("{}:{}", finding.file, finding.line));
        let name = span("note", words("({})", [text(&finding.name)]));
        let pieces = [literal(&finding.code), line, prose(&finding.message), name];
        words("{} {}: {} {}", pieces)
    });
    let mut helps: Vec<&str> = Vec::new();
    for finding in findings {
        if !helps.contains(&finding.help.as_str()) {
            helps.push(&finding.help);
        }
    }
    let help = helps.into_iter().map(|text| help("Fix", text));
    Item {
        head,
        lines: lines.collect(),
        help: help.fold(Words::default(), |all, one| all + one),
    }
}

/// A finding at its place: the controls file, or the Terraform file it points into.
fn finding_item(finding: &Finding) -> Item {
    let place = literal(&format!("{}:{}", finding.file, finding.line));
    let control = finding.control.as_deref();
    let control = control.map(|id| words(" {}:", [literal(id)]));
    let (code, message) = (literal(&finding.code), prose(&finding.message));
    let name = span("note", words("({})", [text(&finding.name)]));
    let pieces = [code, place, control.unwrap_or_default(), message, name];
    Item {
        head: words("**{}** {}{} {} {}", pieces),
        lines: Vec::new(),
        help: help("Fix", &finding.help),
    }
}

fn model_title(deployment: &DeploymentReport, model: &str) -> Words {
    let in_use = deployment.models.iter().find(|m| m.id == model);
    text(in_use.map_or(model, |m| m.title.as_str()))
}

fn grid(deployment: &DeploymentReport, index: usize) -> Vec<Block> {
    let title = words("Ownership grid", []);
    let mut blocks = vec![Block::Heading(3, "", format!("d{index}-grid"), title)];
    let why = if deployment.foreign_provider {
        "The file names another provider than the loaded matrix's, so no control is judged."
    } else if deployment.models.is_empty() {
        "No service model is in use, so no control applies."
    } else {
        ""
    };
    if !why.is_empty() {
        blocks.push(Block::Paragraph("", words(why, [])));
        return blocks;
    }
    let swatch = |owner: &str, label: &'static str| {
        let swatch = span(&format!("swatch owner-{owner}"), Words::default());
        span("", swatch + words(label, []))
    };
    let shared = swatch("shared", " shared (customer and provider parts)");
    let legend = swatch("customer", " customer") + shared + swatch("provider", " provider");
    // Colour swatches are the one thing only HTML can show; the words follow the grid.
    let legend = Block::Paragraph("legend", legend);
    blocks.push(Block::ByFormat(Vec::new(), vec![legend]));
    let titles = deployment.models.iter().map(|model| text(&model.title));
    let mut columns = vec![(words("Control", []), Plain)];
    columns.extend(titles.map(|title| (title, Plain)));
    columns.extend([(words("Owner", []), Plain), (words("Status", []), Plain)]);
    let rows = deployment.controls.iter().map(|control| {
        let markdown = markdown_anchor(&deployment.file, &control.id);
        let html = format!("d{index}-{}", control.id);
        let id = link(&markdown, &html, literal(&control.id));
        let mut row = vec![cell(id)];
        row.extend(control.cells.iter().map(grid_cell));
        row.push(owner_cell(control.owner, Words::default()));
        row.push(cell(status_badge(control.status)));
        row
    });
    blocks.push(table("grid", true, columns, rows));
    let note = "Owner per model: customer, shared (customer and provider parts) or provider. Status: _claimed_, your part is claimed with no error and no claim-hygiene warning; _incomplete_, claimed, but a placeholder, no one accountable, no evidence, stub evidence (an empty or placeholder file) or an old or future review date stands against it; _inherited_, the provider's alone; _waived_, a gap under a waiver; _gap_, an error finding or an unclaimed part.";
    blocks.push(Block::Paragraph("note", words(note, [])));
    blocks
}

fn grid_cell(grid_cell: &GridCell) -> (String, Words) {
    let (Some(owner), Some(status)) = (grid_cell.owner, grid_cell.status) else {
        return ("owner-na".to_owned(), words("n/a", []));
    };
    owner_cell(owner, words(" · {}", [status_badge(status)]))
}

fn owner_cell(owner: MatrixOwner, after: Words) -> (String, Words) {
    let owner = owner.as_str();
    (format!("owner-{owner}"), known(owner) + after)
}

/// The Markdown anchor of a control (GitHub lower-cases headings and drops
/// punctuation, so the report writes explicit HTML anchors instead).
fn markdown_anchor(file: &str, control: &str) -> String {
    let slug = |c: char| match c.is_ascii_alphanumeric() {
        true => c.to_ascii_lowercase(),
        false => '-',
    };
    let control: String = control.chars().map(slug).collect();
    format!("{}--{control}", file.chars().map(slug).collect::<String>())
}

fn status_badge(status: Status) -> Words {
    let class = format!("status-{}", status.as_str());
    badge(&class, status.as_str(), status == Status::Gap)
}

fn waivers(deployment: &DeploymentReport) -> Vec<Block> {
    let title = words("Waivers ({})", [num(deployment.waivers.len())]);
    let mut blocks = vec![Block::Heading(3, "", String::new(), title)];
    if deployment.waivers.is_empty() {
        blocks.push(Block::Paragraph("", words("No waivers.", [])));
        return blocks;
    }
    let rows = deployment.waivers.iter().map(|waiver| {
        let state = match waiver.state {
            WaiverState::Active => badge("status-claimed", "active", false),
            WaiverState::Unused => badge("status-waived", "unused", false),
            WaiverState::Expired => badge("status-gap", "expired", true),
            WaiverState::Invalid => badge("status-gap", "invalid", true),
        };
        let days_left = waiver.days_left.map_or(words("—", []), num);
        let written = &waiver.waiver;
        let what = [&written.rule, &written.control, &written.reason];
        let who = [&written.approved_by, &written.ticket, &written.expires];
        let texts = what.into_iter().chain(who).map(optional);
        let line = [num(waiver.line)].into_iter();
        let last = [days_left, state, num(waiver.waived)];
        line.chain(texts).chain(last).map(cell).collect()
    });
    let labels =
        "Line|Rule|Control|Reason|Approved by|Ticket|Expires|Days left|State|Findings waived";
    let kinds = [
        Number, Plain, Plain, Plain, Plain, Plain, Date, Number, Plain, Number,
    ];
    blocks.push(table("", false, columns(labels, &kinds), rows));
    blocks
}

fn frameworks(deployment: &DeploymentReport, index: usize) -> Vec<Block> {
    let mut blocks = vec![heading(3, "", "", "Framework coverage")];
    if deployment.frameworks.is_empty() {
        let how =
            "No framework selected: set `frameworks` in `[deployment]` or pass `--framework ID`.";
        blocks.push(Block::Paragraph("note", words(how, [])));
        return blocks;
    }
    let how = "Each framework is counted over its whole catalogue, for this deployment only (not the customer's premises, people or processes outside it). _Covered_: every srmlint control linked to the requirement that you owe is claimed, with no gap and no claim-hygiene warning, through a link that holds it whole; your claims are the evidence, and it is not an auditor's finding that the requirement is met. _Incomplete_: as covered, but a claim still has a placeholder, no one accountable, no evidence, stub evidence or an old or future review date. _Open_: a linked control has a gap, waived or not. _Inherited_: only the provider holds it here, the link says the provider meets it whole, and the source names an attestation for the provider's part (your evidence for it is the provider's report, which you obtain and review yourself). _Inherited in part_: the provider covers a named part of it (for example the data centres), and the part named beside it stays yours: it is not met until you meet your part, which srmlint does not check. _Not applicable_: the controls linked to it do not apply to these services. _Not assessed_: srmlint cannot judge it: no control of the responsibility model speaks to it, the controls that do hold only part of it, or it is a duty you keep toward your provider, for which the provider's reports are evidence, not a substitute.";
    blocks.push(Block::Paragraph("note", words(how, [])));
    for framework in &deployment.frameworks {
        blocks.extend(framework_section(framework, deployment, index));
    }
    blocks
}

fn framework_section(
    framework: &FrameworkCoverage,
    deployment: &DeploymentReport,
    index: usize,
) -> Vec<Block> {
    let title = text(&framework.info.title);
    let heading = Block::Heading(4, "", format!("d{index}-fw-{}", framework.info.id), title);
    let counts = framework.counts;
    let shares = RequirementStatus::ALL.map(|status| {
        let label = format!("{} {}", counts.count(status), status.label());
        // A status nothing has is said plainly, never in an alarm's colours.
        let badge = match counts.count(status) {
            0 => badge("req-none", &label, false),
            _ => requirement_badge(status, &label, status == RequirementStatus::Open),
        };
        words("{} ({}%)", [badge, num(counts.percent(status))])
    });
    // The seven shares in `RequirementStatus::ALL` order.
    let [a, b, c, d, e, f, g] = shares;
    let sentence = "All {} requirements: {}, {}, {}, {}, {}, {}, {}.";
    let pieces = [num(counts.total), a, b, c, d, e, f, g];
    let label = RequirementStatus::ALL
        .map(|status| format!("{}% {}", counts.percent(status), status.label()))
        .join(", ");
    let parts = RequirementStatus::ALL
        .map(|status| (status.as_str(), counts.percent(status)))
        .to_vec();
    let sources = framework.info.checked_against.iter();
    let sources = sources.map(|source| literal(source));
    let checked = words(
        "Ids and titles checked against: {}.",
        [joined(sources, "; ")],
    );
    let paraphrased = framework
        .requirements
        .iter()
        .filter(|r| r.paraphrased)
        .count();
    let all_paraphrased = paraphrased == framework.requirements.len();
    let rows = framework.requirements.iter().map(|requirement| {
        let status = requirement.status;
        let badge = requirement_badge(status, status.label(), status == RequirementStatus::Open);
        let mut title = text(&requirement.title);
        if requirement.paraphrased && !all_paraphrased {
            title = title + words(" {}", [span("note", words("(paraphrased)", []))]);
        }
        let cells = [
            text(&requirement.id),
            title,
            badge,
            through(requirement, deployment, index),
        ];
        cells.map(cell).to_vec()
    });
    let labels = "Requirement|Title|Status|Through controls (control status; basis, extent)";
    let mut blocks = vec![
        heading,
        Block::Paragraph("note", text(&framework.info.reference)),
        Block::Paragraph("note", checked),
    ];
    if all_paraphrased {
        let why = "Every title here is srmlint's short description of the requirement, not the framework's own words.";
        blocks.push(Block::Paragraph("note", words(why, [])));
    } else if paraphrased > 0 {
        let why = "Titles marked (paraphrased) are srmlint's short descriptions, not the framework's own words.";
        blocks.push(Block::Paragraph("note", words(why, [])));
    }
    blocks.extend([
        Block::Paragraph("", words(sentence, pieces)),
        Block::Bar(label, parts),
        table("", true, columns(labels, &[]), rows),
    ]);
    for unmapped in &framework.unmapped_controls {
        let why = "{} is linked to no requirement of this framework: {}";
        let why = words(why, [literal(&unmapped.control), text(&unmapped.note)]);
        blocks.push(Block::Paragraph("note", why));
    }
    blocks
}

/// The controls a requirement rests on (linked to their sections; one that does not
/// apply here has none), and why a requirement that none settles is not assessed.
fn through(
    requirement: &RequirementCoverage,
    deployment: &DeploymentReport,
    index: usize,
) -> Words {
    let controls = requirement.controls.iter().map(|contribution| {
        let mut id = literal(&contribution.control);
        if deployment
            .controls
            .iter()
            .any(|c| c.id == contribution.control)
        {
            id = link("", &format!("d{index}-{}", contribution.control), id);
        }
        words("{} {}", [id, contribution_words(contribution)])
    });
    let mut out = joined(controls, "; ");
    if let Some(duty) = &requirement.customer_duty {
        let duty = words(
            "a duty you keep toward your provider, never inherited: {}",
            [text(duty)],
        );
        out = match out.markdown.is_empty() {
            true => duty,
            false => out + words(" — {}", [duty]),
        };
    }
    if out.markdown.is_empty() {
        return words("no srmlint control", []);
    }
    out
}

fn extent_words(extent: Extent) -> &'static str {
    match extent {
        Extent::Whole => "whole",
        Extent::Part => "part only",
    }
}

fn contribution_words(contribution: &Contribution) -> Words {
    let link = &contribution.link;
    let extent = extent_words(link.extent);
    // The control's own status; "inherited" beside a requirement that is not would
    // read as the requirement's, so a provider-held control is named as such.
    let status = match contribution.status {
        Status::Inherited => "provider's",
        Status::NotApplicable => "not in use here",
        status => status.as_str(),
    };
    let pieces = [known(status), known(link.basis.as_str()), known(extent)];
    let mut out = words("({}; {}, {})", pieces);
    if let (Some(provider), Some(customer)) = (&link.provider_scope, &link.customer_scope) {
        out = out
            + words(
                " — inherited part: {}; your part: {}",
                [text(provider), text(customer)],
            );
    }
    out
}

fn requirement_badge(status: RequirementStatus, label: &str, alarm: bool) -> Words {
    let class = match status {
        RequirementStatus::Covered => "req-covered",
        RequirementStatus::Incomplete => "req-incomplete",
        RequirementStatus::Open => "req-open",
        RequirementStatus::Inherited => "req-inherited",
        RequirementStatus::InheritedInPart => "req-inherited-part",
        RequirementStatus::NotApplicable => "owner-na",
        RequirementStatus::NotAssessed => "req-not-assessed",
    };
    badge(class, label, alarm)
}

fn control_section(control: &ControlReport, deployment: &DeploymentReport, index: usize) -> Block {
    let anchor = anchor(&markdown_anchor(&deployment.file, &control.id));
    let (id, title) = (literal(&control.id), text(&control.title));
    let headline = words(
        "{}{} {}: {}",
        [anchor, id, title, status_badge(control.status)],
    );
    let owner = control.owner.as_str();
    let owner = span(&format!("owner-{owner}"), known(owner));
    let source = words("(source: {})", [text(&control.source.to_string())]);
    let owner = words("{} {}", [owner, span("note", source)]);
    let mut facts = vec![fact(words("Matrix owner", []), owner)];
    for part in &control.customer_parts {
        let term = words("Your part ({})", [model_title(deployment, &part.model)]);
        facts.push(fact(term, prose(&part.scope)));
    }
    for part in &control.provider_parts {
        let term = words("Provider part ({})", [model_title(deployment, &part.model)]);
        let (parties, scope) = (text(&part.parties.join(", ")), prose(&part.scope));
        facts.push(fact(term, words("{}: {}", [parties, scope])));
    }
    if !control.attestations.is_empty() {
        let attestations = control.attestations.iter().map(|attestation| {
            let names = match attestation.attestations.as_slice() {
                [] => words("none named", []),
                names => text(&names.join(", ")),
            };
            let scope = attestation.scope.as_deref();
            let scope = scope.map_or_else(Words::default, |scope| words(" ({})", [text(scope)]));
            words("{}: {}{}", [text(&attestation.party), names, scope])
        });
        let term = words("Provider attestations the source names", []);
        facts.push(fact(term, joined(attestations, "; ")));
    }
    facts.extend(entry_facts(control));
    for finding in &control.findings {
        let (code, severity) = (literal(&finding.code), known(finding.severity.as_str()));
        let term = words("Finding {} ({})", [code, severity]);
        let value = words("line {}: {}", [num(finding.line), prose(&finding.message)]);
        facts.push(fact(term, value));
    }
    for mapping in &control.mappings {
        let links = mapping
            .links
            .iter()
            .map(|MappedLink { requirement, link }| {
                let basis = known(link.basis.as_str());
                let why = match &link.citation {
                    Some(citation) => text(citation),
                    None => text(link.reason.as_deref().unwrap_or_default()),
                };
                let extent = known(extent_words(link.extent));
                let pieces = [text(requirement), basis, extent, why];
                words("{} ({}, {}): {}", pieces)
            });
        let links = match mapping.links.is_empty() {
            true => words("no requirement: {}", [text(&mapping.note)]),
            false => joined(links, " · "),
        };
        facts.push(fact(text(&mapping.framework), links));
    }
    let heading = Block::Heading(4, "", String::new(), headline);
    let blocks = vec![heading, Block::Facts(false, facts)];
    Block::Group("div", "control", format!("d{index}-{}", control.id), blocks)
}

/// What the file says about a control: its entry, or that there is none.
fn entry_facts(control: &ControlReport) -> Vec<Fact> {
    let Some(claim) = &control.entry else {
        let none = if control.owner == MatrixOwner::Provider {
            let how =
                "none (inherited without acknowledgement; `owner = \"exoscale\"` would record it)";
            words(how, [])
        } else {
            let none = badge("status-gap", "none: nobody claims your part", false);
            words("**{}**", [none])
        };
        return vec![fact(words("Entry", []), none)];
    };
    let (line, owner) = (num(claim.line), optional(&claim.owner));
    let mut facts = vec![fact(
        words("Entry", []),
        words("line {}, owner {}", [line, owner]),
    )];
    let mut detail = |term: &'static str, value: Words| {
        facts.push(Fact(words(term, []), value, true));
    };
    if matches!(claim.owner.as_deref(), Some("customer" | "shared")) {
        detail("Accountable", optional(&claim.accountable));
        detail("Implementation", optional(&claim.implementation));
        let evidence = claim.evidence.iter().map(|value| {
            let print = claim
                .evidence_fingerprints
                .iter()
                .find(|print| &print.evidence == value);
            words(
                "{} ({})",
                [
                    literal(value),
                    print.map_or_else(|| words("not looked at", []), fingerprint_words),
                ],
            )
        });
        detail("Evidence", or_none(joined(evidence, "; ")));
        let reviewed = match (&claim.reviewed, claim.reviewed_days_ago) {
            (Some(date), Some(days)) if days >= 0 => {
                let days = usize::try_from(days).unwrap_or(usize::MAX);
                words("{} ({} ago)", [known(date), count(days, "day", "days")])
            }
            (Some(date), _) => words("{} (in the future)", [known(date)]),
            _ => words("never", []),
        };
        detail("Last review", reviewed);
    }
    if let Some(notes) = &claim.notes {
        detail("Notes", text(notes));
    }
    facts
}

/// What the report saw of an evidence item: the hash and last commit of a file, the
/// file count of a folder, or why there is nothing to show.
pub(super) fn fingerprint_words(print: &EvidenceFingerprint) -> Words {
    let commit = match (&print.last_commit, &print.note) {
        (Some(date), _) if date == "unknown" => words("last commit unknown: a shallow clone", []),
        (Some(date), _) => words("last commit {}", [known(date)]),
        (None, Some(note)) => text(note),
        (None, None) => words("no commit date", []),
    };
    match print.kind {
        "file" => {
            let sha = print.sha256.as_deref().unwrap_or_default();
            let bytes = usize::try_from(print.bytes.unwrap_or(0)).unwrap_or(usize::MAX);
            let size = count(bytes, "byte", "bytes");
            words("SHA-256 {}, {}, {}", [literal(sha), size, commit])
        }
        "folder" => {
            let files = count(print.files.unwrap_or(0), "file", "files");
            words("folder of {}, {}", [files, commit])
        }
        _ => text(print.note.as_deref().unwrap_or(print.kind)),
    }
}

fn warnings(deployment: &DeploymentReport) -> Vec<Block> {
    if deployment.warnings.is_empty() && deployment.waived.is_empty() {
        return Vec::new();
    }
    let warnings = deployment.warnings.iter();
    let mut items: Vec<Item> = warnings.map(finding_item).collect();
    for finding in &deployment.waived {
        let waiver = finding.waiver.as_ref().map(|waiver| {
            let (by, reason) = (text(&waiver.approved_by), text(&waiver.reason));
            let until = "(waived until {}, approved by {}: {})";
            let until = words(until, [known(&waiver.expires.to_string()), by, reason]);
            words(" {}", [span("note", until)])
        });
        let badge = badge("status-waived", "waived", false);
        let place = literal(&format!("{}:{}", finding.file, finding.line));
        let (code, message) = (literal(&finding.code), prose(&finding.message));
        let pieces = [badge, code, place, message, waiver.unwrap_or_default()];
        let head = words("{} **{}** {} {}{}", pieces);
        items.push(Item {
            head,
            lines: Vec::new(),
            help: Words::default(),
        });
    }
    let title = heading(3, "", "", "Warnings and waived findings");
    vec![title, Block::List(items)]
}

/// A file's optional value, or a dash.
fn optional(value: &Option<String>) -> Words {
    value.as_deref().map_or(words("—", []), text)
}

fn joined_or_none(parts: impl Iterator<Item = Words>, separator: &'static str) -> Words {
    or_none(joined(parts, separator))
}

fn or_none(joined: Words) -> Words {
    let empty = joined.markdown.is_empty();
    if empty { words("none", []) } else { joined }
}

fn joined(parts: impl Iterator<Item = Words>, separator: impl Into<Words>) -> Words {
    let (mut parts, separator) = (parts, separator.into());
    let first = parts.next().unwrap_or_default();
    parts.fold(first, |joined, part| joined + separator.clone() + part)
}

fn heading(level: usize, class: &'static str, id: &str, title: &'static str) -> Block {
    Block::Heading(level, class, id.to_owned(), words(title, []))
}

fn fact(term: Words, value: Words) -> Fact {
    Fact(term, value, false)
}

fn cell(content: Words) -> (String, Words) {
    (String::new(), content)
}

/// Columns named in `labels` (split at `|`), of the given kinds (plain past the end).
fn columns(labels: &'static str, kinds: &[ColumnKind]) -> Vec<(Words, ColumnKind)> {
    let kind = |index| kinds.get(index).copied().unwrap_or(Plain);
    let labels = labels.split('|').enumerate();
    labels
        .map(|(index, label)| (known(label), kind(index)))
        .collect()
}

fn table(
    class: &'static str,
    row_headers: bool,
    columns: Vec<(Words, ColumnKind)>,
    rows: impl Iterator<Item = Vec<(String, Words)>>,
) -> Block {
    let rows = rows.collect();
    Block::Table(Table(class, row_headers, columns, rows))
}
