//! What the posture report says, once for every format: `document` turns the report
//! model into a `doc::Document` with all of the report's wording. The places where
//! Markdown and HTML have always said something differently are `ByFormat` nodes.

use super::doc::{
    Anchor, Block, Cell, Column, ColumnKind, Document, Fact, Help, Inline, Item, Line, Table, line,
};
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
    let meta = line![
        "Report date ",
        known(&report.today),
        " · matrix: ",
        text(&report.matrix),
        " · srmlint ",
        env!("CARGO_PKG_VERSION"),
    ];
    let mut blocks = vec![group(
        "header",
        None,
        None,
        vec![heading(1, line![TITLE]), paragraph(Some("meta"), meta)],
    )];
    if report.deployments.len() > 1 {
        blocks.push(overview(report));
    }
    for (index, deployment) in report.deployments.iter().enumerate() {
        blocks.push(deployment_section(deployment, index));
    }
    Document { title, blocks }
}

fn overview(report: &PostureReport) -> Block {
    let first_heading = Block::Heading {
        level: 2,
        class: Some("first"),
        anchor: Anchor::default(),
        content: line!["Deployments"],
    };
    let rows = report
        .deployments
        .iter()
        .enumerate()
        .map(|(index, deployment)| {
            let link = Inline::Link(
                html_anchor(format!("d{index}")),
                deployment_name(deployment),
            );
            let counts = deployment.counts;
            vec![
                cell(line![link]),
                cell(line![literal(&deployment.file)]),
                cell(line![counts.applicable]),
                cell(line![counts.claimed]),
                cell(line![counts.inherited]),
                cell(line![deployment.gaps.len()]),
            ]
        });
    let table = Table {
        class: None,
        row_headers: false,
        columns: vec![
            column("Deployment", ColumnKind::Text),
            column("File", ColumnKind::Text),
            column("Controls", ColumnKind::Number),
            column("Claimed", ColumnKind::Number),
            column("Inherited", ColumnKind::Number),
            column("Gaps (findings)", ColumnKind::Number),
        ],
        rows: rows.collect(),
    };
    let blocks = vec![html_only_block(first_heading), Block::Table(table)];
    group("section", None, Some("overview".to_owned()), blocks)
}

fn deployment_name(deployment: &DeploymentReport) -> Line {
    line![deployment.name.as_deref().map_or("(unnamed)".into(), text)]
}

fn deployment_section(deployment: &DeploymentReport, index: usize) -> Block {
    let mut blocks = vec![Block::Heading {
        level: 2,
        class: (index == 0).then_some("first"),
        anchor: Anchor::default(),
        content: [line!["Deployment "], deployment_name(deployment)].concat(),
    }];
    let file = fact(line!["File"], line![literal(&deployment.file)]);
    if deployment.parsed {
        blocks.push(summary(file, deployment));
        blocks.extend(gaps(deployment, index));
        blocks.extend(grid(deployment, index));
        blocks.extend(waivers(deployment));
        blocks.extend(frameworks(deployment, index));
        if !deployment.controls.is_empty() {
            blocks.push(heading(3, line!["Controls"]));
        }
        for control in &deployment.controls {
            blocks.push(control_section(control, deployment, index));
        }
        blocks.extend(warnings(deployment));
    } else {
        blocks.push(Block::Facts {
            compact: true,
            facts: vec![file],
        });
        blocks.push(paragraph(None, line!["This file could not be read as a controls file, so no control can be judged. Fix the gaps below first."]));
        blocks.extend(gaps(deployment, index));
    }
    let id = Some(format!("d{index}"));
    group("section", Some("deployment"), id, blocks)
}

fn summary(file: Fact, deployment: &DeploymentReport) -> Block {
    let mut facts = vec![file];
    if let Some(provider) = &deployment.provider {
        facts.push(fact(line!["Provider"], line![text(provider)]));
    }
    let services =
        deployment
            .services
            .iter()
            .map(|service| match (&service.title, &service.model) {
                (Some(title), Some(model)) => line![
                    literal(&service.id),
                    " (",
                    text(title),
                    ", ",
                    known(model),
                    ")"
                ],
                _ => line![literal(&service.id), " (not in the catalog)"],
            });
    facts.push(fact(line!["Services"], or_none(joined(services, "; "))));
    let zones = deployment
        .zones
        .iter()
        .map(|zone| match (&zone.city, &zone.country) {
            (Some(city), Some(country)) => {
                line![
                    literal(&zone.id),
                    " (",
                    known(city),
                    ", ",
                    known(country),
                    ")"
                ]
            }
            _ => line![literal(&zone.id), " (not in the catalog)"],
        });
    facts.push(fact(line!["Zones"], or_none(joined(zones, "; "))));
    let residency = deployment.residency.as_deref();
    let residency = line![residency.map_or("not declared".into(), text)];
    facts.push(fact(line!["Residency"], residency));
    let regulated = deployment
        .regulated
        .iter()
        .map(|sector| line![text(sector)]);
    facts.push(fact(
        line!["Regulated sectors"],
        or_none(joined(regulated, ", ")),
    ));
    let known_frameworks = deployment.frameworks.iter().map(|f| line![text(&f.title)]);
    let unknown_frameworks = (deployment.unknown_frameworks.iter())
        .map(|framework| line![text(framework), " (no mapping)"]);
    let frameworks = joined(known_frameworks.chain(unknown_frameworks), "; ");
    facts.push(fact(line!["Frameworks"], or_none(frameworks)));
    let counts = deployment.counts;
    facts.push(fact(
        line!["Controls that apply"],
        line![
            counts.applicable,
            " (",
            counts.customer,
            " customer, ",
            counts.shared,
            " shared, ",
            counts.provider,
            " provider)"
        ],
    ));
    let with_a_gap = format!("{} with a gap", counts.gap);
    let gap_class = if counts.gap == 0 {
        "status-claimed"
    } else {
        "status-gap"
    };
    let with_a_gap = by_format(
        line![Inline::Strong(line![word(with_a_gap.clone())]), ", "],
        line![badge(gap_class, with_a_gap, false), " "],
    );
    facts.push(fact(
        line!["Controls by status"],
        line![
            with_a_gap,
            counts.claimed,
            " claimed, ",
            counts.inherited,
            " inherited, ",
            counts.waived,
            " waived"
        ],
    ));
    let summary = deployment.summary;
    facts.push(fact(
        line!["Findings"],
        line![
            summary.errors,
            " error(s), ",
            summary.warnings + summary.infos,
            " warning(s), ",
            summary.waived,
            " waived"
        ],
    ));
    Block::Facts {
        compact: false,
        facts,
    }
}

fn gaps(deployment: &DeploymentReport, index: usize) -> Vec<Block> {
    let title = line!["Gaps (", deployment.gaps.len(), ")"];
    let heading = heading_with_id(3, format!("d{index}-gaps"), title);
    let body = if deployment.gaps.is_empty() {
        paragraph(None, line!["No gaps: every error-level check passes."])
    } else {
        let items = deployment
            .gaps
            .iter()
            .map(|gap| finding_item(gap, &deployment.file));
        Block::List(items.collect())
    };
    vec![heading, body]
}

fn finding_item(finding: &Finding, file: &str) -> Item {
    let mut content = line![
        Inline::Strong(line![known(&finding.code)]),
        " ",
        literal(&format!("{file}:{}", finding.line)),
    ];
    if let Some(control) = &finding.control {
        content.extend(line![" ", Inline::Code(line![known(control)]), ":"]);
    }
    content.extend(line![
        " ",
        text(&finding.message),
        " ",
        note(line!["(", known(&finding.name), ")"]),
    ]);
    let help = (!finding.help.is_empty()).then(|| Help {
        label: "Fix",
        text: finding.help.clone(),
    });
    Item { content, help }
}

fn status_badge(status: Status) -> Inline {
    let label = status.as_str();
    let class = match status {
        Status::Inherited => "status-inherited",
        Status::Claimed => "status-claimed",
        Status::Waived => "status-waived",
        Status::Gap => "status-gap",
    };
    badge(class, label.to_owned(), status == Status::Gap)
}

fn grid(deployment: &DeploymentReport, index: usize) -> Vec<Block> {
    let mut blocks = vec![heading_with_id(
        3,
        format!("d{index}-grid"),
        line!["Ownership grid"],
    )];
    if deployment.foreign_provider {
        // Escaped as text, so HTML has always written the apostrophe as an entity.
        let sentence =
            "The file names another provider than the loaded matrix's, so no control is judged.";
        blocks.push(paragraph(None, line![text(sentence)]));
        return blocks;
    }
    if deployment.models.is_empty() {
        let sentence = "No service model is in use, so no control applies.";
        blocks.push(paragraph(None, line![sentence]));
        return blocks;
    }
    let swatch = |owner: &'static str, words: &'static str| {
        let swatch = Inline::Span(format!("swatch owner-{owner}"), Vec::new());
        Inline::Span(String::new(), line![swatch, words])
    };
    let legend = line![
        swatch("customer", " customer"),
        swatch("shared", " shared (customer and provider parts)"),
        swatch("provider", " provider"),
    ];
    blocks.push(html_only_block(paragraph(Some("legend"), legend)));
    let mut columns = vec![column("Control", ColumnKind::Text)];
    for model in &deployment.models {
        columns.push(Column {
            label: line![text(&model.title)],
            kind: ColumnKind::Text,
        });
    }
    columns.push(column("Owner", ColumnKind::Text));
    columns.push(column("Status", ColumnKind::Text));
    let rows = deployment.controls.iter().map(|control| {
        let anchor = Anchor {
            markdown: Some(markdown_anchor(&deployment.file, &control.id)),
            html: Some(format!("d{index}-{}", control.id)),
        };
        let id = Inline::Link(anchor, line![Inline::Code(line![known(&control.id)])]);
        let mut row = vec![cell(line![id])];
        row.extend(control.cells.iter().map(grid_cell));
        row.push(owner_cell(control.owner));
        row.push(cell(line![status_badge(control.status)]));
        row
    });
    blocks.push(Block::Table(Table {
        class: Some("grid"),
        row_headers: true,
        columns,
        rows: rows.collect(),
    }));
    let markdown_key = line![
        "Owner per model: customer, shared (customer and provider parts) or provider. Status: claimed (your part is claimed with no error), inherited (the provider's alone), waived (a gap under a waiver), GAP (an error finding or an unclaimed part)."
    ];
    let term = |word: &'static str| Inline::Emphasis(line![word]);
    let html_key = line![
        "Status: ",
        term("claimed"),
        " — your part is claimed with no error; ",
        term("inherited"),
        " — the provider's alone; ",
        term("waived"),
        " — a gap under a waiver; ",
        term("gap"),
        " — an error finding or an unclaimed part."
    ];
    blocks.push(Block::ByFormat {
        markdown: vec![paragraph(None, markdown_key)],
        html: vec![paragraph(Some("note"), html_key)],
    });
    blocks
}

fn grid_cell(grid_cell: &GridCell) -> Cell {
    match (grid_cell.owner, grid_cell.status) {
        (Some(owner), Some(status)) => Cell {
            class: Some(format!("owner-{}", owner.as_str())),
            content: line![
                owner.as_str(),
                by_format(line![" · "], line![" "]),
                status_badge(status)
            ],
        },
        _ => Cell {
            class: Some("owner-na".to_owned()),
            content: line![by_format(line!["—"], line!["n/a"])],
        },
    }
}

fn owner_cell(owner: MatrixOwner) -> Cell {
    Cell {
        class: Some(format!("owner-{}", owner.as_str())),
        content: line![owner.as_str()],
    }
}

/// The Markdown anchor of a control (GitHub lower-cases headings and drops
/// punctuation, so the report writes explicit HTML anchors instead).
fn markdown_anchor(file: &str, control: &str) -> String {
    let slug: String = file
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{slug}--{control}")
}

fn waivers(deployment: &DeploymentReport) -> Vec<Block> {
    let title = line!["Waivers (", deployment.waivers.len(), ")"];
    let mut blocks = vec![heading(3, title)];
    if deployment.waivers.is_empty() {
        blocks.push(paragraph(None, line!["No waivers."]));
        return blocks;
    }
    let rows = deployment.waivers.iter().map(|waiver| {
        let state = match waiver.state {
            WaiverState::Active => badge("status-claimed", "active".to_owned(), false),
            WaiverState::Unused => badge("status-waived", "unused".to_owned(), false),
            WaiverState::Expired => badge("status-gap", "expired".to_owned(), true),
            WaiverState::Invalid => badge("status-gap", "invalid".to_owned(), true),
        };
        let days_left = waiver.days_left.map_or("—".into(), Inline::from);
        [
            line![waiver.line],
            optional(&waiver.rule),
            optional(&waiver.control),
            optional(&waiver.reason),
            optional(&waiver.approved_by),
            optional(&waiver.ticket),
            optional(&waiver.expires),
            line![days_left],
            line![state],
            line![waiver.waived],
        ]
        .into_iter()
        .map(cell)
        .collect()
    });
    blocks.push(Block::Table(Table {
        class: None,
        row_headers: false,
        columns: vec![
            column("Line", ColumnKind::Number),
            column("Rule", ColumnKind::Text),
            column("Control", ColumnKind::Text),
            column("Reason", ColumnKind::Text),
            column("Approved by", ColumnKind::Text),
            column("Ticket", ColumnKind::Text),
            column("Expires", ColumnKind::Date),
            column("Days left", ColumnKind::Number),
            column("State", ColumnKind::Text),
            column("Findings waived", ColumnKind::Number),
        ],
        rows: rows.collect(),
    }));
    blocks
}

fn frameworks(deployment: &DeploymentReport, index: usize) -> Vec<Block> {
    let none_selected = || {
        let how = line![
            "No framework selected: set ",
            Inline::Code(line!["frameworks"]),
            " in ",
            Inline::Code(line!["[deployment]"]),
            " or pass ",
            Inline::Code(line!["--framework ID"]),
            "."
        ];
        paragraph(Some("note"), how)
    };
    // HTML heads the coverage of every framework; Markdown heads only the note that
    // there is none, and gives each framework a heading of that level.
    let mut markdown = Vec::new();
    let mut html = vec![heading(3, line!["Framework coverage"])];
    if deployment.frameworks.is_empty() {
        markdown = vec![heading(3, line!["Frameworks"]), none_selected()];
        html.push(none_selected());
    }
    let mut blocks = vec![Block::ByFormat { markdown, html }];
    for framework in &deployment.frameworks {
        blocks.extend(framework_section(framework, index));
    }
    blocks
}

fn framework_section(framework: &FrameworkCoverage, index: usize) -> Vec<Block> {
    let counts = framework.counts;
    let title = line![text(&framework.title)];
    let id = format!("d{index}-fw-{}", framework.id);
    let heading = Block::ByFormat {
        markdown: vec![heading(3, title.clone())],
        html: vec![heading_with_id(4, id, title)],
    };
    let (covered, inherited, open) = (
        counts.covered_percent,
        counts.inherited_percent,
        counts.open_percent,
    );
    let covered_words = format!("{} covered", counts.covered);
    let inherited_words = format!("{} inherited", counts.inherited);
    let open_words = format!("{} open", counts.open);
    let shares = by_format(
        line![
            Inline::Strong(line![word(format!("{covered_words} ({covered}%)"))]),
            word(format!(", {inherited_words} ({inherited}%), ")),
            Inline::Strong(line![word(format!("{open_words} ({open}%)"))]),
        ],
        line![
            requirement_badge(RequirementStatus::Covered, covered_words),
            word(format!(" {covered}%, ")),
            requirement_badge(RequirementStatus::Inherited, inherited_words),
            word(format!(" {inherited}%, ")),
            requirement_badge(RequirementStatus::Open, open_words),
            word(format!(" {open}%")),
        ],
    );
    let sentence = line![
        "Of ",
        counts.applicable,
        " requirements that apply: ",
        shares,
        "; ",
        counts.not_applicable,
        " not applicable to this deployment."
    ];
    let bar = Block::Bar {
        label: format!("{covered}% covered, {inherited}% inherited, {open}% open"),
        parts: vec![
            ("covered", covered),
            ("inherited", inherited),
            ("open", open),
        ],
    };
    let applicable = (framework.requirements.iter())
        .filter(|requirement| requirement.status != RequirementStatus::NotApplicable);
    let rows = applicable.map(|requirement| {
        let controls = requirement.controls.iter().map(|contribution| {
            let id = Inline::Code(line![known(&contribution.control)]);
            line![
                Inline::Link(
                    html_anchor(format!("d{index}-{}", contribution.control)),
                    line![id]
                ),
                " ",
                contribution.status.as_str(),
                " (",
                basis_word(contribution.basis),
                ")"
            ]
        });
        let status = requirement.status;
        vec![
            cell(line![text(&requirement.id)]),
            cell(line![text(&requirement.title)]),
            cell(line![requirement_badge(status, status.as_str().to_owned())]),
            cell(joined(controls, ", ")),
        ]
    });
    let table = Table {
        class: None,
        row_headers: true,
        columns: vec![
            column("Requirement", ColumnKind::Text),
            column("Title", ColumnKind::Text),
            column("Status", ColumnKind::Text),
            column("Through controls (basis)", ColumnKind::Text),
        ],
        rows: rows.collect(),
    };
    let mut blocks = vec![
        heading,
        paragraph(Some("note"), line![text(&framework.reference)]),
        paragraph(None, sentence),
        bar,
        Block::Table(table),
    ];
    for unmapped in &framework.unmapped_controls {
        let words = line![
            Inline::Code(line![known(&unmapped.control)]),
            " maps to no requirement of this framework: ",
            text(&unmapped.note)
        ];
        blocks.push(paragraph(Some("note"), words));
    }
    blocks
}

fn requirement_badge(status: RequirementStatus, label: String) -> Inline {
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
    let heading = Block::Heading {
        level: 4,
        class: None,
        anchor: Anchor {
            markdown: Some(markdown_anchor(&deployment.file, &control.id)),
            html: None,
        },
        content: line![
            Inline::Code(line![known(&control.id)]),
            " ",
            text(&control.title),
            by_format(line![": "], line![" "]),
            status_badge(control.status)
        ],
    };
    let owner = control.owner.as_str();
    let mut facts = vec![fact(
        line!["Matrix owner"],
        line![
            Inline::Span(format!("owner-{owner}"), line![owner]),
            " ",
            note(line!["(source: ", text(&control.source.to_string()), ")"])
        ],
    )];
    let model_title = |model: &str| {
        let in_use = deployment.models.iter().find(|m| m.id == model);
        known(in_use.map_or(model, |m| m.title.as_str()))
    };
    for part in &control.customer_parts {
        let term = line!["Your part (", model_title(&part.model), ")"];
        facts.push(fact(term, line![text(&part.scope)]));
    }
    for part in &control.provider_parts {
        let parties = text(&part.parties.join(", "));
        let term = line![
            "Provider part (",
            model_title(&part.model),
            markdown_only(line![", ", parties.clone()]),
            ")"
        ];
        let value = line![html_only(line![parties, ": "]), text(&part.scope)];
        facts.push(fact(term, value));
    }
    if !control.attestations.is_empty() {
        let attestations = control
            .attestations
            .iter()
            .map(|a| line![text(&a.party), ": ", text(&a.attestations.join(", "))]);
        let attestations = joined(attestations, "; ");
        let term = line![
            "Inherited on",
            markdown_only([line![" the attestations of "], attestations.clone()].concat())
        ];
        facts.push(fact(term, line![html_only(attestations)]));
    }
    facts.extend(entry_facts(control));
    for finding in &control.findings {
        let line_number = finding.line;
        let term = line![
            markdown_only(line!["Finding "]),
            known(&finding.code),
            " (",
            finding.severity.as_str(),
            markdown_only(line![", line ", line_number]),
            ")"
        ];
        let value = line![
            html_only(line!["line ", line_number, ": "]),
            text(&finding.message)
        ];
        facts.push(fact(term, value));
    }
    for mapping in &control.mappings {
        let requirements = if mapping.requirements.is_empty() {
            "nothing".into()
        } else {
            text(&mapping.requirements.join(", "))
        };
        let mut basis = line!["(", basis_word(mapping.basis)];
        if let Some(citation) = &mapping.citation {
            basis.extend(line![": ", text(citation)]);
        }
        basis.push(")".into());
        let value = line![requirements, " ", note(basis)];
        facts.push(fact(line![known(&mapping.framework)], value));
    }
    let facts = Block::Facts {
        compact: false,
        facts,
    };
    let id = Some(format!("d{index}-{}", control.id));
    group("div", Some("control"), id, vec![heading, facts])
}

/// What the file says about a control: its entry, or that there is none.
fn entry_facts(control: &ControlReport) -> Vec<Fact> {
    let entry = line!["Entry"];
    let Some(claim) = &control.entry else {
        let value = if control.owner == MatrixOwner::Provider {
            line![
                "none (inherited without acknowledgement; ",
                Inline::Code(line!["owner = \"exoscale\""]),
                " would record it)"
            ]
        } else {
            line![by_format(
                line![Inline::Strong(line!["none"]), ": nobody claims your part"],
                line![badge(
                    "status-gap",
                    "none: nobody claims your part".to_owned(),
                    true
                )],
            )]
        };
        return vec![fact(entry, value)];
    };
    let term = [
        entry,
        line![markdown_only(line![" (line ", claim.line, ")"])],
    ]
    .concat();
    let value = [
        line![html_only(line!["line ", claim.line, ", "]), "owner "],
        optional(&claim.owner),
    ]
    .concat();
    let mut facts = vec![fact(term, value)];
    let detail = |term: &'static str, value: Line| Fact {
        term: line![term],
        value,
        nested: true,
    };
    if matches!(claim.owner.as_deref(), Some("customer" | "shared")) {
        facts.push(detail("Accountable", optional(&claim.accountable)));
        facts.push(detail("Implementation", optional(&claim.implementation)));
        let evidence = claim.evidence.iter().map(|e| line![literal(e)]);
        let separator = by_format(line!["; "], line![Inline::Break]);
        let evidence = or_none(joined_by(evidence, &separator));
        facts.push(detail("Evidence", evidence));
        let reviewed = match (&claim.reviewed, claim.reviewed_days_ago) {
            (Some(date), Some(days)) if days >= 0 => {
                line![known(date), " (", days, " days ago)"]
            }
            (Some(date), _) => line![known(date), " (in the future)"],
            _ => line!["never"],
        };
        facts.push(detail("Last review", reviewed));
    }
    if let Some(notes) = &claim.notes {
        facts.push(detail("Notes", line![text(notes)]));
    }
    facts
}

fn warnings(deployment: &DeploymentReport) -> Vec<Block> {
    if deployment.warnings.is_empty() && deployment.waived.is_empty() {
        return Vec::new();
    }
    let file = &deployment.file;
    let mut items: Vec<Item> = (deployment.warnings.iter())
        .map(|finding| finding_item(finding, file))
        .collect();
    for finding in &deployment.waived {
        let mut content = line![
            by_format(
                line!["(waived)"],
                line![badge("status-waived", "waived".to_owned(), false)]
            ),
            " ",
            Inline::Strong(line![known(&finding.code)]),
            " ",
            literal(&format!("{file}:{}", finding.line)),
            " ",
            text(&finding.message),
        ];
        if let Some(waiver) = &finding.waiver {
            content.extend(line![
                " ",
                note(line![
                    "(waived until ",
                    known(&waiver.expires),
                    ", approved by ",
                    text(&waiver.approved_by),
                    ": ",
                    text(&waiver.reason),
                    ")"
                ])
            ]);
        }
        items.push(Item {
            content,
            help: None,
        });
    }
    let heading = heading(3, line!["Warnings and waived findings"]);
    vec![heading, Block::List(items)]
}

fn text(value: &str) -> Inline {
    Inline::Text(value.to_owned())
}

fn known(value: &str) -> Inline {
    Inline::Known(value.to_owned())
}

fn literal(value: &str) -> Inline {
    Inline::Literal(value.to_owned())
}

/// Words made of the report's own words and numbers.
fn word(words: String) -> Inline {
    Inline::Word(words)
}

fn note(content: Line) -> Inline {
    Inline::Span("note".to_owned(), content)
}

fn badge(class: &'static str, label: String, alarm: bool) -> Inline {
    Inline::Badge {
        class,
        label,
        alarm,
    }
}

fn by_format(markdown: Line, html: Line) -> Inline {
    Inline::ByFormat { markdown, html }
}

fn markdown_only(markdown: Line) -> Inline {
    by_format(markdown, Vec::new())
}

fn html_only(html: Line) -> Inline {
    by_format(Vec::new(), html)
}

fn html_only_block(block: Block) -> Block {
    Block::ByFormat {
        markdown: Vec::new(),
        html: vec![block],
    }
}

fn html_anchor(id: String) -> Anchor {
    Anchor {
        markdown: None,
        html: Some(id),
    }
}

/// A file's optional value, or a dash.
fn optional(value: &Option<String>) -> Line {
    line![value.as_deref().map_or("—".into(), text)]
}

fn or_none(joined: Line) -> Line {
    if joined.is_empty() {
        line!["none"]
    } else {
        joined
    }
}

fn joined(parts: impl Iterator<Item = Line>, separator: &'static str) -> Line {
    joined_by(parts, &separator.into())
}

fn joined_by(parts: impl Iterator<Item = Line>, separator: &Inline) -> Line {
    let mut joined = Vec::new();
    for (index, part) in parts.enumerate() {
        if index > 0 {
            joined.push(separator.clone());
        }
        joined.extend(part);
    }
    joined
}

fn heading(level: usize, content: Line) -> Block {
    Block::Heading {
        level,
        class: None,
        anchor: Anchor::default(),
        content,
    }
}

fn heading_with_id(level: usize, id: String, content: Line) -> Block {
    Block::Heading {
        level,
        class: None,
        anchor: html_anchor(id),
        content,
    }
}

fn paragraph(class: Option<&'static str>, content: Line) -> Block {
    Block::Paragraph { class, content }
}

fn fact(term: Line, value: Line) -> Fact {
    Fact {
        term,
        value,
        nested: false,
    }
}

fn cell(content: Line) -> Cell {
    Cell {
        class: None,
        content,
    }
}

fn column(label: &'static str, kind: ColumnKind) -> Column {
    Column {
        label: line![label],
        kind,
    }
}

fn group(
    element: &'static str,
    class: Option<&'static str>,
    id: Option<String>,
    blocks: Vec<Block>,
) -> Block {
    Block::Group {
        element,
        class,
        id,
        blocks,
    }
}
