//! What the posture report says, once for every format: `document` turns the report
//! model into a `doc::Document` holding all of the report's wording. Where Markdown and
//! HTML have always said a thing differently, `by_format` keeps both side by side.

use super::doc::ColumnKind::{self, Date, Number, Plain};
use super::doc::{Block, Document, Fact, Table, Words};
use super::doc::{badge, by_format, help, known, link, literal, num, span, text, words};
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
    let header = vec![heading(1, "", TITLE), Block::Paragraph("meta", meta)];
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
        let mut row = vec![cell(name), cell(literal(&deployment.file))];
        row.extend(numbers.map(|number| cell(num(number))));
        row
    });
    let columns = [
        ("Deployment", Plain),
        ("File", Plain),
        ("Controls", Number),
        ("Claimed", Number),
        ("Inherited", Number),
        ("Gaps (findings)", Number),
    ];
    let heading = html_only(heading(2, "first", "Deployments"));
    let blocks = vec![heading, table("", false, columns, rows)];
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
    let file = fact("File", literal(&deployment.file));
    if deployment.parsed {
        blocks.push(summary(file, deployment));
        blocks.extend(gaps(deployment, index));
        blocks.extend(grid(deployment, index));
        blocks.extend(waivers(deployment));
        blocks.extend(frameworks(deployment, index));
        if !deployment.controls.is_empty() {
            blocks.push(heading(3, "", "Controls"));
        }
        for control in &deployment.controls {
            blocks.push(control_section(control, deployment, index));
        }
        blocks.extend(warnings(deployment));
    } else {
        let why = "This file could not be read as a controls file, so no control can be judged. Fix the gaps below first.";
        blocks.push(Block::Facts(true, vec![file]));
        blocks.push(paragraph("", why));
        blocks.extend(gaps(deployment, index));
    }
    Block::Group("section", "deployment", format!("d{index}"), blocks)
}

fn summary(file: Fact, deployment: &DeploymentReport) -> Block {
    let mut facts = vec![file];
    let mut add = |term: &'static str, value: Words| facts.push(fact(term, value));
    if let Some(provider) = &deployment.provider {
        add("Provider", text(provider));
    }
    let services = deployment.services.iter().map(|service| {
        let id = literal(&service.id);
        match (&service.title, &service.model) {
            (Some(title), Some(model)) => words("{} ({}, {})", [id, text(title), known(model)]),
            _ => words("{} (not in the catalog)", [id]),
        }
    });
    add("Services", or_none(joined(services, "; ")));
    let zones = deployment.zones.iter().map(|zone| {
        let id = literal(&zone.id);
        match (&zone.city, &zone.country) {
            (Some(city), Some(country)) => words("{} ({}, {})", [id, known(city), known(country)]),
            _ => words("{} (not in the catalog)", [id]),
        }
    });
    add("Zones", or_none(joined(zones, "; ")));
    let residency = deployment.residency.as_deref();
    add(
        "Residency",
        residency.map_or(words("not declared", []), text),
    );
    let regulated = deployment.regulated.iter().map(|sector| text(sector));
    add("Regulated sectors", or_none(joined(regulated, ", ")));
    let selected = deployment.frameworks.iter().map(|f| text(&f.title));
    let unknown = deployment.unknown_frameworks.iter();
    let unknown = unknown.map(|framework| words("{} (no mapping)", [text(framework)]));
    add("Frameworks", or_none(joined(selected.chain(unknown), "; ")));
    let counts = deployment.counts;
    let parts = [
        counts.applicable,
        counts.customer,
        counts.shared,
        counts.provider,
    ];
    let applicable = "{} ({} customer, {} shared, {} provider)";
    add("Controls that apply", words(applicable, parts.map(num)));
    let with_a_gap = format!("{} with a gap", counts.gap);
    let class = if counts.gap == 0 {
        "status-claimed"
    } else {
        "status-gap"
    };
    let markdown = words("**{}**, ", [known(&with_a_gap)]);
    let html = words("{} ", [badge(class, &with_a_gap, false)]);
    let [claimed, inherited, waived] = [counts.claimed, counts.inherited, counts.waived].map(num);
    let by_status = "{}{} claimed, {} inherited, {} waived";
    let by_status = words(
        by_status,
        [by_format(markdown, html), claimed, inherited, waived],
    );
    add("Controls by status", by_status);
    let summary = deployment.summary;
    let findings = [
        summary.errors,
        summary.warnings + summary.infos,
        summary.waived,
    ];
    let findings_words = "{} error(s), {} warning(s), {} waived";
    add("Findings", words(findings_words, findings.map(num)));
    Block::Facts(false, facts)
}

fn gaps(deployment: &DeploymentReport, index: usize) -> Vec<Block> {
    let title = words("Gaps ({})", [num(deployment.gaps.len())]);
    let heading = Block::Heading(3, "", format!("d{index}-gaps"), title);
    if deployment.gaps.is_empty() {
        return vec![
            heading,
            paragraph("", "No gaps: every error-level check passes."),
        ];
    }
    let items = deployment
        .gaps
        .iter()
        .map(|gap| finding_item(gap, &deployment.file));
    vec![heading, Block::List(items.collect())]
}

fn finding_item(finding: &Finding, file: &str) -> (Words, Words) {
    let place = literal(&format!("{file}:{}", finding.line));
    let mut content = words("**{}** {}", [known(&finding.code), place]);
    if let Some(control) = &finding.control {
        content = content + words(" `{}`:", [known(control)]);
    }
    let name = note(words("({})", [known(&finding.name)]));
    content = content + words(" {} {}", [text(&finding.message), name]);
    (content, help("Fix", &finding.help))
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
        blocks.push(paragraph("", why));
        return blocks;
    }
    let swatch = |owner: &str, label: &'static str| {
        let swatch = span(&format!("swatch owner-{owner}"), Words::default());
        span("", swatch + words(label, []))
    };
    let customer = swatch("customer", " customer");
    let shared = swatch("shared", " shared (customer and provider parts)");
    let legend = customer + shared + swatch("provider", " provider");
    blocks.push(html_only(Block::Paragraph("legend", legend)));
    let models = deployment
        .models
        .iter()
        .map(|model| (text(&model.title), Plain));
    let mut columns = vec![(words("Control", []), Plain)];
    columns.extend(models);
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
    let rows = rows.collect();
    blocks.push(Block::Table(Table {
        class: "grid",
        row_headers: true,
        columns,
        rows,
    }));
    let markdown = "Owner per model: customer, shared (customer and provider parts) or provider. Status: claimed (your part is claimed with no error), inherited (the provider's alone), waived (a gap under a waiver), GAP (an error finding or an unclaimed part).";
    let html = "Status: _claimed_ — your part is claimed with no error; _inherited_ — the provider's alone; _waived_ — a gap under a waiver; _gap_ — an error finding or an unclaimed part.";
    let (markdown, html) = (paragraph("", markdown), paragraph("note", html));
    blocks.push(Block::ByFormat(vec![markdown], vec![html]));
    blocks
}

fn grid_cell(grid_cell: &GridCell) -> (String, Words) {
    match (grid_cell.owner, grid_cell.status) {
        (Some(owner), Some(status)) => {
            let separator = by_format(words(" · ", []), words(" ", []));
            owner_cell(owner, separator + status_badge(status))
        }
        _ => (
            "owner-na".to_owned(),
            by_format(words("—", []), words("n/a", [])),
        ),
    }
}

fn owner_cell(owner: MatrixOwner, after: Words) -> (String, Words) {
    let owner = owner.as_str();
    (format!("owner-{owner}"), words(owner, []) + after)
}

/// The Markdown anchor of a control (GitHub lower-cases headings and drops
/// punctuation, so the report writes explicit HTML anchors instead).
fn markdown_anchor(file: &str, control: &str) -> String {
    let slug = |c: char| {
        if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '-'
        }
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
        blocks.push(paragraph("", "No waivers."));
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
        let texts = [
            &waiver.rule,
            &waiver.control,
            &waiver.reason,
            &waiver.approved_by,
        ];
        let texts = texts.into_iter().chain([&waiver.ticket, &waiver.expires]);
        let mut row = vec![cell(num(waiver.line))];
        row.extend(texts.map(|value| cell(optional(value))));
        row.extend([days_left, state, num(waiver.waived)].map(cell));
        row
    });
    let columns = [
        ("Line", Number),
        ("Rule", Plain),
        ("Control", Plain),
        ("Reason", Plain),
        ("Approved by", Plain),
        ("Ticket", Plain),
        ("Expires", Date),
        ("Days left", Number),
        ("State", Plain),
        ("Findings waived", Number),
    ];
    blocks.push(table("", false, columns, rows));
    blocks
}

fn frameworks(deployment: &DeploymentReport, index: usize) -> Vec<Block> {
    let how = "No framework selected: set `frameworks` in `[deployment]` or pass `--framework ID`.";
    // HTML heads the coverage of all frameworks; Markdown heads only the note that
    // there is none, and gives each framework a heading of that level.
    let mut markdown = Vec::new();
    let mut html = vec![heading(3, "", "Framework coverage")];
    if deployment.frameworks.is_empty() {
        markdown = vec![heading(3, "", "Frameworks"), paragraph("note", how)];
        html.push(paragraph("note", how));
    }
    let mut blocks = vec![Block::ByFormat(markdown, html)];
    for framework in &deployment.frameworks {
        blocks.extend(framework_section(framework, index));
    }
    blocks
}

fn framework_section(framework: &FrameworkCoverage, index: usize) -> Vec<Block> {
    let (title, id) = (
        text(&framework.title),
        format!("d{index}-fw-{}", framework.id),
    );
    let markdown = vec![Block::Heading(3, "", String::new(), title.clone())];
    let heading = Block::ByFormat(markdown, vec![Block::Heading(4, "", id, title)]);
    let counts = framework.counts;
    let covered = (
        counts.covered,
        counts.covered_percent,
        RequirementStatus::Covered,
    );
    let inherited = (
        counts.inherited,
        counts.inherited_percent,
        RequirementStatus::Inherited,
    );
    let open = (counts.open, counts.open_percent, RequirementStatus::Open);
    let [covered, inherited, open] = [covered, inherited, open].map(|(count, percent, status)| {
        let label = format!("{count} {}", status.as_str());
        let markdown = words("{} ({}%)", [known(&label), num(percent)]);
        let html = words("{} {}%", [requirement_badge(status, &label), num(percent)]);
        (markdown, html)
    });
    let markdown = words("**{}**, {}, **{}**", [covered.0, inherited.0, open.0]);
    let html = words("{}, {}, {}", [covered.1, inherited.1, open.1]);
    let sentence = "Of {} requirements that apply: {}; {} not applicable to this deployment.";
    let (applicable, not_applicable) = (num(counts.applicable), num(counts.not_applicable));
    let sentence = words(
        sentence,
        [applicable, by_format(markdown, html), not_applicable],
    );
    let percents = [
        counts.covered_percent,
        counts.inherited_percent,
        counts.open_percent,
    ];
    let [covered, inherited, open] = percents;
    let label = format!("{covered}% covered, {inherited}% inherited, {open}% open");
    let bar = Block::Bar(
        label,
        vec![
            ("covered", covered),
            ("inherited", inherited),
            ("open", open),
        ],
    );
    let applicable = (framework.requirements.iter())
        .filter(|requirement| requirement.status != RequirementStatus::NotApplicable);
    let rows = applicable.map(|requirement| {
        let controls = requirement.controls.iter().map(|contribution| {
            let id = words("`{}`", [known(&contribution.control)]);
            let id = link("", &format!("d{index}-{}", contribution.control), id);
            let status = words(contribution.status.as_str(), []);
            words(
                "{} {} ({})",
                [id, status, words(basis_word(contribution.basis), [])],
            )
        });
        let status = requirement_badge(requirement.status, requirement.status.as_str());
        let (id, title) = (text(&requirement.id), text(&requirement.title));
        [id, title, status, joined(controls, ", ")]
            .map(cell)
            .to_vec()
    });
    let columns = [
        ("Requirement", Plain),
        ("Title", Plain),
        ("Status", Plain),
        ("Through controls (basis)", Plain),
    ];
    let reference = Block::Paragraph("note", text(&framework.reference));
    let table = table("", true, columns, rows);
    let mut blocks = vec![
        heading,
        reference,
        Block::Paragraph("", sentence),
        bar,
        table,
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
    let anchor = by_format(known(&format!("<a id=\"{anchor}\"></a>")), Words::default());
    let (id, title) = (known(&control.id), text(&control.title));
    let colon = by_format(words(": ", []), words(" ", []));
    let heading = words(
        "{}`{}` {}{}{}",
        [anchor, id, title, colon, status_badge(control.status)],
    );
    let owner = control.owner.as_str();
    let owner = span(&format!("owner-{owner}"), words(owner, []));
    let source = note(words("(source: {})", [text(&control.source.to_string())]));
    let mut facts = vec![fact("Matrix owner", words("{} {}", [owner, source]))];
    let model_title = |model: &str| {
        let in_use = deployment.models.iter().find(|m| m.id == model);
        known(in_use.map_or(model, |m| m.title.as_str()))
    };
    for part in &control.customer_parts {
        let term = words("Your part ({})", [model_title(&part.model)]);
        facts.push(fact_of(term, text(&part.scope)));
    }
    for part in &control.provider_parts {
        let (model, parties) = (model_title(&part.model), text(&part.parties.join(", ")));
        let markdown = words("Provider part ({}, {})", [model.clone(), parties.clone()]);
        let term = by_format(markdown, words("Provider part ({})", [model]));
        let value = html_only_words("{}: ", parties) + text(&part.scope);
        facts.push(fact_of(term, value));
    }
    if !control.attestations.is_empty() {
        let attestations = control.attestations.iter().map(|attestation| {
            let names = text(&attestation.attestations.join(", "));
            words("{}: {}", [text(&attestation.party), names])
        });
        let attestations = joined(attestations, "; ");
        let markdown = words(
            "Inherited on the attestations of {}",
            [attestations.clone()],
        );
        let term = by_format(markdown, words("Inherited on", []));
        facts.push(fact_of(term, by_format(Words::default(), attestations)));
    }
    facts.extend(entry_facts(control));
    for finding in &control.findings {
        let (code, line) = (known(&finding.code), num(finding.line));
        let severity = words(finding.severity.as_str(), []);
        let markdown = "Finding {} ({}, line {})";
        let markdown = words(markdown, [code.clone(), severity.clone(), line.clone()]);
        let term = by_format(markdown, words("{} ({})", [code, severity]));
        let value = html_only_words("line {}: ", line) + text(&finding.message);
        facts.push(fact_of(term, value));
    }
    for mapping in &control.mappings {
        let requirements = if mapping.requirements.is_empty() {
            words("nothing", [])
        } else {
            text(&mapping.requirements.join(", "))
        };
        let citation = mapping
            .citation
            .as_deref()
            .map(|c| words(": {}", [text(c)]));
        let basis = words(basis_word(mapping.basis), []);
        let basis = note(words("({}{})", [basis, citation.unwrap_or_default()]));
        let value = words("{} {}", [requirements, basis]);
        facts.push(fact_of(known(&mapping.framework), value));
    }
    let blocks = vec![
        Block::Heading(4, "", String::new(), heading),
        Block::Facts(false, facts),
    ];
    Block::Group("div", "control", format!("d{index}-{}", control.id), blocks)
}

/// What the file says about a control: its entry, or that there is none.
fn entry_facts(control: &ControlReport) -> Vec<Fact> {
    let Some(claim) = &control.entry else {
        let value = if control.owner == MatrixOwner::Provider {
            let how =
                "none (inherited without acknowledgement; `owner = \"exoscale\"` would record it)";
            words(how, [])
        } else {
            let markdown = words("**none**: nobody claims your part", []);
            by_format(
                markdown,
                badge("status-gap", "none: nobody claims your part", true),
            )
        };
        return vec![fact("Entry", value)];
    };
    let line = num(claim.line);
    let term = by_format(words("Entry (line {})", [line.clone()]), words("Entry", []));
    let value = html_only_words("line {}, ", line) + words("owner {}", [optional(&claim.owner)]);
    let mut facts = vec![fact_of(term, value)];
    let mut detail = |term: &'static str, value: Words| {
        let term = words(term, []);
        facts.push(Fact {
            term,
            value,
            nested: true,
        });
    };
    if matches!(claim.owner.as_deref(), Some("customer" | "shared")) {
        detail("Accountable", optional(&claim.accountable));
        detail("Implementation", optional(&claim.implementation));
        let evidence = claim.evidence.iter().map(|path| literal(path));
        let separator = by_format(words("; ", []), words("<br>", []));
        detail("Evidence", or_none(joined(evidence, separator)));
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
        let html = badge("status-waived", "waived", false);
        let waived = by_format(words("(waived)", []), html);
        let place = literal(&format!("{file}:{}", finding.line));
        let (code, message) = (known(&finding.code), text(&finding.message));
        let mut content = words("{} **{}** {} {}", [waived, code, place, message]);
        if let Some(waiver) = &finding.waiver {
            let (by, reason) = (text(&waiver.approved_by), text(&waiver.reason));
            let until = "(waived until {}, approved by {}: {})";
            let until = words(until, [known(&waiver.expires), by, reason]);
            content = content + words(" {}", [note(until)]);
        }
        items.push((content, Words::default()));
    }
    vec![
        heading(3, "", "Warnings and waived findings"),
        Block::List(items),
    ]
}

fn note(content: Words) -> Words {
    span("note", content)
}

fn html_only_words(template: &'static str, piece: Words) -> Words {
    by_format(Words::default(), words(template, [piece]))
}

fn html_only(block: Block) -> Block {
    Block::ByFormat(Vec::new(), vec![block])
}

/// A file's optional value, or a dash.
fn optional(value: &Option<String>) -> Words {
    value.as_deref().map_or(words("—", []), text)
}

fn or_none(joined: Words) -> Words {
    if joined.markdown.is_empty() {
        words("none", [])
    } else {
        joined
    }
}

fn joined(parts: impl Iterator<Item = Words>, separator: impl Into<Separator>) -> Words {
    let Separator(separator) = separator.into();
    let mut parts = parts;
    let first = parts.next().unwrap_or_default();
    parts.fold(first, |joined, part| joined + separator.clone() + part)
}

/// What goes between joined parts: the same words in both formats, or each its own.
struct Separator(Words);

impl From<&'static str> for Separator {
    fn from(separator: &'static str) -> Self {
        Separator(words(separator, []))
    }
}

impl From<Words> for Separator {
    fn from(separator: Words) -> Self {
        Separator(separator)
    }
}

fn heading(level: usize, class: &'static str, title: &'static str) -> Block {
    Block::Heading(level, class, String::new(), words(title, []))
}

fn paragraph(class: &'static str, sentence: &'static str) -> Block {
    Block::Paragraph(class, words(sentence, []))
}

fn fact(term: &'static str, value: Words) -> Fact {
    fact_of(words(term, []), value)
}

fn fact_of(term: Words, value: Words) -> Fact {
    Fact {
        term,
        value,
        nested: false,
    }
}

fn cell(content: Words) -> (String, Words) {
    (String::new(), content)
}

fn table<const N: usize>(
    class: &'static str,
    row_headers: bool,
    columns: [(&'static str, ColumnKind); N],
    rows: impl Iterator<Item = Vec<(String, Words)>>,
) -> Block {
    let columns = columns
        .into_iter()
        .map(|(label, kind)| (words(label, []), kind));
    let (columns, rows) = (columns.collect(), rows.collect());
    Block::Table(Table {
        class,
        row_headers,
        columns,
        rows,
    })
}
