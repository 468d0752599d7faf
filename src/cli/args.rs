//! Command-line arguments. Hand-parsed: one subcommand and two flags do not
//! justify an argument-parsing dependency.

use std::path::PathBuf;

/// Shown by `--help` and after a usage mistake.
pub const USAGE: &str = "\
Usage: ducks costs [--json] [--discounts FILE] PATH...

Reads AWS Cost and Usage Report files (legacy CUR, CUR 2.0 or FOCUS; Parquet,
or CSV as .csv, .csv.gz or .csv.zip) and prints each service's undiscounted cost (unblended cost of Usage rows),
its discount multiplier, its discounted cost and the blended discount rate.

Arguments:
  PATH...             Files, or report folders: searched recursively, with each
                      billing period counted once (its newest manifest, or else
                      its newest delivery); what is skipped is noted on stderr

Options:
  --json              Print one JSON object instead of a table
  --discounts FILE    A JSON object of multipliers by service code, such as
                      {\"AmazonS3\": 0.88, \"AmazonEC2\": 0.5}; services it does not
                      name pay full price (default: the built-in table)
  -h, --help          Print this help
  -V, --version       Print the version";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub enum Command {
    /// Print the usage.
    Help,
    /// Print the version.
    Version,
    /// Analyse files.
    Costs(CostsOptions),
}

/// Options of `ducks costs`.
#[derive(Debug, PartialEq)]
pub struct CostsOptions {
    /// Print JSON instead of a table.
    pub json: bool,
    /// A discount table to use instead of the defaults.
    pub discounts: Option<PathBuf>,
    /// Files and directories to read.
    pub paths: Vec<PathBuf>,
}

/// Parses the arguments after the program name.
pub fn parse(args: Vec<String>) -> Result<Command, String> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        None => Err("no command given".into()),
        Some("-h" | "--help" | "help") => Ok(Command::Help),
        Some("-V" | "--version") => Ok(Command::Version),
        Some("costs") => {
            let mut options = CostsOptions { json: false, discounts: None, paths: Vec::new() };
            let mut only_paths = false;
            while let Some(arg) = args.next() {
                match arg.as_str() {
                    _ if only_paths => options.paths.push(arg.into()),
                    "--" => only_paths = true,
                    "--json" => options.json = true,
                    "-h" | "--help" => return Ok(Command::Help),
                    "--discounts" => {
                        let file = args.next().ok_or("--discounts needs a file")?;
                        options.discounts = Some(file.into());
                    }
                    flag if flag.starts_with("--discounts=") => {
                        options.discounts = Some(flag["--discounts=".len()..].into());
                    }
                    flag if flag.starts_with('-') && flag.len() > 1 => return Err(format!("unknown option {flag}")),
                    _ => options.paths.push(arg.into()),
                }
            }
            if options.paths.is_empty() {
                return Err("costs needs at least one Parquet file or directory".into());
            }
            Ok(Command::Costs(options))
        }
        Some(other) => Err(format!("unknown command {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(words: &str) -> Result<Command, String> {
        parse(words.split_whitespace().map(String::from).collect())
    }

    #[test]
    fn costs_with_every_option() {
        assert_eq!(
            parse_words("costs --json --discounts d.json a.parquet dir"),
            Ok(Command::Costs(CostsOptions {
                json: true,
                discounts: Some("d.json".into()),
                paths: vec!["a.parquet".into(), "dir".into()],
            }))
        );
        assert_eq!(
            parse_words("costs --discounts=d.json -- --odd-name.parquet"),
            Ok(Command::Costs(CostsOptions {
                json: false,
                discounts: Some("d.json".into()),
                paths: vec!["--odd-name.parquet".into()],
            }))
        );
    }

    #[test]
    fn mistakes_are_explained() {
        assert_eq!(parse_words(""), Err("no command given".into()));
        assert_eq!(parse_words("costs"), Err("costs needs at least one Parquet file or directory".into()));
        assert_eq!(parse_words("costs --discounts"), Err("--discounts needs a file".into()));
        assert_eq!(parse_words("costs --csv x"), Err("unknown option --csv".into()));
        assert_eq!(parse_words("cost x"), Err("unknown command \"cost\"".into()));
        assert_eq!(parse_words("--help"), Ok(Command::Help));
    }
}
