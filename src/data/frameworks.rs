//! Framework crosswalks (`policies/frameworks/*.toml`): the whole catalogue of ISO
//! 27001, SOC 2, NIS2 and C5, and for each requirement the srmlint controls that speak
//! to it, each link with its own basis and how much of the requirement it holds.
//!
//! A report may only claim what these files earn it (a requirement is covered through
//! whole links the customer owes, inherited through whole links the provider holds, a
//! duty toward the provider never), so `Framework::parse` refuses a file that could
//! make it claim more: a catalogue that is not whole, an id twice or out of the
//! catalogue's pattern, a cited link whose citation does not name its requirement.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// The mappings shipped in the binary, as (id, text of `policies/frameworks/<id>.toml`).
pub const EMBEDDED_FRAMEWORKS: &[(&str, &str)] = &[
    (
        "iso27001",
        include_str!("../../policies/frameworks/iso27001.toml"),
    ),
    ("soc2", include_str!("../../policies/frameworks/soc2.toml")),
    ("nis2", include_str!("../../policies/frameworks/nis2.toml")),
    ("c5", include_str!("../../policies/frameworks/c5.toml")),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub framework: FrameworkInfo,
    /// Every requirement of the catalogue, in the catalogue's own order.
    pub requirements: Vec<Requirement>,
    /// Control id → why it maps where it does (or, linked nowhere, why not).
    pub controls: BTreeMap<String, ControlNote>,
}

/// The posture report writes it without `count` and `id_pattern`, which only check the
/// file.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkInfo {
    pub id: String,
    pub title: String,
    pub version: String,
    pub reference: String,
    /// How many requirements the catalogue has: the file must list exactly as many.
    #[serde(skip_serializing)]
    pub count: usize,
    /// The shape of every requirement id (a regular expression).
    #[serde(skip_serializing)]
    pub id_pattern: String,
    /// The public sources the ids and titles were checked against.
    pub checked_against: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    pub title: String,
    /// The title is srmlint's short description, not the framework's words.
    #[serde(default)]
    pub paraphrased: bool,
    /// Set (with the reason) for a duty the customer keeps toward its provider: such a
    /// requirement is never inherited.
    pub customer_duty: Option<String>,
    #[serde(default)]
    pub links: Vec<Link>,
}

/// One (control, requirement) link. The posture report writes it beside the
/// requirement or the control it is read from, so `control` is not written again.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    #[serde(skip_serializing)]
    pub control: String,
    pub basis: Basis,
    /// For `cited`: the text that names this requirement.
    pub citation: Option<String>,
    /// For `judgement`: the project's reason.
    pub reason: Option<String>,
    pub extent: Extent,
    /// The part of the requirement the provider covers, when it covers only part of it
    /// (ISO A.7.x: the data centres, not the customer's own offices). With it the
    /// requirement is never `inherited`, at most `inherited_in_part`.
    pub provider_scope: Option<String>,
    /// The part left to the customer; given exactly when `provider_scope` is.
    pub customer_scope: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// The framework's own text names the topic; the citation says where.
    Cited,
    /// The project's reading; the reason says why.
    Judgement,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Cited => "cited",
            Basis::Judgement => "judgement",
        }
    }
}

/// How much of a requirement the holder of a linked control meets for a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Extent {
    /// With the requirement's other whole links, all of it.
    Whole,
    /// Only part of it: the rest lies outside srmlint's controls.
    Part,
}

impl Extent {
    pub fn as_str(self) -> &'static str {
        match self {
            Extent::Whole => "whole",
            Extent::Part => "part",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlNote {
    pub note: String,
}

impl Link {
    /// The citation for `cited`, the reason for `judgement`.
    pub fn basis_text(&self) -> &str {
        let text = match self.basis {
            Basis::Cited => &self.citation,
            Basis::Judgement => &self.reason,
        };
        text.as_deref().unwrap_or_default()
    }
}

impl Framework {
    pub fn parse(text: &str) -> Result<Self, String> {
        let framework: Framework = toml::from_str(text).map_err(|error| error.to_string())?;
        let problems = framework.problems();
        if problems.is_empty() {
            Ok(framework)
        } else {
            Err(problems.join("\n"))
        }
    }

    /// Everything that would let a report claim more than the file earns.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let info = &self.framework;
        if self.requirements.len() != info.count {
            problems.push(format!(
                "the catalogue has {} requirements but `count` says {}: list every requirement",
                self.requirements.len(),
                info.count
            ));
        }
        let pattern = regex::Regex::new(&info.id_pattern)
            .inspect_err(|error| {
                problems.push(format!("`id_pattern` is not a regular expression: {error}"));
            })
            .ok();
        let mut seen = BTreeSet::new();
        for requirement in &self.requirements {
            let id = &requirement.id;
            if !seen.insert(id.as_str()) {
                problems.push(format!("requirement `{id}` is listed twice"));
            }
            if pattern
                .as_ref()
                .is_some_and(|pattern| !pattern.is_match(id))
            {
                problems.push(format!(
                    "requirement `{id}` does not match `id_pattern` {}",
                    info.id_pattern
                ));
            }
            if requirement.title.trim().is_empty() {
                problems.push(format!("requirement `{id}` has no title"));
            }
            let mut linked = BTreeSet::new();
            for link in &requirement.links {
                problems.extend(link_problems(requirement, link));
                if !linked.insert(link.control.as_str()) {
                    problems.push(format!(
                        "requirement `{id}` links control `{}` twice",
                        link.control
                    ));
                }
                if !self.controls.contains_key(&link.control) {
                    problems.push(format!(
                        "requirement `{id}` links control `{}`, which has no `[controls.{}]` note",
                        link.control, link.control
                    ));
                }
            }
        }
        problems.extend(order_problems(&self.requirements));
        problems
    }

    pub fn id(&self) -> &str {
        &self.framework.id
    }

    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.requirements
            .iter()
            .find(|requirement| requirement.id == id)
    }

    /// The links of `control`, each with its requirement, in catalogue order.
    pub fn links_of<'a>(
        &'a self,
        control: &'a str,
    ) -> impl Iterator<Item = (&'a Requirement, &'a Link)> + 'a {
        self.requirements.iter().flat_map(move |requirement| {
            (requirement.links.iter())
                .filter(move |link| link.control == control)
                .map(move |link| (requirement, link))
        })
    }
}

fn link_problems(requirement: &Requirement, link: &Link) -> Vec<String> {
    let (id, control) = (&requirement.id, &link.control);
    let place = format!("requirement `{id}`, control `{control}`");
    let mut problems = Vec::new();
    let filled = |text: &Option<String>| text.as_deref().is_some_and(|t| !t.trim().is_empty());
    if filled(&link.provider_scope) != filled(&link.customer_scope) {
        problems.push(format!(
            "{place}: `provider_scope` and `customer_scope` go together: name the provider's part and the part left to the customer"
        ));
    }
    match link.basis {
        Basis::Cited => {
            match link.citation.as_deref() {
                None => problems.push(format!("{place}: a cited link needs `citation`")),
                // A citation naming another requirement would make this one look cited.
                Some(citation) if !citation.contains(id.as_str()) => problems.push(format!(
                    "{place}: the citation does not name `{id}`: {citation}"
                )),
                // A citation quotes its source; the requirement's title alone is no support.
                Some(citation) if !quotes_more_than_the_title(citation, &requirement.title) => {
                    problems.push(format!(
                        "{place}: a citation quotes its source (text in “…”) beyond the requirement's title; otherwise the link is a `judgement` with a reason: {citation}"
                    ));
                }
                Some(_) => {}
            }
            if link.reason.is_some() {
                problems.push(format!(
                    "{place}: a cited link has a `citation`, not a `reason`"
                ));
            }
        }
        Basis::Judgement => {
            if !filled(&link.reason) {
                problems.push(format!("{place}: a judgement needs its `reason`"));
            }
            if link.citation.is_some() {
                problems.push(format!(
                    "{place}: a judgement has a `reason`, not a `citation`"
                ));
            }
        }
    }
    problems
}

/// Whether `citation` holds a quotation in “…” that is not the requirement's title.
fn quotes_more_than_the_title(citation: &str, title: &str) -> bool {
    citation.split('“').skip(1).any(|after| {
        after.split_once('”').is_some_and(|(quoted, _)| {
            let quoted = quoted.trim();
            !quoted.is_empty() && !quoted.eq_ignore_ascii_case(title.trim())
        })
    })
}

/// The catalogue's own order: the ids of a group (an id without its last number) stand
/// together, their numbers rising (`A.5.2` before `A.5.13`, `CC6.8` before `CC6.10`).
fn order_problems(requirements: &[Requirement]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut closed: BTreeSet<&str> = BTreeSet::new();
    let mut previous: Option<(&str, u64, &str)> = None;
    for requirement in requirements {
        let (group, number) = group_and_number(&requirement.id);
        match previous {
            Some((last_group, last_number, last_id)) if last_group == group => {
                let rising = number > last_number;
                problems.extend((!rising).then(|| {
                    format!(
                        "requirement `{}` comes after `{last_id}`: list a group in rising order",
                        requirement.id
                    )
                }));
            }
            Some((last_group, ..)) => {
                closed.insert(last_group);
                if closed.contains(group) {
                    problems.push(format!(
                        "requirement `{}` is apart from the rest of its group `{group}`",
                        requirement.id
                    ));
                }
            }
            None => {}
        }
        previous = Some((group, number, &requirement.id));
    }
    problems
}

/// `A.8.13` → (`A.8.`, 13); `21(2)(c)` → (`21(2)(`, 3): the last number, or the last
/// letter in parentheses, and what stands before it.
fn group_and_number(id: &str) -> (&str, u64) {
    let trimmed = id.trim_end_matches(')');
    let digits = trimmed.len() - trimmed.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        let (group, number) = trimmed.split_at(trimmed.len() - digits);
        return (group, number.parse().unwrap_or(u64::MAX));
    }
    match trimmed.char_indices().next_back() {
        Some((index, letter)) if letter.is_ascii_lowercase() => {
            (&trimmed[..index], u64::from(letter) - u64::from('a') + 1)
        }
        _ => (trimmed, 0),
    }
}

/// Requirement ids in reading order: number runs compare as numbers, so `A.8.2`
/// comes before `A.8.13` and `CC6.8` before `CC6.10`.
pub fn requirement_order(id: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut chars = id.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut number = String::from(c);
            while let Some(&next) = chars.peek().filter(|n| n.is_ascii_digit()) {
                number.push(next);
                chars.next();
            }
            key.push((
                std::mem::take(&mut text),
                number.parse().unwrap_or(u64::MAX),
            ));
        } else {
            text.push(c);
        }
    }
    key.push((text, 0));
    key
}

/// The ids of the embedded frameworks, known without parsing them: each file is named
/// after the id it declares (a test holds them to it). Checking a controls file only
/// needs the ids (SRM016); the mappings are parsed by the commands that show them.
pub fn embedded_ids() -> impl Iterator<Item = &'static str> {
    EMBEDDED_FRAMEWORKS.iter().map(|(id, _)| *id)
}

pub fn embedded() -> Vec<Framework> {
    EMBEDDED_FRAMEWORKS
        .iter()
        .map(|(id, text)| {
            Framework::parse(text)
                .unwrap_or_else(|error| panic!("{id}.toml is checked by the test suite: {error}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::group_and_number;

    #[test]
    fn groups_end_before_the_last_number_or_letter() {
        assert_eq!(group_and_number("A.8.13"), ("A.8.", 13));
        assert_eq!(group_and_number("CC6.10"), ("CC6.", 10));
        assert_eq!(group_and_number("OPS-09"), ("OPS-", 9));
        assert_eq!(group_and_number("21(2)(c)"), ("21(2)(", 3));
    }
}
