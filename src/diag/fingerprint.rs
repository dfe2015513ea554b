//! Stable identities for findings, so SARIF viewers and GitLab can tell a finding that
//! moved from one that is new: the same finding keeps its fingerprint when unrelated
//! lines are added or removed above it.
//!
//! A fingerprint is the FNV-1a 64-bit hash, as 16 lowercase hex digits, of the rule
//! code, the file's path, the control and model, the source text the finding points
//! at (the offending value or key), for a finding in a Terraform file the controls
//! file it was checked for, and an occurrence number that tells apart findings that
//! agree on all of these. Line and column are left out on purpose. FNV-1a is
//! small, fixed by its specification and needs no crate; a fingerprint only has to
//! tell findings of one repository apart, not resist an attacker.

use std::collections::HashMap;

use crate::diag::Diagnostic;

/// Bumped whenever the hashed fields change, so old and new fingerprints never collide.
pub const FINGERPRINT_VERSION: &str = "srmlint-fingerprint/v1";

/// The fingerprints of one run's diagnostics, given in a fixed order (SARIF's and
/// GitLab's, or file by file for `diff`): each counts the identities met so far, so
/// the n-th of several identical findings always gets occurrence n.
#[derive(Debug, Default)]
pub struct Fingerprints {
    seen: HashMap<u64, usize>,
}

impl Fingerprints {
    /// The fingerprint of `diagnostic`, found checking the controls file `checked`;
    /// `text` is the text of the file the diagnostic lies in.
    pub fn next(&mut self, checked: &str, text: &str, diagnostic: &Diagnostic) -> String {
        let offending = text.get(diagnostic.span.clone()).unwrap_or("");
        let mut identity = Fnv1a::default()
            .field(FINGERPRINT_VERSION)
            .field(&diagnostic.code)
            .field(&diagnostic.file)
            .field(diagnostic.control.as_deref().unwrap_or(""))
            .field(diagnostic.model.as_deref().unwrap_or(""))
            .field(offending);
        // A finding in a Terraform file is about one controls file's view of it:
        // two controls files sharing the Terraform keep their findings apart.
        if diagnostic.file != checked {
            identity = identity.field(checked);
        }
        let identity = identity.finish();
        let occurrence = self.seen.entry(identity).or_insert(0);
        let hash = Fnv1a::default()
            .field(&identity.to_string())
            .field(&occurrence.to_string())
            .finish();
        *occurrence += 1;
        format!("{hash:016x}")
    }
}

/// FNV-1a, 64 bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3): the hash
/// fingerprints are made of, public so a consumer can recompute one.
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

/// The offset basis: a hash of nothing.
impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    pub fn bytes(mut self, bytes: &[u8]) -> Self {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    /// Hashes a field with its length first, so `("ab", "c")` and `("a", "bc")` differ.
    pub fn field(self, text: &str) -> Self {
        self.bytes(&(text.len() as u64).to_le_bytes())
            .bytes(text.as_bytes())
    }

    pub fn finish(self) -> u64 {
        self.0
    }
}
