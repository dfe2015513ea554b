//! Content digests: the SHA-256 a posture report gives for each controls file, so a
//! reader can tell whether the file in front of them is the one that was assessed
//! (`sha256sum` prints the same hex).

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}
