//! Arbitrary bytes through the engine's entry points, as a dropped file goes:
//! open (footer, checks, columns), plan, scan every piece. Any outcome but a
//! panic, a hang or a huge allocation (run with `-malloc_limit_mb`) is fine.
#![no_main]

use bytes::Bytes;
use ducks::engine::CurFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(file) = CurFile::open(Bytes::copy_from_slice(data)) else { return };
    // Two workers' pieces, so row groups are cut into slices too.
    let _ = file.scan_all(2);
});
