//! SRM014 unknown-provider: the file names a provider the loaded matrix is not for.
//! Nothing else about the deployment can be judged soundly then, so the rules that
//! read the catalog do not run (`rules::Run::Catalog`).

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use crate::text::suggest;

pub static SRM014: BuiltinRule = BuiltinRule::new(
    "SRM014",
    "unknown-provider",
    Severity::Error,
    "There is no matrix for the named provider.",
    include_str!("../../../docs/rules/SRM014.md"),
);

/// SRM014, once per file: the file names a provider the loaded matrix is not for.
/// Nothing else about the deployment can be judged soundly then: services, zones and
/// controls are the named provider's.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    let Some(provider) = &file.deployment.provider else {
        return;
    };
    if provider.value == matrix.info.provider {
        return;
    }
    findings.push(
        Finding::new(
            &SRM014,
            provider.span.clone(),
            format!(
                "no matrix for provider `{}`{}; the loaded matrix is for `{}`",
                provider.value,
                suggest::hint(&provider.value, [matrix.info.provider.as_str()]),
                matrix.info.provider
            ),
        )
        .label("unknown provider")
        .help(format!(
            "write `provider = \"{}\"` or pass the provider's matrix with `--matrix FILE`",
            matrix.info.provider
        )),
    );
}
