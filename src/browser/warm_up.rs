//! The small CUR both sides of the page read once at start-up, so that the
//! first file a person chooses does not run on code compiled and optimised for
//! nothing yet: the workers scan it (`worker`), and the page analyses it and
//! renders its figures out of sight (`ui::warm_up`).

use web_sys::File;

/// 8,000 rows of `examples/gen_cur.rs` (the costs page's four columns, three
/// row groups, cost pages both dictionary-encoded and plain, as AWS writes them).
const BYTES: &[u8] = include_bytes!("warmup.parquet");

/// The name it goes by.
pub const NAME: &str = "warm-up.parquet";

/// The file as a named `File`, like one chosen in the page: the browser
/// optimises calls for the targets it has seen, so code warmed on another path
/// (a file read whole from memory, say) would be optimised again for the real
/// one. `None` if this browser cannot make a `File`.
pub fn file() -> Option<File> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(BYTES));
    File::new_with_u8_array_sequence(&parts, NAME).ok()
}
