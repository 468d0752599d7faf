//! What a file is, from its first bytes: Parquet, or text plain, gzip'd or
//! zipped. Both readers and the facade ask here, so a file is told apart one
//! way, and named one way when it is not what it should be.

use serde::{Deserialize, Serialize};

use crate::error::shorten;

/// How the CSV text is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Container {
    /// Plain text.
    Plain,
    /// gzip (one member or several, as `MultiGzDecoder` reads them).
    Gzip,
    /// A ZIP archive holding one CSV file.
    Zip,
}

impl Container {
    /// The container a file starting with `head` is in, if it is text at all;
    /// `None` for anything else (Parquet among it).
    pub(crate) fn of(head: &[u8]) -> Option<Container> {
        match head {
            [0x1f, 0x8b, ..] => Some(Container::Gzip),
            [b'P', b'K', 3, 4, ..] => Some(Container::Zip),
            [b'P', b'A', b'R', b'1' | b'E', ..] => None,
            _ if is_text(head) => Some(Container::Plain),
            _ => None,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Container::Plain => "text",
            Container::Gzip => "gzip",
            Container::Zip => "ZIP",
        }
    }
}

/// Whether `head` (the first bytes of a file, perhaps cut mid-character) is text.
pub(crate) fn is_text(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        // Cut inside a character at the end is still text.
        Err(error) => error.error_len().is_none(),
    };
    valid
        && !head.trim_ascii().is_empty()
        && head.iter().all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\r' | b'\n' | 0x01))
}

/// A few words on what a file that is not what it should be seems to be, from
/// its first bytes: the one sentence both readers give (Parquet of a CSV, a
/// compressed report with a `.parquet` name).
pub(crate) fn describe(head: &[u8]) -> String {
    match Container::of(head) {
        Some(Container::Gzip) => "it is gzip-compressed (a .csv.gz report?)".into(),
        Some(Container::Zip) => "it is a ZIP archive (a .csv.zip report?)".into(),
        Some(Container::Plain) => {
            let text = String::from_utf8_lossy(head);
            let first_line = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("").trim().to_owned();
            let kind = if first_line.contains(',') { "CSV text" } else { "text" };
            format!("it is {kind} starting with {:?}", shorten(&first_line, 40))
        }
        None => {
            let hex: Vec<String> = head.iter().take(4).map(|byte| format!("{byte:02x}")).collect();
            format!("it starts with the bytes {} instead of PAR1", hex.join(" "))
        }
    }
}
