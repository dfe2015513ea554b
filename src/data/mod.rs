//! The provider's data: the responsibility matrix with its service catalog and zones,
//! the framework crosswalks, and the scope of a deployment under them. Everything
//! provider-specific is read from `policies/`; this layer only knows models, parts,
//! parties and owners.

pub mod countries;
pub mod frameworks;
pub mod matrix;
pub mod scope;
pub mod terraform;
pub mod versions;
