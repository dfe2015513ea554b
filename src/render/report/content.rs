//! What the posture report says, once for every format: `document` turns the report
//! model into a `doc::Document` holding all of the report's wording. Where Markdown and
//! HTML have always said a thing differently, `either` (a phrase) or
//! `Block::ByFormat` (blocks) keeps both side by side.

use super::doc::ColumnKind::{self, Date, Number, Plain};
use super::doc::{Block, Document, Fact, Table, Words};
use super::doc::{badge, either, help, known, link, literal, num, span, text, words};
use crate::data::frameworks::Basis;
use crate::data::matrix::MatrixOwner;
use crate::posture::{
    ControlReport, DeploymentReport, Finding, FrameworkCoverage, GridCell, PostureReport,
    RequirementStatus, Status, WaiverState,
};

const TITLE: &str = "Pre-audit posture report";

pub fn document(report: &PostureReport) -> Document {
    let title = match report.deployments.as_slice() {
        [only] => format!("{TITLE}: {}", only.name.as_deref().unwrap_or(&only.file)),
        _ => TITLE.to_owned(),
    };
    let meta = "Report date {} · matrix: {} · srmlint {}";
    let (today, matrix) = (known(&report.today), text(&report.matrix));
    let meta = words(meta, [today, matrix, known(env!("CARGO_PKG_VERSION"))]);
    let header = vec![heading(1, "", "", TITLE), Block::Paragraph("meta", meta)];
    let mut blocks = vec![Block::Group("header", "", String::new(), header)];
    if report.deployments.len() > 1 {
        blocks.push(overview(&report.deployments));
    }
    for (index, deployment) in report.deployments.iter().enumerate() {
        blocks.push(deployment_section(deployment, index));
    }
    Document { title, blocks }
}

fn overview(deployments: &[DeploymentReport]) -> Block {
    let rows = deployments.iter().enumerate().map(|(index, deployment)| {
        let name = link("", &format!("d{index}"), deployment_name(deployment));
        let (counts, gaps) = (deployment.counts, deployment.gaps.len());
        let numbers = [counts.applicable, counts.claimed, counts.inherited, gaps];
        let cells = [name, literal(&deployment.file)].into_iter();
        cells.chain(numbers.map(num)).map(cell).collect()
    });
    let labels = "Deployment|File|Controls|Claimed|Inherited|Gaps (findings)";
    let kinds = [Plain, Plain, Number, Number, Number, Number];
    let table = table("", false, columns(labels, &kinds), rows);
    let heading = heading(2, "first", "", "Deployments");
    let blocks = vec![Block::ByFormat(Vec::new(), vec![heading]), table];
    Block::Group("section", "", "overview".to_owned(), blocks)
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
    let services = deployment.services.iter().map(|service| {
        let entry = service.title.as_deref().zip(service.model.as_deref());
        let entry = entry.map(|(title, model)| (text(title), known(model)));
        in_catalog(&service.id, entry)
    });
    add("Services", joined_or_none(services, "; "));
    let zones = deployment.zones.iter().map(|zone| {
        let entry = zone.city.as_deref().zip(zone.country.as_deref());
        in_catalog(
            &zone.id,
            entry.map(|(city, country)| (known(city), known(country))),
        )
    });
    add("Zones", joined_or_none(zones, "; "));
    let residency = deployment.residency.as_deref();
    let residency = residency.map_or(words("not declared", []), text);
    add("Residency", residency);
    let regulated = deployment.regulated.iter().map(|sector| text(sector));
    add("Regulated sectors", joined_or_none(regulated, ", "));
    let selected = deployment.frameworks.iter().map(|f| text(&f.title));
    let unknown = deployment.unknown_frameworks.iter();
    let unknown = unknown.map(|framework| words("{} (no mapping)", [text(framework)]));
    add("Frameworks", joined_or_none(selected.chain(unknown), "; "));
    let counts = deployment.counts;
    let [customer, shared, provider] = [counts.customer, counts.shared, counts.provider].map(num);
    let owners = [num(counts.applicable), customer, shared, provider];
    let applicable = words("{} ({} customer, {} shared, {} provider)", owners);
    add("Controls that apply", applicable);
    let with_a_gap = format!("{} with a gap", counts.gap);
    let class = match counts.gap {
        0 => "status-claimed",
        _ => "status-gap",
    };
    let (gap, gap_badge) = (known(&with_a_gap), badge(class, &with_a_gap, false));
    let [claimed, inherited, waived] = [counts.claimed, counts.inherited, counts.waived].map(num);
    let markdown = "**{0}**, {2} claimed, {3} inherited, {4} waived";
    let html = "{1} {2} claimed, {3} inherited, {4} waived";
    let by_status = either(markdown, html, [gap, gap_badge, claimed, inherited, waived]);
    add("Controls by status", by_status);
    let summary = deployment.summary;
    let warnings = summary.warnings + summary.infos;
    let found = [summary.errors, warnings, summary.waived].map(num);
    let findings = words("{} error(s), {} warning(s), {} waived", found);
    add("Findings", findings);
    Block::Facts(false, facts)
}

/// An id with the two things the catalog says of it, or word that it is not there.
fn in_catalog(id: &str, entry: Option<(Words, Words)>) -> Words {
    match entry {
        Some((first, second)) => words("{} ({}, {})", [literal(id), first, second]),
        None => words("{} (not in the catalog)", [literal(id)]),
    }
}

fn gaps(deployment: &DeploymentReport, index: usize) -> Vec<Block> {
    let title = words("Gaps ({})", [num(deployment.gaps.len())]);
    let heading = Block::Heading(3, "", format!("d{index}-gaps"), title);
    if deployment.gaps.is_empty() {
        let none = words("No gaps: every error-level check passes.", []);
        return vec![heading, Block::Paragraph("", none)];
    }
    let file = &deployment.file;
    let items = deployment.gaps.iter().map(|gap| finding_item(gap, file));
    vec![heading, Block::List(items.collect())]
}

fn finding_item(finding: &Finding, file: &str) -> (Words, Words) {
    let place = literal(&format!("{file}:{}", finding.line));
    let control = finding.control.as_deref();
    let control = control.map(|id| words(" `{}`:", [known(id)]));
    let (code, message) = (known(&finding.code), text(&finding.message));
    let name = span("note", words("({})", [known(&finding.name)]));
    let pieces = [code, place, control.unwrap_or_default(), message, name];
    let advice = help("Fix", &finding.help);
    (words("**{}** {}{} {} {}", pieces), advice)
}

fn grid(deployment: &DeploymentReport, index: usize) -> Vec<Block> {
    let title = words("Ownership grid", []);
    let mut blocks = vec![Block::Heading(3, "", format!("d{index}-grid"), title)];
    if deployment.foreign_provider {
        // As text, not as words: HTML has always written the apostrophe as an entity.
        let why =
            "The file names another provider than the loaded matrix's, so no control is judged.";
        blocks.push(Block::Paragraph("", text(why)));
        return blocks;
    }
    if deployment.models.is_empty() {
        let why = "No service model is in use, so no control applies.";
        blocks.push(Block::Paragraph("", words(why, [])));
        return blocks;
    }
    let swatch = |owner: &str, label: &'static str| {
        let swatch = span(&format!("swatch owner-{owner}"), Words::default());
        span("", swatch + words(label, []))
    };
    let shared = swatch("shared", " shared (customer and provider parts)");
    let legend = swatch("customer", " customer") + shared + swatch("provider", " provider");
    let legend = Block::Paragraph("legend", legend);
    blocks.push(Block::ByFormat(Vec::new(), vec![legend]));
    let titles = deployment.models.iter().map(|model| text(&model.title));
    let mut columns = vec![(words("Control", []), Plain)];
    columns.extend(titles.map(|title| (title, Plain)));
    columns.extend([(words("Owner", []), Plain), (words("Status", []), Plain)]);
    let rows = deployment.controls.iter().map(|control| {
        let markdown = markdown_anchor(&deployment.file, &control.id);
        let html = format!("d{index}-{}", control.id);
        let id = link(&markdown, &html, words("`{}`", [known(&control.id)]));
        let mut row = vec![cell(id)];
        row.extend(control.cells.iter().map(grid_cell));
        row.push(owner_cell(control.owner, Words::default()));
        row.push(cell(status_badge(control.status)));
        row
    });
    blocks.push(table("grid", true, columns, rows));
    let markdown = "Owner per model: customer, shared (customer and provider parts) or provider. Status: claimed (your part is claimed with no error), inherited (the provider's alone), waived (a gap under a waiver), GAP (an error finding or an unclaimed part).";
    let html = "Status: _claimed_ — your part is claimed with no error; _inherited_ — the provider's alone; _waived_ — a gap under a waiver; _gap_ — an error finding or an unclaimed part.";
    let markdown = Block::Paragraph("", words(markdown, []));
    let html = Block::Paragraph("note", words(html, []));
    blocks.push(Block::ByFormat(vec![markdown], vec![html]));
    blocks
}

fn grid_cell(grid_cell: &GridCell) -> (String, Words) {
    let (Some(owner), Some(status)) = (grid_cell.owner, grid_cell.status) else {
        return ("owner-na".to_owned(), either("—", "n/a", []));
    };
    owner_cell(owner, either(" · {}", " {}", [status_badge(status)]))
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
    format!("{}--{control}", file.chars().map(slug).collect::<String>())
}

fn status_badge(status: Status) -> Words {
    let class = match status {
        Status::Inherited => "status-inherited",
        Status::Claimed => "status-claimed",
        Status::Waived => "status-waived",
        Status::Gap => "status-gap",
    };
    badge(class, status.as_str(), status == Status::Gap)
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
        let what = [&waiver.rule, &waiver.control, &waiver.reason];
        let who = [&waiver.approved_by, &waiver.ticket, &waiver.expires];
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
    let how = "No framework selected: set `frameworks` in `[deployment]` or pass `--framework ID`.";
    let how = || Block::Paragraph("note", words(how, []));
    // HTML heads the coverage of all frameworks; Markdown heads only the note that
    // there is none, and gives each framework a heading of that level.
    let mut markdown = Vec::new();
    let mut html = vec![heading(3, "", "", "Framework coverage")];
    if deployment.frameworks.is_empty() {
        markdown = vec![heading(3, "", "", "Frameworks"), how()];
        html.push(how());
    }
    let mut blocks = vec![Block::ByFormat(markdown, html)];
    for framework in &deployment.frameworks {
        blocks.extend(framework_section(framework, index));
    }
    blocks
}

fn framework_section(framework: &FrameworkCoverage, index: usize) -> Vec<Block> {
    let title = text(&framework.title);
    let markdown_heading = Block::Heading(3, "", String::new(), title.clone());
    let html_heading = Block::Heading(4, "", format!("d{index}-fw-{}", framework.id), title);
    let counts = framework.counts;
    let covered = counts.covered_percent;
    let (inherited, open) = (counts.inherited_percent, counts.open_percent);
    let share = |count: usize, percent: u32, status: RequirementStatus| {
        let label = format!("{count} {}", status.as_str());
        let badge = requirement_badge(status, &label);
        either("{} ({}%)", "{2} {1}%", [known(&label), num(percent), badge])
    };
    let shares = [
        share(counts.covered, covered, RequirementStatus::Covered),
        share(counts.inherited, inherited, RequirementStatus::Inherited),
        share(counts.open, open, RequirementStatus::Open),
    ];
    let shares = either("**{}**, {}, **{}**", "{}, {}, {}", shares);
    let sentence = "Of {} requirements that apply: {}; {} not applicable to this deployment.";
    let (applicable, not_applicable) = (num(counts.applicable), num(counts.not_applicable));
    let sentence = words(sentence, [applicable, shares, not_applicable]);
    let label = format!("{covered}% covered, {inherited}% inherited, {open}% open");
    let parts = vec![
        ("covered", covered),
        ("inherited", inherited),
        ("open", open),
    ];
    let applicable = (framework.requirements.iter())
        .filter(|requirement| requirement.status != RequirementStatus::NotApplicable);
    let rows = applicable.map(|requirement| {
        let controls = requirement.controls.iter().map(|contribution| {
            let id = words("`{}`", [known(&contribution.control)]);
            let id = link("", &format!("d{index}-{}", contribution.control), id);
            let (status, basis) = (contribution.status.as_str(), basis_word(contribution.basis));
            words("{} {} ({})", [id, known(status), known(basis)])
        });
        let status = requirement_badge(requirement.status, requirement.status.as_str());
        let (id, title) = (text(&requirement.id), text(&requirement.title));
        let cells = [id, title, status, joined(controls, ", ")];
        cells.map(cell).to_vec()
    });
    let labels = "Requirement|Title|Status|Through controls (basis)";
    let mut blocks = vec![
        Block::ByFormat(vec![markdown_heading], vec![html_heading]),
        Block::Paragraph("note", text(&framework.reference)),
        Block::Paragraph("", sentence),
        Block::Bar(label, parts),
        table("", true, columns(labels, &[]), rows),
    ];
    for unmapped in &framework.unmapped_controls {
        let why = "`{}` maps to no requirement of this framework: {}";
        let why = words(why, [known(&unmapped.control), text(&unmapped.note)]);
        blocks.push(Block::Paragraph("note", why));
    }
    blocks
}

fn requirement_badge(status: RequirementStatus, label: &str) -> Words {
    let class = match status {
        RequirementStatus::Covered => "req-covered",
        RequirementStatus::Inherited => "req-inherited",
        RequirementStatus::Open => "req-open",
        RequirementStatus::NotApplicable => "owner-na",
    };
    badge(class, label, status == RequirementStatus::Open)
}

fn basis_word(basis: Basis) -> &'static str {
    match basis {
        Basis::Cited => "cited",
        Basis::Judgement => "judgement",
    }
}

fn control_section(control: &ControlReport, deployment: &DeploymentReport, index: usize) -> Block {
    let anchor = markdown_anchor(&deployment.file, &control.id);
    let anchor = known(&format!("<a id=\"{anchor}\"></a>"));
    let (id, title) = (known(&control.id), text(&control.title));
    let pieces = [anchor, id, title, status_badge(control.status)];
    let headline = either("{}`{}` {}: {}", "`{1}` {} {}", pieces);
    let owner = control.owner.as_str();
    let owner = span(&format!("owner-{owner}"), known(owner));
    let source = words("(source: {})", [text(&control.source.to_string())]);
    let owner = words("{} {}", [owner, span("note", source)]);
    let mut facts = vec![fact(words("Matrix owner", []), owner)];
    let model_title = |model: &str| {
        let in_use = deployment.models.iter().find(|m| m.id == model);
        known(in_use.map_or(model, |m| m.title.as_str()))
    };
    for part in &control.customer_parts {
        let term = words("Your part ({})", [model_title(&part.model)]);
        facts.push(fact(term, text(&part.scope)));
    }
    for part in &control.provider_parts {
        let (model, parties) = (model_title(&part.model), text(&part.parties.join(", ")));
        let (markdown, html) = ("Provider part ({}, {})", "Provider part ({})");
        let term = either(markdown, html, [model, parties.clone()]);
        let scope = either("{1}", "{}: {}", [parties, text(&part.scope)]);
        facts.push(fact(term, scope));
    }
    if !control.attestations.is_empty() {
        let attestations = control.attestations.iter().map(|attestation| {
            let names = text(&attestation.attestations.join(", "));
            words("{}: {}", [text(&attestation.party), names])
        });
        let attestations = [joined(attestations, "; ")];
        let markdown = "Inherited on the attestations of {}";
        let term = either(markdown, "Inherited on", attestations.clone());
        facts.push(fact(term, either("", "{}", attestations)));
    }
    facts.extend(entry_facts(control));
    for finding in &control.findings {
        let (code, line) = (known(&finding.code), num(finding.line));
        let pieces = [code, known(finding.severity.as_str()), line.clone()];
        let term = either("Finding {} ({}, line {})", "{} ({})", pieces);
        let message = [line, text(&finding.message)];
        facts.push(fact(term, either("{1}", "line {}: {}", message)));
    }
    for mapping in &control.mappings {
        let requirements = match mapping.requirements.as_slice() {
            [] => words("nothing", []),
            requirements => text(&requirements.join(", ")),
        };
        let citation = mapping.citation.as_deref();
        let citation = citation.map(|citation| words(": {}", [text(citation)]));
        let basis = known(basis_word(mapping.basis)) + citation.unwrap_or_default();
        let value = [requirements, span("note", words("({})", [basis]))];
        facts.push(fact(known(&mapping.framework), words("{} {}", value)));
    }
    let blocks = vec![heading_of(4, headline), Block::Facts(false, facts)];
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
            let html = badge("status-gap", "none: nobody claims your part", true);
            either("**none**: nobody claims your part", "{}", [html])
        };
        return vec![fact(words("Entry", []), none)];
    };
    let (line, owner) = (num(claim.line), optional(&claim.owner));
    let term = either("Entry (line {})", "Entry", [line.clone()]);
    let value = either("owner {1}", "line {}, owner {}", [line, owner]);
    let mut facts = vec![fact(term, value)];
    let mut detail = |term: &'static str, value: Words| {
        facts.push(Fact(words(term, []), value, true));
    };
    if matches!(claim.owner.as_deref(), Some("customer" | "shared")) {
        detail("Accountable", optional(&claim.accountable));
        detail("Implementation", optional(&claim.implementation));
        let evidence = claim.evidence.iter().map(|path| literal(path));
        let evidence = or_none(joined(evidence, either("; ", "<br>", [])));
        detail("Evidence", evidence);
        let reviewed = match (&claim.reviewed, claim.reviewed_days_ago) {
            (Some(date), Some(days)) if days >= 0 => {
                words("{} ({} days ago)", [known(date), num(days)])
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

fn warnings(deployment: &DeploymentReport) -> Vec<Block> {
    if deployment.warnings.is_empty() && deployment.waived.is_empty() {
        return Vec::new();
    }
    let file = &deployment.file;
    let warnings = deployment.warnings.iter();
    let mut items: Vec<_> = warnings
        .map(|finding| finding_item(finding, file))
        .collect();
    for finding in &deployment.waived {
        let waiver = finding.waiver.as_ref().map(|waiver| {
            let (by, reason) = (text(&waiver.approved_by), text(&waiver.reason));
            let until = "(waived until {}, approved by {}: {})";
            let until = words(until, [known(&waiver.expires.to_string()), by, reason]);
            words(" {}", [span("note", until)])
        });
        let badge = badge("status-waived", "waived", false);
        let place = literal(&format!("{file}:{}", finding.line));
        let (code, message) = (known(&finding.code), text(&finding.message));
        let pieces = [badge, code, place, message, waiver.unwrap_or_default()];
        let content = either("(waived) **{1}** {} {}{}", "{} **{}** {} {}{}", pieces);
        items.push((content, Words::default()));
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

fn heading_of(level: usize, title: Words) -> Block {
    Block::Heading(level, "", String::new(), title)
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
