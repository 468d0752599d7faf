//! The `ducks` command: the same engine as the page, for scripts.
//!
//! `ducks costs [--json] [--discounts FILE] PATH...` reads Parquet and CSV files
//! (plain, `.gz`, `.zip`; a directory is a report folder, whose files are chosen
//! so each billing period counts once) on every core and prints the costs
//! report; `ducks group --by DIM,...` prints the explorer's figures, by any
//! dimensions, a tag, a cost category or the resource among them. Any unusable
//! input ends the run with one line on stderr that names the file and the
//! problem, and exit status 1; so does a value the command cannot use (an
//! unknown dimension, a tag the files lack). A malformed command line is exit
//! status 2, with the usage.

mod args;
mod local_file;
mod output;
mod run;

use std::io::Write;
use std::process::ExitCode;

pub use args::{By, Command, CostsOptions, GroupOptions, Mistake, parse};
pub use local_file::LocalFile;
pub use run::{Analysis, Failure, Found, Grouping, Problem, analyse, find_files, group};

/// Runs the command line `args` (without the program name), writing results to
/// `out` and problems to `err`; returns the exit code.
pub fn main(args: Vec<String>, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let command = match parse(args) {
        Ok(command) => command,
        Err(Mistake::Usage(message)) => {
            let _ = writeln!(err, "ducks: {message}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
        Err(Mistake::Value(message)) => {
            let _ = writeln!(err, "ducks: {message}");
            return ExitCode::FAILURE;
        }
    };
    match command {
        Command::Help => {
            let _ = writeln!(out, "{}", args::USAGE);
            ExitCode::SUCCESS
        }
        Command::Version => {
            let _ = writeln!(out, "ducks {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Command::Costs(options) => match analyse(&options) {
            Ok(analysis) => {
                for note in &analysis.notes {
                    let _ = writeln!(err, "ducks: note: {note}");
                }
                let written = if options.json {
                    output::json(&analysis.report, out)
                } else {
                    output::table(&analysis.report, out)
                };
                finish(written, err)
            }
            Err(failure) => {
                let _ = writeln!(err, "ducks: {failure}");
                ExitCode::FAILURE
            }
        },
        Command::Commitments(options) => match run::commitments(&options.paths, options.coverage_by, options.resources)
        {
            Ok(found) => {
                let written = if options.json {
                    serde_json::to_writer(&mut *out, &found).map_err(std::io::Error::other).and_then(|()| writeln!(out))
                } else {
                    output::commitments_table(&found.report, out).and_then(|()| {
                        match (&found.coverage, options.coverage_by) {
                            (Some(coverage), Some(by)) => output::coverage_table(coverage, by, out),
                            _ => Ok(()),
                        }
                    })
                };
                finish(written, err)
            }
            Err(failure) => {
                let _ = writeln!(err, "ducks: {failure}");
                ExitCode::FAILURE
            }
        },
        Command::Check(options) => {
            print(run::check(&options.paths), options.json.then_some("files"), output::check_report, out, err)
        }
        Command::Invoices(options) => {
            print(run::invoices(&options.paths), options.json.then_some("invoices"), output::invoices_table, out, err)
        }
        Command::Group(options) => match group(&options) {
            Ok(grouping) => {
                for note in &grouping.notes {
                    let _ = writeln!(err, "ducks: note: {note}");
                }
                let written = if options.json {
                    output::group_json(&grouping, &options, out)
                } else {
                    output::group_table(&grouping, &options, out)
                };
                finish(written, err)
            }
            Err(problem) => {
                let _ = writeln!(err, "ducks: {problem}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Prints what a command found: one JSON object holding it under `json_key`,
/// or else its table; a failure is one line on stderr and exit status 1.
fn print<T: serde::Serialize>(
    found: Result<Vec<T>, Failure>,
    json_key: Option<&str>,
    table: fn(&[T], &mut dyn Write) -> std::io::Result<()>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    match found {
        Ok(found) => {
            let written = match json_key {
                Some(key) => serde_json::to_writer(&mut *out, &serde_json::json!({ key: found }))
                    .map_err(std::io::Error::other)
                    .and_then(|()| writeln!(out)),
                None => table(&found, out),
            };
            finish(written, err)
        }
        Err(failure) => {
            let _ = writeln!(err, "ducks: {failure}");
            ExitCode::FAILURE
        }
    }
}

fn finish(written: std::io::Result<()>, err: &mut dyn Write) -> ExitCode {
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`ducks costs … | head`) is the reader's choice, not a failure.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(err, "ducks: cannot write the report: {error}");
            ExitCode::FAILURE
        }
    }
}
