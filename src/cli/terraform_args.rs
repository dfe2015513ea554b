//! The options that set a Terraform root module's variables and workspace, as
//! `terraform plan` takes them, shared by `check`, `init`, `report` and `diff`.

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches};
use srmlint::input::terraform::{VarInput, VarSettings};
use srmlint::text::fs;

#[derive(Debug, Clone, Default, clap::Args)]
pub struct TerraformVarArgs {
    /// A var file for the `--terraform` sources, applied after the root module's own
    /// `terraform.tfvars` and `*.auto.tfvars` (repeatable; in command-line order with
    /// `--var`; inside the source's repository).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// A variable's value for the `--terraform` sources (repeatable; later wins).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// `terraform.workspace` for the `--terraform` sources (default: `default`).
    #[arg(long, value_name = "NAME")]
    pub workspace: Option<String>,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE"))?;
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !valid {
        return Err(format!("`{name}` is not a variable name"));
    }
    Ok((name.to_owned(), value.to_owned()))
}

impl TerraformVarArgs {
    /// The settings, var files and values in the order they were given on the
    /// command line (Terraform applies `-var-file` and `-var` in that order).
    pub fn settings(&self) -> VarSettings {
        // Their order across the two lists matters only when both are given; matching
        // the arguments again builds the whole command line parser a second time.
        let (file_at, var_at) = if self.var_files.is_empty() || self.vars.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            positions()
        };
        let mut inputs: Vec<(usize, VarInput)> = Vec::new();
        for (index, path) in self.var_files.iter().enumerate() {
            // A path typed here may lie anywhere, but not be led out of a repository it
            // enters by a link in it.
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            let path_read = srmlint::text::resolve::command_line(path)
                .map(|()| absolute.canonicalize().unwrap_or(absolute))
                .map_err(|why| format!("{why}; it is not read"));
            inputs.push((
                file_at.get(index).copied().unwrap_or(index),
                VarInput::File {
                    shown: fs::display_path(path),
                    path: path_read,
                    at: None,
                },
            ));
        }
        for (index, (name, value)) in self.vars.iter().enumerate() {
            inputs.push((
                var_at.get(index).copied().unwrap_or(usize::MAX / 2 + index),
                VarInput::Value {
                    name: name.clone(),
                    value: value.clone(),
                },
            ));
        }
        inputs.sort_by_key(|(at, _)| *at);
        VarSettings {
            inputs: inputs.into_iter().map(|(_, input)| input).collect(),
            workspace: self.workspace.clone(),
        }
    }
}

/// Where each `--var-file` and each `--var` stood on the command line: clap keeps
/// the two lists apart, so the arguments are matched once more for their indices.
fn positions() -> (Vec<usize>, Vec<usize>) {
    let matches = super::Cli::command().try_get_matches_from(std::env::args_os());
    // Only to make sure the arguments are ours, as `Cli::parse` took them.
    let matches = matches
        .ok()
        .filter(|m| super::Cli::from_arg_matches(m).is_ok());
    let Some((_, sub)) = matches.as_ref().and_then(|matches| matches.subcommand()) else {
        return (Vec::new(), Vec::new());
    };
    let indices = |id: &str| -> Vec<usize> {
        sub.try_get_raw_occurrences(id)
            .ok()
            .flatten()
            .and_then(|_| sub.indices_of(id))
            .map(|indices| indices.collect())
            .unwrap_or_default()
    };
    (indices("var_files"), indices("vars"))
}
