//! `file:` URIs, the names the protocol gives documents, and the paths srmlint reads.
//! Only local files have a path: a document under another scheme (an unsaved
//! `untitled:` buffer, a remote file) has none, and is not checked.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;

/// The local path a `file:` URI names: an empty authority or `localhost`, the path
/// percent-decoded. `None` for another scheme, a remote host, a relative path, or a
/// path holding a NUL byte (no file has such a name).
pub(crate) fn to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let scheme_end = text.find(':')?;
    if !text[..scheme_end].eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = text[scheme_end + 1..].strip_prefix("//")?;
    let path_start = rest.find('/')?;
    let authority = &rest[..path_start];
    if !(authority.is_empty() || authority.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let encoded = &rest[path_start..];
    let encoded = encoded.split(['?', '#']).next().unwrap_or(encoded);
    let bytes = percent_decode(encoded)?;
    if bytes.contains(&0) {
        return None;
    }
    path_from_bytes(bytes)
}

/// The `file:` URI of an absolute path.
pub(crate) fn from_path(path: &Path) -> Option<Uri> {
    if !path.is_absolute() {
        return None;
    }
    let mut uri = String::from("file://");
    for byte in path_bytes(path)? {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(byte));
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    Uri::from_str(&uri).ok()
}

/// The bytes `%XX` escapes stand for; `None` for a broken escape.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            if !hex.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                return None;
            }
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    Some(decoded)
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
    String::from_utf8(bytes).ok().map(PathBuf::from)
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    Some(path.as_os_str().as_bytes().to_vec())
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Option<Vec<u8>> {
    path.to_str()
        .map(|text| text.replace('\\', "/").into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        Uri::from_str(text).unwrap()
    }

    #[test]
    fn file_uris_name_local_paths() {
        assert_eq!(
            to_path(&uri("file:///srv/a%20b/controls.toml")),
            Some(PathBuf::from("/srv/a b/controls.toml"))
        );
        assert_eq!(
            to_path(&uri("file://localhost/srv/controls.toml")),
            Some(PathBuf::from("/srv/controls.toml"))
        );
        assert_eq!(to_path(&uri("untitled:Untitled-1")), None);
        assert_eq!(to_path(&uri("file://server/share/controls.toml")), None);
        // Broken escapes: refused here, when the URI parser lets them through at all.
        for broken in [
            "file:///srv/a%00b",
            "file:///srv/a%zzb",
            "file:///srv/a%+1b",
        ] {
            assert!(
                Uri::from_str(broken).map_or(true, |uri| to_path(&uri).is_none()),
                "{broken}"
            );
        }
    }

    #[test]
    fn paths_round_trip_through_uris() {
        for path in ["/srv/a b/ü #x?.tf", "/srv/100%/controls.toml"] {
            let uri = from_path(Path::new(path)).unwrap();
            assert_eq!(to_path(&uri), Some(PathBuf::from(path)), "{}", uri.as_str());
        }
        assert!(from_path(Path::new("relative/controls.toml")).is_none());
    }
}
