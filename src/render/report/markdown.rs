//! The posture report as GitHub-flavoured Markdown, for a pull-request comment or
//! `$GITHUB_STEP_SUMMARY`. Every string from a controls file is escaped, so a value
//! cannot open a link, an HTML tag or a table cell of its own.

use std::fmt::Write;

use crate::posture::{
    ControlReport, DeploymentReport, Finding, FrameworkCoverage, GridCell, PostureReport,
    WaiverState,
};
use crate::text::escape::escape_for_terminal;

pub fn render(report: &PostureReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Pre-audit posture report\n");
    let _ = writeln!(
        out,
        "Report date {} · matrix: {} · srmlint {}\n",
        report.today,
        text(&report.matrix),
        env!("CARGO_PKG_VERSION")
    );
    if report.deployments.len() > 1 {
        overview(&mut out, report);
    }
    for deployment in &report.deployments {
        render_deployment(&mut out, deployment);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn overview(out: &mut String, report: &PostureReport) {
    let _ = writeln!(
        out,
        "| Deployment | File | Controls | Claimed | Inherited | Gaps (findings) |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    for deployment in &report.deployments {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            deployment_name(deployment),
            text(&deployment.file),
            deployment.counts.applicable,
            deployment.counts.claimed,
            deployment.counts.inherited,
            deployment.gaps.len()
        );
    }
    out.push('\n');
}

fn deployment_name(deployment: &DeploymentReport) -> String {
    deployment
        .name
        .as_deref()
        .map_or_else(|| "(unnamed)".to_owned(), text)
}

fn render_deployment(out: &mut String, deployment: &DeploymentReport) {
    let _ = writeln!(out, "## Deployment {}\n", deployment_name(deployment));
    let _ = writeln!(out, "- File: {}", text(&deployment.file));
    if !deployment.parsed {
        let _ = writeln!(
            out,
            "\nThis file could not be read as a controls file, so no control can be judged. Fix the gaps below first.\n"
        );
        gaps(out, deployment);
        return;
    }
    summary(out, deployment);
    gaps(out, deployment);
    grid(out, deployment);
    waivers(out, deployment);
    for framework in &deployment.frameworks {
        framework_section(out, framework);
    }
    if deployment.frameworks.is_empty() {
        let _ = writeln!(
            out,
            "### Frameworks\n\nNo framework selected: set `frameworks` in `[deployment]` or pass `--framework ID`.\n"
        );
    }
    if !deployment.controls.is_empty() {
        let _ = writeln!(out, "### Controls\n");
    }
    for control in &deployment.controls {
        control_section(out, control, deployment);
    }
    warnings(out, deployment);
}

fn summary(out: &mut String, deployment: &DeploymentReport) {
    if let Some(provider) = &deployment.provider {
        let _ = writeln!(out, "- Provider: {}", text(provider));
    }
    let services: Vec<String> = deployment
        .services
        .iter()
        .map(|service| match (&service.title, &service.model) {
            (Some(title), Some(model)) => {
                format!("{} ({}, {model})", text(&service.id), text(title))
            }
            _ => format!("{} (not in the catalog)", text(&service.id)),
        })
        .collect();
    let _ = writeln!(out, "- Services: {}", or_none(&services.join("; ")));
    let zones: Vec<String> = deployment
        .zones
        .iter()
        .map(|zone| match (&zone.city, &zone.country) {
            (Some(city), Some(country)) => format!("{} ({city}, {country})", text(&zone.id)),
            _ => format!("{} (not in the catalog)", text(&zone.id)),
        })
        .collect();
    let _ = writeln!(out, "- Zones: {}", or_none(&zones.join("; ")));
    let _ = writeln!(
        out,
        "- Residency: {}",
        deployment
            .residency
            .as_deref()
            .map_or_else(|| "not declared".to_owned(), text)
    );
    let regulated: Vec<String> = deployment.regulated.iter().map(|r| text(r)).collect();
    let _ = writeln!(
        out,
        "- Regulated sectors: {}",
        or_none(&regulated.join(", "))
    );
    let frameworks: Vec<String> = deployment
        .frameworks
        .iter()
        .map(|f| text(&f.title))
        .chain(
            deployment
                .unknown_frameworks
                .iter()
                .map(|f| format!("{} (no mapping)", text(f))),
        )
        .collect();
    let _ = writeln!(out, "- Frameworks: {}", or_none(&frameworks.join("; ")));
    let counts = deployment.counts;
    let _ = writeln!(
        out,
        "- Controls that apply: {} ({} customer, {} shared, {} provider)",
        counts.applicable, counts.customer, counts.shared, counts.provider
    );
    let _ = writeln!(
        out,
        "- Controls by status: **{} with a gap**, {} claimed, {} inherited, {} waived",
        counts.gap, counts.claimed, counts.inherited, counts.waived
    );
    let summary = deployment.summary;
    let _ = writeln!(
        out,
        "- Findings: {} error(s), {} warning(s), {} waived\n",
        summary.errors,
        summary.warnings + summary.infos,
        summary.waived
    );
}

fn gaps(out: &mut String, deployment: &DeploymentReport) {
    let _ = writeln!(out, "### Gaps ({})\n", deployment.gaps.len());
    if deployment.gaps.is_empty() {
        let _ = writeln!(out, "No gaps: every error-level check passes.\n");
        return;
    }
    for gap in &deployment.gaps {
        finding_item(out, gap, &deployment.file);
    }
    out.push('\n');
}

fn finding_item(out: &mut String, finding: &Finding, file: &str) {
    let control = finding
        .control
        .as_deref()
        .map(|control| format!(" `{control}`:"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "- **{}** {}:{}{control} {} ({})",
        finding.code,
        text(file),
        finding.line,
        text(&finding.message),
        finding.name
    );
    if !finding.help.is_empty() {
        if finding.help.contains('\n') {
            let fence = fence_for(&finding.help);
            let _ = writeln!(out, "\n  {fence}text");
            for line in finding.help.lines() {
                let _ = writeln!(out, "  {}", escape_for_terminal(line));
            }
            let _ = writeln!(out, "  {fence}\n");
        } else {
            let _ = writeln!(out, "  Fix: {}", text(&finding.help));
        }
    }
}

/// A code fence longer than any run of backticks inside `content`.
fn fence_for(content: &str) -> String {
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

fn cell_text(cell: &GridCell) -> String {
    match (cell.owner, cell.status) {
        (Some(owner), Some(status)) => format!("{} · {}", owner.as_str(), status_word(status)),
        _ => "—".to_owned(),
    }
}

fn status_word(status: crate::posture::Status) -> &'static str {
    match status {
        crate::posture::Status::Gap => "**GAP**",
        other => other.as_str(),
    }
}

fn grid(out: &mut String, deployment: &DeploymentReport) {
    let _ = writeln!(out, "### Ownership grid\n");
    if deployment.foreign_provider {
        let _ = writeln!(
            out,
            "The file names another provider than the loaded matrix's, so no control is judged.\n"
        );
        return;
    }
    if deployment.models.is_empty() {
        let _ = writeln!(out, "No service model is in use, so no control applies.\n");
        return;
    }
    let mut header = String::from("| Control |");
    let mut rule = String::from("|---|");
    for model in &deployment.models {
        let _ = write!(header, " {} |", text(&model.title));
        rule.push_str("---|");
    }
    let _ = writeln!(out, "{header} Owner | Status |\n{rule}---|---|");
    for control in &deployment.controls {
        let cells: Vec<String> = control.cells.iter().map(cell_text).collect();
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} | {} |",
            control.id,
            anchor(&deployment.file, &control.id),
            cells.join(" | "),
            control.owner.as_str(),
            status_word(control.status)
        );
    }
    let _ = writeln!(
        out,
        "\nOwner per model: customer, shared (customer and provider parts) or provider. Status: claimed (your part is claimed with no error), inherited (the provider's alone), waived (a gap under a waiver), GAP (an error finding or an unclaimed part).\n"
    );
}

/// The in-page anchor of a control (GitHub lower-cases headings and drops punctuation,
/// so the report uses explicit HTML anchors instead).
fn anchor(file: &str, control: &str) -> String {
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

fn waivers(out: &mut String, deployment: &DeploymentReport) {
    let _ = writeln!(out, "### Waivers ({})\n", deployment.waivers.len());
    if deployment.waivers.is_empty() {
        let _ = writeln!(out, "No waivers.\n");
        return;
    }
    let _ = writeln!(
        out,
        "| Line | Rule | Control | Reason | Approved by | Ticket | Expires | Days left | State | Findings waived |"
    );
    let _ = writeln!(out, "|---:|---|---|---|---|---|---|---:|---|---:|");
    for waiver in &deployment.waivers {
        let state = match waiver.state {
            WaiverState::Active => "active",
            WaiverState::Unused => "unused",
            WaiverState::Expired => "**EXPIRED**",
            WaiverState::Invalid => "**INVALID**",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {state} | {} |",
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
    out.push('\n');
}

fn framework_section(out: &mut String, framework: &FrameworkCoverage) {
    let counts = framework.counts;
    let _ = writeln!(out, "### {}\n", text(&framework.title));
    let _ = writeln!(out, "{}\n", text(&framework.reference));
    let _ = writeln!(
        out,
        "Of {} requirements that apply: **{} covered ({}%)**, {} inherited ({}%), **{} open ({}%)**; {} not applicable to this deployment.\n",
        counts.applicable,
        counts.covered,
        counts.covered_percent,
        counts.inherited,
        counts.inherited_percent,
        counts.open,
        counts.open_percent,
        counts.not_applicable
    );
    let _ = writeln!(
        out,
        "| Requirement | Title | Status | Through controls (basis) |"
    );
    let _ = writeln!(out, "|---|---|---|---|");
    for requirement in &framework.requirements {
        if requirement.status == crate::posture::RequirementStatus::NotApplicable {
            continue;
        }
        let controls: Vec<String> = requirement
            .controls
            .iter()
            .map(|c| {
                format!(
                    "`{}` {} ({})",
                    c.control,
                    c.status.as_str(),
                    basis_word(c.basis)
                )
            })
            .collect();
        let status = match requirement.status {
            crate::posture::RequirementStatus::Open => "**OPEN**",
            other => other.as_str(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {status} | {} |",
            text(&requirement.id),
            text(&requirement.title),
            controls.join(", ")
        );
    }
    for unmapped in &framework.unmapped_controls {
        let _ = writeln!(
            out,
            "\n`{}` maps to no requirement of this framework: {}",
            unmapped.control,
            text(&unmapped.note)
        );
    }
    out.push('\n');
}

fn basis_word(basis: crate::data::frameworks::Basis) -> &'static str {
    match basis {
        crate::data::frameworks::Basis::Cited => "cited",
        crate::data::frameworks::Basis::Judgement => "judgement",
    }
}

fn control_section(out: &mut String, control: &ControlReport, deployment: &DeploymentReport) {
    let _ = writeln!(
        out,
        "#### <a id=\"{}\"></a>`{}` {}: {}\n",
        anchor(&deployment.file, &control.id),
        control.id,
        text(&control.title),
        status_word(control.status)
    );
    let _ = writeln!(
        out,
        "- Matrix owner: {} (source: {})",
        control.owner.as_str(),
        text(&control.source.to_string())
    );
    for part in &control.customer_parts {
        let _ = writeln!(
            out,
            "- Your part ({}): {}",
            model_title(deployment, &part.model),
            text(&part.scope)
        );
    }
    for part in &control.provider_parts {
        let _ = writeln!(
            out,
            "- Provider part ({}, {}): {}",
            model_title(deployment, &part.model),
            text(&part.parties.join(", ")),
            text(&part.scope)
        );
    }
    if !control.attestations.is_empty() {
        let attestations: Vec<String> = control
            .attestations
            .iter()
            .map(|a| format!("{}: {}", text(&a.party), text(&a.attestations.join(", "))))
            .collect();
        let _ = writeln!(
            out,
            "- Inherited on the attestations of {}",
            attestations.join("; ")
        );
    }
    match &control.entry {
        None if control.owner == crate::data::matrix::MatrixOwner::Provider => {
            let _ = writeln!(
                out,
                "- Entry: none (inherited without acknowledgement; `owner = \"exoscale\"` would record it)"
            );
        }
        None => {
            let _ = writeln!(out, "- Entry: **none**: nobody claims your part");
        }
        Some(claim) => {
            let _ = writeln!(
                out,
                "- Entry (line {}): owner {}",
                claim.line,
                opt(&claim.owner)
            );
            if claim
                .owner
                .as_deref()
                .is_some_and(|o| o == "customer" || o == "shared")
            {
                let _ = writeln!(out, "  - Accountable: {}", opt(&claim.accountable));
                let _ = writeln!(out, "  - Implementation: {}", opt(&claim.implementation));
                let evidence: Vec<String> = claim.evidence.iter().map(|e| text(e)).collect();
                let _ = writeln!(out, "  - Evidence: {}", or_none(&evidence.join("; ")));
                let reviewed = match (&claim.reviewed, claim.reviewed_days_ago) {
                    (Some(date), Some(days)) if days >= 0 => format!("{date} ({days} days ago)"),
                    (Some(date), _) => format!("{date} (in the future)"),
                    _ => "never".to_owned(),
                };
                let _ = writeln!(out, "  - Last review: {reviewed}");
            }
            if let Some(notes) = &claim.notes {
                let _ = writeln!(out, "  - Notes: {}", text(notes));
            }
        }
    }
    for finding in &control.findings {
        let _ = writeln!(
            out,
            "- Finding {} ({}, line {}): {}",
            finding.code,
            finding.severity.as_str(),
            finding.line,
            text(&finding.message)
        );
    }
    for mapping in &control.mappings {
        let requirements = if mapping.requirements.is_empty() {
            "nothing".to_owned()
        } else {
            text(&mapping.requirements.join(", "))
        };
        let citation = mapping
            .citation
            .as_deref()
            .map(|c| format!(": {}", text(c)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {}: {requirements} ({}{citation})",
            mapping.framework,
            basis_word(mapping.basis)
        );
    }
    out.push('\n');
}

fn model_title<'a>(deployment: &'a DeploymentReport, model: &'a str) -> &'a str {
    deployment
        .models
        .iter()
        .find(|m| m.id == model)
        .map_or(model, |m| m.title.as_str())
}

fn warnings(out: &mut String, deployment: &DeploymentReport) {
    if deployment.warnings.is_empty() && deployment.waived.is_empty() {
        return;
    }
    let _ = writeln!(out, "### Warnings and waived findings\n");
    for finding in &deployment.warnings {
        finding_item(out, finding, &deployment.file);
    }
    for finding in &deployment.waived {
        let waiver = finding
            .waiver
            .as_ref()
            .map(|w| {
                format!(
                    " (waived until {}, approved by {}: {})",
                    w.expires,
                    text(&w.approved_by),
                    text(&w.reason)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- (waived) **{}** {}:{} {}{waiver}",
            finding.code,
            text(&deployment.file),
            finding.line,
            text(&finding.message)
        );
    }
    out.push('\n');
}

fn opt(value: &Option<String>) -> String {
    value.as_deref().map_or_else(|| "—".to_owned(), text)
}

fn or_none(joined: &str) -> String {
    if joined.is_empty() {
        "none".to_owned()
    } else {
        joined.to_owned()
    }
}

/// Text made inert in Markdown: on one line, terminal controls escaped, and every
/// character that could start markup, a link, an HTML tag or a table cell
/// backslash-escaped (`&` as an entity, so no entity can be spelled out).
pub fn text(value: &str) -> String {
    let one_line = escape_for_terminal(value).replace(['\r', '\n'], " ");
    let mut escaped = String::with_capacity(one_line.len());
    for c in one_line.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                escaped.push('\\');
                escaped.push(c);
            }
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::{fence_for, text};

    #[test]
    fn file_text_cannot_make_markup() {
        assert_eq!(
            text("<img src=x> | [a](http://e) & `b`\nnext"),
            "\\<img src=x\\> \\| \\[a\\](http://e) &amp; \\`b\\` next"
        );
    }

    #[test]
    fn fences_outrun_backticks() {
        assert_eq!(fence_for("plain"), "```");
        assert_eq!(fence_for("a ```` b"), "`````");
    }
}
