//! Framework crosswalks (`policies/frameworks/*.toml`): which requirements of ISO
//! 27001, SOC 2, NIS2 and C5 each control of the matrix speaks to, and on what basis.

use std::collections::BTreeMap;

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
    pub requirements: BTreeMap<String, Requirement>,
    /// Control id → mapping.
    pub controls: BTreeMap<String, Mapping>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkInfo {
    pub id: String,
    pub title: String,
    pub version: String,
    pub reference: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub title: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// The framework's own text names the topic.
    Cited,
    /// The project's reading.
    Judgement,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub requirements: Vec<String>,
    pub basis: Basis,
    pub citation: Option<String>,
    pub note: String,
}

impl Framework {
    pub fn parse(text: &str) -> Result<Self, String> {
        let framework: Framework = toml::from_str(text).map_err(|error| error.to_string())?;
        let mut problems = Vec::new();
        for (control, mapping) in &framework.controls {
            for requirement in &mapping.requirements {
                if !framework.requirements.contains_key(requirement) {
                    problems.push(format!(
                        "control `{control}` maps to `{requirement}`, which is not in [requirements]"
                    ));
                }
            }
            if mapping.basis == Basis::Cited && mapping.citation.is_none() {
                problems.push(format!(
                    "control `{control}`: a cited mapping needs `citation`"
                ));
            }
        }
        if problems.is_empty() {
            Ok(framework)
        } else {
            Err(problems.join("\n"))
        }
    }

    pub fn id(&self) -> &str {
        &self.framework.id
    }
}

/// The ids of the embedded frameworks, known without parsing them: each file is named
/// after the id it declares (a test holds them to it). Checking a controls file only
/// needs the ids (SRM016); the mappings are parsed by the commands that show them.
pub fn embedded_ids() -> impl Iterator<Item = &'static str> {
    EMBEDDED_FRAMEWORKS.iter().map(|(id, _)| *id)
}

/// Every embedded framework mapping.
pub fn embedded() -> Vec<Framework> {
    EMBEDDED_FRAMEWORKS
        .iter()
        .map(|(id, text)| {
            Framework::parse(text)
                .unwrap_or_else(|error| panic!("{id}.toml is checked by the test suite: {error}"))
        })
        .collect()
}
