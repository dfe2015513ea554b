//! The claim-hygiene rules (SRM030, SRM031, SRM034, SRM035, SRM036, SRM038). The first
//! five are written in srmlint's own policy language in `policies/baseline.toml`, which proves
//! the language on the project's own rules; these are their registry entries, which
//! the baseline's rules must agree with (a test holds them to it). SRM038 weighs three
//! fields together, which one policy rule cannot, so it is written in Rust. One file a
//! code.

pub mod srm030;
pub mod srm031;
pub mod srm034;
pub mod srm035;
pub mod srm036;
pub mod srm038;

/// The baseline policy, embedded like the matrix.
pub const EMBEDDED_BASELINE: &str = include_str!("../../../policies/baseline.toml");

/// How the baseline is named where a rule's origin is shown.
pub const BASELINE_ORIGIN: &str = "policies/baseline.toml";
