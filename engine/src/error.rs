//! The one error type of the engine. Every message is written for the person who
//! dropped the file: it says what was expected and what was found.

use parquet::errors::ParquetError;

/// Why a file (or a setting) could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file has no bytes at all.
    #[error("This file is empty (0 bytes)")]
    Empty,
    /// The file does not carry Parquet's `PAR1` marks.
    #[error("This file is not Parquet: {found}")]
    NotParquet {
        /// What the file looks like instead.
        found: String,
    },
    /// The file uses Parquet modular encryption.
    #[error("This Parquet file is encrypted (it starts with PARE), and ducks does not read encrypted Parquet")]
    Encrypted,
    /// The file is cut short, or its footer points outside it.
    #[error("This Parquet file is incomplete: {detail}")]
    Truncated {
        /// Where the data runs out.
        detail: String,
    },
    /// The file's metadata or pages contradict themselves.
    #[error("This Parquet file is damaged: {detail}")]
    Corrupt {
        /// What does not add up.
        detail: String,
    },
    /// A column the analysis needs is absent.
    #[error(
        "No {role} column found; looked for {looked_for}. The file has {found}. \
         ducks reads AWS Cost and Usage Reports (legacy CUR, or a CUR 2.0 or FOCUS 1.0 export from Billing \
         and Cost Management → Data Exports), as Parquet or CSV"
    )]
    MissingColumn {
        /// What the column is for ("cost", "service", "line item type").
        role: &'static str,
        /// The names that would have been accepted.
        looked_for: String,
        /// A short account of the columns that are there.
        found: String,
    },
    /// Two columns answer to the same name, so either could be the right one.
    #[error(
        "The {role} column {name} appears {count} times (names are compared ignoring case); refusing to guess which one holds the {role}"
    )]
    AmbiguousColumn {
        /// What the column is for.
        role: &'static str,
        /// The name as it appears first in the file.
        name: String,
        /// How many columns share it.
        count: usize,
    },
    /// A needed column has a type the analysis cannot use.
    #[error("The {role} column {column} holds {found}; expected {expected}")]
    ColumnType {
        /// What the column is for.
        role: &'static str,
        /// The column's name in the file.
        column: String,
        /// The type that was found.
        found: String,
        /// The types that would have been accepted.
        expected: &'static str,
    },
    /// A cost stored as text is not a number.
    #[error("The cost column {column} holds {value:?}, which is not a number")]
    CostNotNumeric {
        /// The column's name in the file.
        column: String,
        /// The offending text (shortened).
        value: String,
    },
    /// A file that is not cost data at all: a manifest, Athena's text output, notes.
    #[error("This file is {what}, not cost data: {advice}")]
    NotCostData {
        /// What it is.
        what: String,
        /// What to do instead.
        advice: String,
    },
    /// CSV text that breaks the format (a record of the wrong width, say).
    #[error("This CSV file is malformed at line {line}: {detail}")]
    Csv {
        /// The line (from 1) where the record starts.
        line: u64,
        /// What is wrong.
        detail: String,
    },
    /// A number field of a CSV file holds something that is not a number.
    #[error("The {column} column holds {value:?} at line {line}, which is not a number")]
    CsvNumber {
        /// The column's name in the header.
        column: String,
        /// The line (from 1) where the record starts.
        line: u64,
        /// The offending text (shortened).
        value: String,
    },
    /// Compressed data that does not decompress: damaged or cut short.
    #[error("This file's {container} compression is damaged or cut short: {detail}")]
    Damaged {
        /// "gzip" or "ZIP".
        container: &'static str,
        /// What the decompressor said.
        detail: String,
    },
    /// A ZIP archive that is not one CSV report.
    #[error("This ZIP archive {detail}")]
    Archive {
        /// What it holds instead.
        detail: String,
    },
    /// A needed column is compressed with a codec this build does not decode.
    #[error("The column {column} is compressed with {codec}, which {reader} does not decode{advice}")]
    Codec {
        /// The column's name in the file.
        column: String,
        /// The compression's name.
        codec: &'static str,
        /// Which ducks cannot read it ("ducks", "ducks in the browser").
        reader: &'static str,
        /// What to do instead, if anything.
        advice: &'static str,
    },
    /// ducks itself went wrong: the file is not to blame.
    #[error("ducks went wrong reading this file (a bug in ducks, not a problem with the file): {0}")]
    Internal(String),
    /// Reading the bytes failed (permission, file moved, disk error).
    #[error("Could not read the file: {0}")]
    Io(String),
    /// A discount table (file, import or saved setting) is not usable.
    #[error("The discount table is not usable: {0}")]
    Discounts(String),
    /// Saved or imported settings (workspaces) are not usable.
    #[error("The settings are not usable: {0}")]
    Settings(String),
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<ParquetError> for Error {
    fn from(error: ParquetError) -> Self {
        match error {
            ParquetError::EOF(detail) => Error::Truncated { detail: tidy(&detail) },
            ParquetError::NeedMoreData(_) => Error::Truncated { detail: "the data ends early".into() },
            // Byte sources report read failures as I/O errors; anything else
            // external (a UTF-8 error in the footer, say) is the file's fault.
            ParquetError::External(source) => match source.downcast::<std::io::Error>() {
                Ok(io) => Error::Io(tidy(&io.to_string())),
                Err(other) => Error::Corrupt { detail: tidy(&other.to_string()) },
            },
            other => Error::Corrupt { detail: tidy(&other.to_string()) },
        }
    }
}

impl From<arrow_schema::ArrowError> for Error {
    fn from(error: arrow_schema::ArrowError) -> Self {
        match error {
            arrow_schema::ArrowError::IoError(detail, _) => Error::Io(tidy(&detail)),
            other => Error::Corrupt { detail: tidy(&other.to_string()) },
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        match error.kind() {
            std::io::ErrorKind::UnexpectedEof => Error::Truncated { detail: "the data ends early".into() },
            _ => Error::Io(error.to_string()),
        }
    }
}

/// The text of a panic's payload, for telling a person what went wrong when the
/// Parquet decoder panics (its panics carry a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no details".into())
}

/// The parquet crate prefixes its messages with its own jargon ("Parquet error:",
/// "EOF:"); a person reading ours does not need it, and one long line is enough.
fn tidy(detail: &str) -> String {
    let mut text = detail.trim();
    for prefix in
        ["Parquet error:", "Parquet argument error:", "EOF:", "External:", "Arrow:", "Invalid argument error:"]
    {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest.trim_start();
        }
    }
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    shorten(&text, 300)
}

/// Cuts `text` to at most `max` characters, marking the cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}
