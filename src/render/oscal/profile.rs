//! `srmlint matrix --format oscal-profile`: the baseline both SSPs import. It imports
//! every control of the catalog by a relative href (the catalog written beside it), so
//! a tool resolving `import-profile` (compliance-trestle, NIST's resolver) reaches the
//! control definitions in two steps it can follow.

use super::fields::markdown;
use super::ids::MatrixIds;
use super::model::{Import, IncludeAll, Profile};
use super::{CATALOG_FILE, OscalDate, matrix_metadata, version_of};
use crate::data::matrix::Matrix;

pub(super) fn build(matrix: &Matrix, date: OscalDate) -> Profile {
    let ids = MatrixIds::of(&matrix.info);
    Profile {
        uuid: ids.profile(),
        metadata: matrix_metadata(
            matrix,
            date,
            &format!(
                "Every srmlint control of the {} ({})",
                matrix.info.title,
                version_of(matrix)
            ),
            Some(format!(
                "The baseline of srmlint's system security plans: every control of the \
                     catalog `{CATALOG_FILE}` (the output of `srmlint matrix --format \
                     oscal-catalog` for {} version {}), unchanged. Keep it beside the \
                     catalog and the plans: they reference each other by file name.",
                markdown(&matrix.info.title),
                markdown(version_of(matrix))
            )),
        ),
        imports: vec![Import {
            href: CATALOG_FILE.to_owned(),
            include_all: IncludeAll {},
        }],
    }
}
