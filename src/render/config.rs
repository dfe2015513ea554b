//! `srmlint config [PATH]`: the effective configuration of a controls file or folder,
//! each setting with the `.srmlint.toml` it came from (or "default"), so a team can see
//! what a nested configuration inherits and what it overrides.

use std::path::Path;

use serde::Serialize;

use crate::input::config::{Config, Globs, Sourced};
use crate::text::escape::{escape_inline, toml_array, toml_key, toml_string};
use crate::text::fs;

/// How `srmlint config` prints (what each is for: the command line's help).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigFormat {
    Toml,
    Json,
}

/// The file a setting came from, as output names it.
fn origin(from: Option<&Path>) -> Option<String> {
    from.map(fs::shown_path)
}

#[derive(Serialize)]
struct Setting<T> {
    value: T,
    from: Option<String>,
}

#[derive(Serialize)]
struct Rule {
    code: String,
    level: &'static str,
    from: Option<String>,
}

#[derive(Serialize)]
struct View {
    /// What the configuration is for, as given.
    path: String,
    /// The configuration files applied, outermost first.
    files: Vec<String>,
    policies: Vec<Setting<String>>,
    include: Setting<Vec<String>>,
    exclude: Setting<Vec<String>>,
    max_review_age_days: Setting<i64>,
    max_waiver_days: Setting<i64>,
    rules: Vec<Rule>,
}

fn globs(sourced: &Sourced<Globs>) -> Setting<Vec<String>> {
    let patterns = sourced.value.globs.iter();
    Setting {
        value: patterns.map(|glob| glob.as_str().to_owned()).collect(),
        from: origin(sourced.origin.as_deref()),
    }
}

fn view(config: &Config, path: &str) -> View {
    View {
        path: path.to_owned(),
        files: config
            .files
            .iter()
            .map(|file| fs::shown_path(file))
            .collect(),
        policies: (config.policies.iter())
            .map(|policy| Setting {
                value: fs::shown_path(&policy.value),
                from: origin(policy.origin.as_deref()),
            })
            .collect(),
        include: globs(&config.include),
        exclude: globs(&config.exclude),
        max_review_age_days: Setting {
            value: config.settings.max_review_age_days,
            from: origin(config.review_age_origin.as_deref()),
        },
        max_waiver_days: Setting {
            value: config.settings.max_waiver_days,
            from: origin(config.waiver_days_origin.as_deref()),
        },
        rules: (config.rules.iter())
            .map(|rule| Rule {
                code: rule.value.0.value.clone(),
                level: rule.value.1.as_str(),
                from: origin(rule.origin.as_deref()),
            })
            .collect(),
    }
}

/// The effective configuration `config` of `path` in `format`.
pub fn render(config: &Config, path: &str, format: ConfigFormat) -> String {
    let view = view(config, path);
    match format {
        ConfigFormat::Json => crate::text::json::document(&view),
        ConfigFormat::Toml => toml(&view),
    }
}

fn toml(view: &View) -> String {
    // A path in a comment stays on its line.
    let from = |from: &Option<String>| match from {
        Some(file) => format!("  # from {}", escape_inline(file)),
        None => "  # default".to_owned(),
    };
    let mut out = format!(
        "# The configuration srmlint applies to {}\n",
        escape_inline(&view.path)
    );
    if view.files.is_empty() {
        out.push_str("# No .srmlint.toml governs it: every setting is the default.\n");
    } else {
        out.push_str("# Files applied, outermost first:\n");
        for file in &view.files {
            out.push_str(&format!("#   {}\n", escape_inline(file)));
        }
    }
    out.push_str("policies = [");
    for policy in &view.policies {
        let line = format!("\n  {},", toml_string(&policy.value));
        out.push_str(&format!("{line}{}", from(&policy.from)));
    }
    out.push_str(if view.policies.is_empty() {
        "]\n"
    } else {
        "\n]\n"
    });
    for (key, setting) in [("include", &view.include), ("exclude", &view.exclude)] {
        let line = format!("{key} = {}", toml_array(&setting.value));
        out.push_str(&format!("{line}{}\n", from(&setting.from)));
    }
    for (key, setting) in [
        ("max_review_age_days", &view.max_review_age_days),
        ("max_waiver_days", &view.max_waiver_days),
    ] {
        out.push_str(&format!(
            "{key} = {}{}\n",
            setting.value,
            from(&setting.from)
        ));
    }
    out.push_str("\n[rules]\n");
    for rule in &view.rules {
        let line = format!("{} = \"{}\"", toml_key(&rule.code), rule.level);
        out.push_str(&format!("{line}{}\n", from(&rule.from)));
    }
    out
}
