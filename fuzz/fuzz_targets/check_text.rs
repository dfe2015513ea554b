//! Fuzz target: any bytes, decoded as a controls file, checked against the embedded
//! matrix and rendered in every output format. A panic, an overflow or a hang here is
//! a bug; each crashing input found becomes a file in
//! `tests/fixtures/fuzz-regressions/`, replayed by `cargo test`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/it/common/fuzzing.rs"]
mod fuzzing;

use fuzzing::check_and_render;

fuzz_target!(|data: &[u8]| {
    check_and_render(data);
});
