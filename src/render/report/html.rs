//! The posture report as one self-contained HTML file: inline CSS, no scripts, no
//! fonts or images fetched from anywhere, so it can be mailed to an auditor or printed
//! to PDF. Status is shown by colour and by text, so the page reads in greyscale.
//! Every string that reaches the page goes through `escape`.

use std::fmt::Write;

use crate::data::frameworks::Basis;
use crate::data::matrix::MatrixOwner;
use crate::posture::{
    ControlReport, DeploymentReport, Finding, FrameworkCoverage, GridCell, PostureReport,
    RequirementStatus, Status, WaiverState,
};

const STYLE: &str = r#"
:root { --ink: #1a1a1a; --muted: #555; --line: #c8c8c8;
  --customer: #dbe9ff; --shared: #fff0c2; --provider: #e3f4e3;
  --gap: #b00020; --gap-bg: #ffe1e1; --waived: #8a5a00; --claimed: #185c2b; --inherited: #3d4f63; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif;
  color: var(--ink); margin: 2rem auto; max-width: 72rem; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 1.8rem; }
h4 { font-size: 1rem; margin: 1.4rem 0 .3rem; }
.meta, .note { color: var(--muted); }
code { font: .9em/1.3 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num, th.num { text-align: right; }
td.date { white-space: nowrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.owner-customer { background: var(--customer); }
.owner-shared { background: var(--shared); }
.owner-provider { background: var(--provider); }
.owner-na { color: var(--muted); text-align: center; }
.badge { display: inline-block; padding: 0 .35rem; border-radius: .25rem; font-size: .85em;
  font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.status-claimed { color: var(--claimed); }
.status-inherited { color: var(--inherited); font-style: italic; border-style: dashed; }
.status-waived { color: var(--waived); border-style: dotted; }
.status-gap { color: var(--gap); background: var(--gap-bg); border-width: 2px; text-transform: uppercase; }
.req-covered { color: var(--claimed); }
.req-inherited { color: var(--inherited); font-style: italic; border-style: dashed; }
.req-open { color: var(--gap); background: var(--gap-bg); border-width: 2px; text-transform: uppercase; }
ol.gaps li { margin-bottom: .5rem; }
ol.gaps li::marker { font-weight: 700; }
pre.help { background: #f6f6f6; border-left: 3px solid var(--line); padding: .4rem .6rem; margin: .3rem 0;
  white-space: pre-wrap; }
.legend span { margin-right: .8rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; border: 1px solid var(--line); vertical-align: -2px; }
.control { border-top: 1px solid var(--line); padding-top: .2rem; }
.bar { display: flex; height: .9rem; border: 1px solid var(--ink); margin: .3rem 0 .6rem; max-width: 30rem; }
.bar span { display: block; height: 100%; }
.bar .covered { background: #3f8f4f; } .bar .inherited { background: #9fb3c8; } .bar .open { background: var(--gap); }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  @page { margin: 15mm 12mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-before: page; } h2.first { break-before: auto; }
  h2, h3, h4 { break-after: avoid; }
  tr, .control, ol.gaps li { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"#;

pub fn render(report: &PostureReport) -> String {
    let mut out = String::new();
    let title = match report.deployments.as_slice() {
        [only] => format!(
            "Pre-audit posture report: {}",
            only.name.as_deref().unwrap_or(&only.file)
        ),
        _ => "Pre-audit posture report".to_owned(),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"srmlint {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&title)
    );
    let _ = writeln!(out, "<header>\n<h1>Pre-audit posture report</h1>");
    let _ = writeln!(
        out,
        "<p class=\"meta\">Report date {} · matrix: {} · srmlint {}</p>\n</header>",
        escape(&report.today),
        escape(&report.matrix),
        env!("CARGO_PKG_VERSION")
    );
    if report.deployments.len() > 1 {
        overview(&mut out, report);
    }
    for (index, deployment) in report.deployments.iter().enumerate() {
        render_deployment(&mut out, deployment, index);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn overview(out: &mut String, report: &PostureReport) {
    out.push_str("<section id=\"overview\">\n<h2 class=\"first\">Deployments</h2>\n<table>\n<thead><tr><th scope=\"col\">Deployment</th><th scope=\"col\">File</th><th scope=\"col\" class=\"num\">Controls</th><th scope=\"col\" class=\"num\">Claimed</th><th scope=\"col\" class=\"num\">Inherited</th><th scope=\"col\" class=\"num\">Gaps (findings)</th></tr></thead>\n<tbody>\n");
    for (index, deployment) in report.deployments.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#d{index}\">{}</a></td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(deployment_name(deployment)),
            escape(&deployment.file),
            deployment.counts.applicable,
            deployment.counts.claimed,
            deployment.counts.inherited,
            deployment.gaps.len()
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn deployment_name(deployment: &DeploymentReport) -> &str {
    deployment.name.as_deref().unwrap_or("(unnamed)")
}

fn render_deployment(out: &mut String, deployment: &DeploymentReport, index: usize) {
    let class = if index == 0 { " class=\"first\"" } else { "" };
    let _ = writeln!(
        out,
        "<section class=\"deployment\" id=\"d{index}\">\n<h2{class}>Deployment {}</h2>",
        escape(deployment_name(deployment))
    );
    if !deployment.parsed {
        let _ = writeln!(
            out,
            "<dl class=\"facts\"><dt>File</dt><dd><code>{}</code></dd></dl>\n<p>This file could not be read as a controls file, so no control can be judged. Fix the gaps below first.</p>",
            escape(&deployment.file)
        );
        gaps(out, deployment, index);
        out.push_str("</section>\n");
        return;
    }
    summary(out, deployment);
    gaps(out, deployment, index);
    grid(out, deployment, index);
    waivers(out, deployment);
    let _ = writeln!(out, "<h3>Framework coverage</h3>");
    if deployment.frameworks.is_empty() {
        out.push_str("<p class=\"note\">No framework selected: set <code>frameworks</code> in <code>[deployment]</code> or pass <code>--framework ID</code>.</p>\n");
    }
    for framework in &deployment.frameworks {
        framework_section(out, framework, index);
    }
    if !deployment.controls.is_empty() {
        let _ = writeln!(out, "<h3>Controls</h3>");
    }
    for control in &deployment.controls {
        control_section(out, control, deployment, index);
    }
    warnings(out, deployment);
    out.push_str("</section>\n");
}

fn summary(out: &mut String, deployment: &DeploymentReport) {
    out.push_str("<dl class=\"facts\">\n");
    fact(
        out,
        "File",
        &format!("<code>{}</code>", escape(&deployment.file)),
    );
    if let Some(provider) = &deployment.provider {
        fact(out, "Provider", &escape(provider));
    }
    let services: Vec<String> = deployment
        .services
        .iter()
        .map(|service| match (&service.title, &service.model) {
            (Some(title), Some(model)) => format!(
                "<code>{}</code> ({}, {})",
                escape(&service.id),
                escape(title),
                escape(model)
            ),
            _ => format!("<code>{}</code> (not in the catalog)", escape(&service.id)),
        })
        .collect();
    fact(out, "Services", &or_none(&services.join("; ")));
    let zones: Vec<String> = deployment
        .zones
        .iter()
        .map(|zone| match (&zone.city, &zone.country) {
            (Some(city), Some(country)) => format!(
                "<code>{}</code> ({}, {})",
                escape(&zone.id),
                escape(city),
                escape(country)
            ),
            _ => format!("<code>{}</code> (not in the catalog)", escape(&zone.id)),
        })
        .collect();
    fact(out, "Zones", &or_none(&zones.join("; ")));
    fact(
        out,
        "Residency",
        &deployment
            .residency
            .as_deref()
            .map_or_else(|| "not declared".to_owned(), escape),
    );
    let regulated: Vec<String> = deployment.regulated.iter().map(|r| escape(r)).collect();
    fact(out, "Regulated sectors", &or_none(&regulated.join(", ")));
    let frameworks: Vec<String> = deployment
        .frameworks
        .iter()
        .map(|f| escape(&f.title))
        .chain(
            deployment
                .unknown_frameworks
                .iter()
                .map(|f| format!("{} (no mapping)", escape(f))),
        )
        .collect();
    fact(out, "Frameworks", &or_none(&frameworks.join("; ")));
    let counts = deployment.counts;
    fact(
        out,
        "Controls that apply",
        &format!(
            "{} ({} customer, {} shared, {} provider)",
            counts.applicable, counts.customer, counts.shared, counts.provider
        ),
    );
    fact(
        out,
        "Controls by status",
        &format!(
            "{} {} claimed, {} inherited, {} waived",
            badge(
                if counts.gap == 0 {
                    "status-claimed"
                } else {
                    "status-gap"
                },
                &format!("{} with a gap", counts.gap)
            ),
            counts.claimed,
            counts.inherited,
            counts.waived
        ),
    );
    let summary = deployment.summary;
    fact(
        out,
        "Findings",
        &format!(
            "{} error(s), {} warning(s), {} waived",
            summary.errors,
            summary.warnings + summary.infos,
            summary.waived
        ),
    );
    out.push_str("</dl>\n");
}

fn fact(out: &mut String, term: &str, html: &str) {
    let _ = writeln!(out, "<dt>{term}</dt><dd>{html}</dd>");
}

fn gaps(out: &mut String, deployment: &DeploymentReport, index: usize) {
    let _ = writeln!(
        out,
        "<h3 id=\"d{index}-gaps\">Gaps ({})</h3>",
        deployment.gaps.len()
    );
    if deployment.gaps.is_empty() {
        out.push_str("<p>No gaps: every error-level check passes.</p>\n");
        return;
    }
    out.push_str("<ol class=\"gaps\">\n");
    for gap in &deployment.gaps {
        finding_item(out, gap, &deployment.file);
    }
    out.push_str("</ol>\n");
}

fn finding_item(out: &mut String, finding: &Finding, file: &str) {
    let control = finding
        .control
        .as_deref()
        .map(|control| format!(" <code>{}</code>:", escape(control)))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<li><strong>{}</strong> <code>{}:{}</code>{control} {} <span class=\"note\">({})</span>",
        escape(&finding.code),
        escape(file),
        finding.line,
        escape(&finding.message),
        escape(&finding.name)
    );
    if !finding.help.is_empty() {
        let _ = write!(out, "<pre class=\"help\">{}</pre>", escape(&finding.help));
    }
    out.push_str("</li>\n");
}

fn badge(class: &str, label: &str) -> String {
    format!("<span class=\"badge {class}\">{label}</span>")
}

fn status_badge(status: Status) -> String {
    badge(&format!("status-{}", status.as_str()), status.as_str())
}

fn grid_cell(cell: &GridCell) -> String {
    match (cell.owner, cell.status) {
        (Some(owner), Some(status)) => format!(
            "<td class=\"owner-{owner}\">{owner} {}</td>",
            status_badge(status),
            owner = owner.as_str()
        ),
        _ => "<td class=\"owner-na\">n/a</td>".to_owned(),
    }
}

fn grid(out: &mut String, deployment: &DeploymentReport, index: usize) {
    let _ = writeln!(out, "<h3 id=\"d{index}-grid\">Ownership grid</h3>");
    if deployment.foreign_provider {
        out.push_str("<p>The file names another provider than the loaded matrix&#39;s, so no control is judged.</p>\n");
        return;
    }
    if deployment.models.is_empty() {
        out.push_str("<p>No service model is in use, so no control applies.</p>\n");
        return;
    }
    out.push_str("<p class=\"legend\"><span><span class=\"swatch owner-customer\"></span> customer</span><span><span class=\"swatch owner-shared\"></span> shared (customer and provider parts)</span><span><span class=\"swatch owner-provider\"></span> provider</span></p>\n");
    out.push_str("<table class=\"grid\">\n<thead><tr><th scope=\"col\">Control</th>");
    for model in &deployment.models {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(&model.title));
    }
    out.push_str(
        "<th scope=\"col\">Owner</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n",
    );
    for control in &deployment.controls {
        let cells: String = control.cells.iter().map(grid_cell).collect();
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><a href=\"#d{index}-{id}\"><code>{id}</code></a></th>{cells}<td class=\"owner-{owner}\">{owner}</td><td>{}</td></tr>",
            status_badge(control.status),
            id = escape(&control.id),
            owner = control.owner.as_str()
        );
    }
    out.push_str("</tbody>\n</table>\n<p class=\"note\">Status: <em>claimed</em> — your part is claimed with no error; <em>inherited</em> — the provider's alone; <em>waived</em> — a gap under a waiver; <em>gap</em> — an error finding or an unclaimed part.</p>\n");
}

fn waivers(out: &mut String, deployment: &DeploymentReport) {
    let _ = writeln!(out, "<h3>Waivers ({})</h3>", deployment.waivers.len());
    if deployment.waivers.is_empty() {
        out.push_str("<p>No waivers.</p>\n");
        return;
    }
    out.push_str("<table>\n<thead><tr><th scope=\"col\" class=\"num\">Line</th><th scope=\"col\">Rule</th><th scope=\"col\">Control</th><th scope=\"col\">Reason</th><th scope=\"col\">Approved by</th><th scope=\"col\">Ticket</th><th scope=\"col\">Expires</th><th scope=\"col\" class=\"num\">Days left</th><th scope=\"col\">State</th><th scope=\"col\" class=\"num\">Findings waived</th></tr></thead>\n<tbody>\n");
    for waiver in &deployment.waivers {
        let state = match waiver.state {
            WaiverState::Active => badge("status-claimed", "active"),
            WaiverState::Unused => badge("status-waived", "unused"),
            WaiverState::Expired => badge("status-gap", "expired"),
            WaiverState::Invalid => badge("status-gap", "invalid"),
        };
        let _ = writeln!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"date\">{}</td><td class=\"num\">{}</td><td>{state}</td><td class=\"num\">{}</td></tr>",
            waiver.line,
            opt(&waiver.rule),
            opt(&waiver.control),
            opt(&waiver.reason),
            opt(&waiver.approved_by),
            opt(&waiver.ticket),
            opt(&waiver.expires),
            waiver
                .days_left
                .map_or_else(|| "—".to_owned(), |days| days.to_string()),
            waiver.waived,
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn requirement_class(status: RequirementStatus) -> &'static str {
    match status {
        RequirementStatus::Covered => "req-covered",
        RequirementStatus::Inherited => "req-inherited",
        RequirementStatus::Open => "req-open",
        RequirementStatus::NotApplicable => "owner-na",
    }
}

fn requirement_badge(status: RequirementStatus) -> String {
    badge(requirement_class(status), status.as_str())
}

fn basis_word(basis: Basis) -> &'static str {
    match basis {
        Basis::Cited => "cited",
        Basis::Judgement => "judgement",
    }
}

fn framework_section(out: &mut String, framework: &FrameworkCoverage, index: usize) {
    let counts = framework.counts;
    let _ = writeln!(
        out,
        "<h4 id=\"d{index}-fw-{}\">{}</h4>\n<p class=\"note\">{}</p>",
        escape(&framework.id),
        escape(&framework.title),
        escape(&framework.reference)
    );
    let _ = writeln!(
        out,
        "<p>Of {} requirements that apply: {} {}%, {} {}%, {} {}%; {} not applicable to this deployment.</p>",
        counts.applicable,
        badge(
            requirement_class(RequirementStatus::Covered),
            &format!("{} covered", counts.covered)
        ),
        counts.covered_percent,
        badge(
            requirement_class(RequirementStatus::Inherited),
            &format!("{} inherited", counts.inherited)
        ),
        counts.inherited_percent,
        badge(
            requirement_class(RequirementStatus::Open),
            &format!("{} open", counts.open)
        ),
        counts.open_percent,
        counts.not_applicable
    );
    let _ = writeln!(
        out,
        "<div class=\"bar\" role=\"img\" aria-label=\"{}% covered, {}% inherited, {}% open\"><span class=\"covered\" style=\"width:{}%\"></span><span class=\"inherited\" style=\"width:{}%\"></span><span class=\"open\" style=\"width:{}%\"></span></div>",
        counts.covered_percent,
        counts.inherited_percent,
        counts.open_percent,
        counts.covered_percent,
        counts.inherited_percent,
        counts.open_percent
    );
    out.push_str("<table>\n<thead><tr><th scope=\"col\">Requirement</th><th scope=\"col\">Title</th><th scope=\"col\">Status</th><th scope=\"col\">Through controls (basis)</th></tr></thead>\n<tbody>\n");
    for requirement in &framework.requirements {
        if requirement.status == RequirementStatus::NotApplicable {
            continue;
        }
        let controls: Vec<String> = requirement
            .controls
            .iter()
            .map(|c| {
                format!(
                    "<a href=\"#d{index}-{id}\"><code>{id}</code></a> {} ({})",
                    c.status.as_str(),
                    basis_word(c.basis),
                    id = escape(&c.control)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&requirement.id),
            escape(&requirement.title),
            requirement_badge(requirement.status),
            controls.join(", ")
        );
    }
    out.push_str("</tbody>\n</table>\n");
    for unmapped in &framework.unmapped_controls {
        let _ = writeln!(
            out,
            "<p class=\"note\"><code>{}</code> maps to no requirement of this framework: {}</p>",
            escape(&unmapped.control),
            escape(&unmapped.note)
        );
    }
}

fn model_title<'a>(deployment: &'a DeploymentReport, model: &'a str) -> &'a str {
    deployment
        .models
        .iter()
        .find(|m| m.id == model)
        .map_or(model, |m| m.title.as_str())
}

fn control_section(
    out: &mut String,
    control: &ControlReport,
    deployment: &DeploymentReport,
    index: usize,
) {
    let _ = writeln!(
        out,
        "<div class=\"control\" id=\"d{index}-{id}\">\n<h4><code>{id}</code> {} {}</h4>\n<dl class=\"facts\">",
        escape(&control.title),
        status_badge(control.status),
        id = escape(&control.id)
    );
    fact(
        out,
        "Matrix owner",
        &format!(
            "<span class=\"owner-{owner}\">{owner}</span> <span class=\"note\">(source: {})</span>",
            escape(&control.source.to_string()),
            owner = control.owner.as_str()
        ),
    );
    for part in &control.customer_parts {
        fact(
            out,
            &format!(
                "Your part ({})",
                escape(model_title(deployment, &part.model))
            ),
            &escape(&part.scope),
        );
    }
    for part in &control.provider_parts {
        fact(
            out,
            &format!(
                "Provider part ({})",
                escape(model_title(deployment, &part.model))
            ),
            &format!(
                "{}: {}",
                escape(&part.parties.join(", ")),
                escape(&part.scope)
            ),
        );
    }
    if !control.attestations.is_empty() {
        let attestations: Vec<String> = control
            .attestations
            .iter()
            .map(|a| {
                format!(
                    "{}: {}",
                    escape(&a.party),
                    escape(&a.attestations.join(", "))
                )
            })
            .collect();
        fact(out, "Inherited on", &attestations.join("; "));
    }
    match &control.entry {
        None if control.owner == MatrixOwner::Provider => fact(
            out,
            "Entry",
            "none (inherited without acknowledgement; <code>owner = \"exoscale\"</code> would record it)",
        ),
        None => fact(
            out,
            "Entry",
            &badge("status-gap", "none: nobody claims your part"),
        ),
        Some(claim) => {
            fact(
                out,
                "Entry",
                &format!("line {}, owner {}", claim.line, opt(&claim.owner)),
            );
            if claim
                .owner
                .as_deref()
                .is_some_and(|o| o == "customer" || o == "shared")
            {
                fact(out, "Accountable", &opt(&claim.accountable));
                fact(out, "Implementation", &opt(&claim.implementation));
                let evidence: Vec<String> = claim
                    .evidence
                    .iter()
                    .map(|e| format!("<code>{}</code>", escape(e)))
                    .collect();
                fact(out, "Evidence", &or_none(&evidence.join("<br>")));
                let reviewed = match (&claim.reviewed, claim.reviewed_days_ago) {
                    (Some(date), Some(days)) if days >= 0 => {
                        format!("{} ({days} days ago)", escape(date))
                    }
                    (Some(date), _) => format!("{} (in the future)", escape(date)),
                    _ => "never".to_owned(),
                };
                fact(out, "Last review", &reviewed);
            }
            if let Some(notes) = &claim.notes {
                fact(out, "Notes", &escape(notes));
            }
        }
    }
    for finding in &control.findings {
        fact(
            out,
            &format!("{} ({})", escape(&finding.code), finding.severity.as_str()),
            &format!("line {}: {}", finding.line, escape(&finding.message)),
        );
    }
    for mapping in &control.mappings {
        let requirements = if mapping.requirements.is_empty() {
            "nothing".to_owned()
        } else {
            escape(&mapping.requirements.join(", "))
        };
        let citation = mapping
            .citation
            .as_deref()
            .map(|c| format!(": {}", escape(c)))
            .unwrap_or_default();
        fact(
            out,
            &escape(&mapping.framework),
            &format!(
                "{requirements} <span class=\"note\">({}{citation})</span>",
                basis_word(mapping.basis)
            ),
        );
    }
    out.push_str("</dl>\n</div>\n");
}

fn warnings(out: &mut String, deployment: &DeploymentReport) {
    if deployment.warnings.is_empty() && deployment.waived.is_empty() {
        return;
    }
    out.push_str("<h3>Warnings and waived findings</h3>\n<ol class=\"gaps\">\n");
    for finding in &deployment.warnings {
        finding_item(out, finding, &deployment.file);
    }
    for finding in &deployment.waived {
        let waiver = finding
            .waiver
            .as_ref()
            .map(|w| {
                format!(
                    " <span class=\"note\">(waived until {}, approved by {}: {})</span>",
                    escape(&w.expires),
                    escape(&w.approved_by),
                    escape(&w.reason)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<li>{} <strong>{}</strong> <code>{}:{}</code> {}{waiver}</li>",
            badge("status-waived", "waived"),
            escape(&finding.code),
            escape(&deployment.file),
            finding.line,
            escape(&finding.message)
        );
    }
    out.push_str("</ol>\n");
}

fn opt(value: &Option<String>) -> String {
    value.as_deref().map_or_else(|| "—".to_owned(), escape)
}

fn or_none(joined: &str) -> String {
    if joined.is_empty() {
        "none".to_owned()
    } else {
        joined.to_owned()
    }
}

/// Text made inert in HTML element content and in quoted attribute values.
pub fn escape(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_every_markup_character() {
        assert_eq!(
            escape(r#"<script>alert('x' & "y")</script>"#),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;"
        );
    }
}
