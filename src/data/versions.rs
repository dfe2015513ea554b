//! Every matrix version the binary has shipped, kept embedded, so a controls file's
//! `matrix_version` can be compared with the loaded matrix (SRM019) and `srmlint matrix
//! diff` can name a version instead of a file.
//!
//! The current version is `policies/exoscale.toml`. When a new reading of the
//! provider's model replaces it, the old file is copied unchanged to
//! `policies/matrix-versions/<provider>-<version>.toml` and its `include_str!` added to
//! `SHIPPED`; a test fails when a file in that folder is not listed. A shipped version
//! is never edited afterwards: files pinned to it are compared against it as it was.

use std::sync::OnceLock;

use crate::data::matrix::{EMBEDDED_MATRIX, Matrix};

/// The text of every shipped matrix version, the current one first. Older versions
/// follow, newest first, each from `policies/matrix-versions/`.
pub const SHIPPED: &[&str] = &[
    EMBEDDED_MATRIX,
    include_str!("../../policies/matrix-versions/exoscale-2026-11.toml"),
];

/// A set of matrix versions, each identified by its provider and `version`.
#[derive(Debug, Clone)]
pub struct MatrixVersions {
    matrices: Vec<Matrix>,
}

impl MatrixVersions {
    /// Parses every text; each must be a valid matrix with a `version`, and no two may
    /// share a provider and version (the lookup would be ambiguous).
    pub fn parse(texts: &[&str]) -> Result<Self, String> {
        let mut matrices: Vec<Matrix> = Vec::with_capacity(texts.len());
        for (index, text) in texts.iter().enumerate() {
            let matrix =
                Matrix::parse(text).map_err(|error| format!("matrix version #{index}: {error}"))?;
            let Some(version) = matrix.info.version.as_deref() else {
                return Err(format!("matrix version #{index} has no `version`"));
            };
            if matrices.iter().any(|known| {
                known.info.provider == matrix.info.provider
                    && known.info.version.as_deref() == Some(version)
            }) {
                return Err(format!(
                    "matrix version `{version}` of `{}` is listed twice",
                    matrix.info.provider
                ));
            }
            matrices.push(matrix);
        }
        Ok(Self { matrices })
    }

    /// The versions built into the binary, parsed once per process.
    pub fn embedded() -> &'static MatrixVersions {
        static EMBEDDED: OnceLock<MatrixVersions> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Self::parse(SHIPPED).expect("the shipped matrix versions are checked by the test suite")
        })
    }

    /// The matrix of `provider` at `version`, if this set holds it.
    pub fn get(&self, provider: &str, version: &str) -> Option<&Matrix> {
        self.matrices.iter().find(|matrix| {
            matrix.info.provider == provider && matrix.info.version.as_deref() == Some(version)
        })
    }

    /// The versions held for `provider`, in the order they were given.
    pub fn versions_of<'a>(&'a self, provider: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.matrices
            .iter()
            .filter(move |matrix| matrix.info.provider == provider)
            .filter_map(|matrix| matrix.info.version.as_deref())
    }

    /// Every held matrix, in the order given.
    pub fn all(&self) -> &[Matrix] {
        &self.matrices
    }

    /// The matrix `version` names for the same provider as `loaded`: `loaded` itself
    /// when it is that version (a `--matrix` file srmlint did not ship), else a held one.
    pub fn resolve<'a>(&'a self, loaded: &'a Matrix, version: &str) -> Option<&'a Matrix> {
        if loaded.info.version.as_deref() == Some(version) {
            return Some(loaded);
        }
        self.get(&loaded.info.provider, version)
    }
}
