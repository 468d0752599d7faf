//! Command-line arguments. Hand-parsed: two subcommands and a handful of flags
//! do not justify an argument-parsing dependency.

use std::path::PathBuf;

use crate::engine::commitments::CoverageBy;
use crate::engine::{Detail, Dimension, Measure, UsagePreset, UsageRule, dates};

/// Shown by `--help` and after a usage mistake.
pub const USAGE: &str = "\
Usage: ducks costs [--json] [--discounts FILE] [--usage RULE] [--services-by-code] [--covered-at-list] PATH...
       ducks group --by DIM[,DIM...] [--measure M] [--usage RULE] [--from DAY] [--to DAY]
                   [--where DIM=VALUE]... [--top N] [--json] PATH...
       ducks commitments [--coverage-by service|region|account|family] [--resources] [--json] PATH...
       ducks check [--json] PATH...
       ducks invoices [--json] PATH...

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
  --usage RULE        which line item types count (as for ducks group below)
  --services-by-code  the original service's rule: rows whose service code is
                      empty are \"(none)\" (default: named by their product code)
  --covered-at-list   count usage paid by Reserved Instances or Savings Plans
                      at its public on-demand price (default: left out, and said)
  -h, --help          Print this help
  -V, --version       Print the version

ducks group sums a measure by one or more dimensions, the explorer's figures:
  --by DIM[,DIM...]   service, account, region, usage-type, operation,
                      line-item-type, currency, unit, provider (the cloud:
                      FOCUS ServiceProviderName or ProviderName, AWS for
                      CUR), month, day, resource,
                      savings-plan or reservation (the commitment that paid a
                      row), invoice, invoice-issuer, host-provider, publisher,
                      charge-class (FOCUS's corrections), allocation-method,
                      allocated-resource, allocated-tag:KEY (FOCUS 1.3
                      splits), tag:KEY (a user tag,
                      in every layout AWS writes them) or cost-category:NAME;
                      at most one of these last ones at a time
  --measure M         unblended (default), net-unblended, amortized, list, usage,
                      pricing (FOCUS 1.2 PricingCurrencyEffectiveCost, in its
                      own PricingCurrency)
  --usage RULE        which line item types count: usage (default), running,
                      opencost, focus, all
  --from, --to DAY    first and last day kept (YYYY-MM-DD, by usage start)
  --where DIM=VALUE   keep only rows whose DIM is VALUE; repeated for one DIM,
                      any of the values; an empty VALUE keeps rows without it
  --top N             print the N largest groups (the total is of them all)
  --json              print one JSON object instead of a table

ducks commitments reports each Savings Plan and Reserved Instance: what it cost
for the months read, the share used (utilization) and the unused part, what the
usage it covered would have cost on demand (savings), when it ends, and those
ending within 30, 60 and 90 days of the files' last day. --coverage-by adds, of
the usage a commitment could cover (compute time of EC2, Fargate, Lambda, RDS,
ElastiCache, Redshift, OpenSearch, SageMaker, MemoryDB; not Spot), the share
covered and what ran on demand, by service, region, account or instance family.
--resources adds, per commitment, the resources whose usage it paid (a read of
the resource column too).

ducks check says what a file gets wrong: which FOCUS version its columns match
(or which CUR), FOCUS's mandatory columns missing, nulls and values the
specification forbids, currency codes that are not ISO 4217, charge periods
reversed or outside their billing period, commitment purchases with an
effective cost, JSON columns that do not parse, and CUR line item types AWS
does not define or usage rows with no service. Each finding has a count, the
first rows and what to do. It exits 0 with findings printed, 1 only for a file
it cannot read.

ducks invoices gives the files' total per invoice, to tie to the invoices
received: per invoice id (CUR bill_invoice_id, FOCUS InvoiceId), its issuer
(bill_invoicing_entity, InvoiceIssuerName), its billing period and currency,
every line item's billed cost.";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub enum Command {
    /// Print the usage.
    Help,
    /// Print the version.
    Version,
    /// Analyse files.
    Costs(CostsOptions),
    /// Group costs by dimensions.
    Group(GroupOptions),
    /// Savings Plans and reservations: used, wasted, saved, ending.
    Commitments(CommitmentsOptions),
    /// `ducks check`.
    Check(CheckOptions),
    /// `ducks invoices` (its options are `ducks check`'s: `--json` and paths).
    Invoices(CheckOptions),
}

/// Options of `ducks check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// Print one JSON object instead of a report.
    pub json: bool,
    /// Files and directories to read.
    pub paths: Vec<PathBuf>,
}

/// Options of `ducks commitments`.
#[derive(Debug, PartialEq)]
pub struct CommitmentsOptions {
    /// Print JSON instead of a table.
    pub json: bool,
    /// Also the coverage of eligible usage, grouped so.
    pub coverage_by: Option<CoverageBy>,
    /// Also the resources each commitment paid.
    pub resources: bool,
    /// Files and directories to read.
    pub paths: Vec<PathBuf>,
}

/// A dimension `ducks group` can group or filter by: one the explorer's cube
/// holds, or one read on demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum By {
    /// A dimension of the explorer's cube.
    Cube(Dimension),
    /// A tag, a cost category or the resource.
    Detail(Detail),
}

impl By {
    /// The dimension with this name (`service`, `tag:team`), if there is one.
    pub fn from_key(key: &str) -> Option<By> {
        Dimension::from_key(key).map(By::Cube).or_else(|| Detail::from_key(key).map(By::Detail))
    }

    /// Its name, as given on the command line.
    pub fn key(&self) -> String {
        match self {
            By::Cube(dimension) => dimension.key().to_owned(),
            By::Detail(detail) => detail.key(),
        }
    }

    /// The cube's dimension it is grouped by.
    pub fn dimension(&self) -> Dimension {
        match self {
            By::Cube(dimension) => *dimension,
            By::Detail(_) => Dimension::Detail,
        }
    }
}

/// Options of `ducks group`.
#[derive(Debug, PartialEq)]
pub struct GroupOptions {
    /// The dimensions grouped by, in order.
    pub by: Vec<By>,
    /// What is summed.
    pub measure: Measure,
    /// Which line item types count.
    pub usage: UsageRule,
    /// First day kept.
    pub from: Option<i32>,
    /// Last day kept.
    pub to: Option<i32>,
    /// Per dimension, the values kept.
    pub filters: Vec<(By, Vec<String>)>,
    /// How many groups to print, the largest first.
    pub top: Option<usize>,
    /// Print JSON instead of a table.
    pub json: bool,
    /// Files and directories to read.
    pub paths: Vec<PathBuf>,
}

impl GroupOptions {
    /// The one dimension read on demand, if any is asked for.
    pub fn detail(&self) -> Option<&Detail> {
        self.by.iter().chain(self.filters.iter().map(|(by, _)| by)).find_map(|by| match by {
            By::Detail(detail) => Some(detail),
            By::Cube(_) => None,
        })
    }
}

/// A mistake on the command line.
#[derive(Debug, PartialEq)]
pub enum Mistake {
    /// The command is malformed: the usage is shown with it.
    Usage(String),
    /// A value is wrong (an unknown dimension, a bad date): one line says which.
    Value(String),
}

impl From<&str> for Mistake {
    fn from(message: &str) -> Mistake {
        Mistake::Usage(message.to_owned())
    }
}

impl From<String> for Mistake {
    fn from(message: String) -> Mistake {
        Mistake::Usage(message)
    }
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
    /// Which rows count, and how (the page's usage setting and its choices).
    pub usage: UsageRule,
}

/// The usage preset named `key`.
fn usage_rule(key: &str) -> Result<UsageRule, Mistake> {
    UsagePreset::from_key(key).map(UsagePreset::rule).ok_or_else(|| {
        let known: Vec<&str> = UsagePreset::ALL.iter().map(|p| p.key()).collect();
        Mistake::Value(format!("unknown usage rule {key:?}; use one of {}", known.join(", ")))
    })
}

/// Parses the arguments after the program name.
pub fn parse(args: Vec<String>) -> Result<Command, Mistake> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        None => Err("no command given".into()),
        Some("-h" | "--help" | "help") => Ok(Command::Help),
        Some("-V" | "--version") => Ok(Command::Version),
        Some("costs") => {
            let mut options =
                CostsOptions { json: false, discounts: None, paths: Vec::new(), usage: UsageRule::default() };
            let mut only_paths = false;
            while let Some(arg) = args.next() {
                match arg.as_str() {
                    _ if only_paths => options.paths.push(arg.into()),
                    "--" => only_paths = true,
                    "--json" => options.json = true,
                    "-h" | "--help" => return Ok(Command::Help),
                    "--services-by-code" => options.usage = options.usage.with_service_code_only(true),
                    "--covered-at-list" => options.usage = options.usage.with_covered_at_list(true),
                    "--usage" => {
                        let key = args.next().ok_or("--usage needs a rule")?;
                        options.usage = options.usage.choices_on(usage_rule(&key)?);
                    }
                    "--discounts" => {
                        let file = args.next().ok_or("--discounts needs a file")?;
                        options.discounts = Some(file.into());
                    }
                    flag if flag.starts_with("--discounts=") => {
                        options.discounts = Some(flag["--discounts=".len()..].into());
                    }
                    flag if flag.starts_with('-') && flag.len() > 1 => {
                        return Err(format!("unknown option {flag}").into());
                    }
                    _ => options.paths.push(arg.into()),
                }
            }
            if options.paths.is_empty() {
                return Err("costs needs at least one Parquet file or directory".into());
            }
            Ok(Command::Costs(options))
        }
        Some("group") => parse_group(args),
        Some("commitments") => {
            let mut options =
                CommitmentsOptions { json: false, coverage_by: None, resources: false, paths: Vec::new() };
            let mut only_paths = false;
            let mut args = args.peekable();
            while let Some(arg) = args.next() {
                match arg.as_str() {
                    _ if only_paths => options.paths.push(arg.into()),
                    "--" => only_paths = true,
                    "--json" => options.json = true,
                    "--resources" => options.resources = true,
                    "--coverage-by" => {
                        let key = args.next().ok_or("--coverage-by needs service, region, account or family")?;
                        options.coverage_by = Some(CoverageBy::from_key(&key).ok_or_else(|| {
                            Mistake::Value(format!(
                                "unknown coverage grouping {key:?}; use service, region, account or family"
                            ))
                        })?);
                    }
                    "-h" | "--help" => return Ok(Command::Help),
                    flag if flag.starts_with('-') && flag.len() > 1 => {
                        return Err(format!("unknown option {flag}").into());
                    }
                    _ => options.paths.push(arg.into()),
                }
            }
            if options.paths.is_empty() {
                return Err("ducks commitments needs at least one file or folder".into());
            }
            Ok(Command::Commitments(options))
        }
        Some(command @ ("check" | "invoices")) => {
            let mut options = CheckOptions { json: false, paths: Vec::new() };
            let mut only_paths = false;
            for arg in args {
                match arg.as_str() {
                    _ if only_paths => options.paths.push(arg.into()),
                    "--" => only_paths = true,
                    "--json" => options.json = true,
                    "-h" | "--help" => return Ok(Command::Help),
                    flag if flag.starts_with('-') && flag.len() > 1 => {
                        return Err(format!("unknown option {flag}").into());
                    }
                    _ => options.paths.push(arg.into()),
                }
            }
            if options.paths.is_empty() {
                return Err(format!("ducks {command} needs at least one file or folder").into());
            }
            Ok(if command == "check" { Command::Check(options) } else { Command::Invoices(options) })
        }
        Some(other) => Err(format!("unknown command {other:?}").into()),
    }
}

fn parse_group(mut args: impl Iterator<Item = String>) -> Result<Command, Mistake> {
    let mut options = GroupOptions {
        by: Vec::new(),
        measure: Measure::Unblended,
        usage: UsageRule::default(),
        from: None,
        to: None,
        filters: Vec::new(),
        top: None,
        json: false,
        paths: Vec::new(),
    };
    let mut only_paths = false;
    while let Some(arg) = args.next() {
        if only_paths {
            options.paths.push(arg.into());
            continue;
        }
        // `--flag value` and `--flag=value` alike.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| -> Result<String, Mistake> {
            match inline.clone() {
                Some(value) => Ok(value),
                None => args.next().ok_or_else(|| Mistake::Usage(format!("{flag} needs {what}"))),
            }
        };
        match flag.as_str() {
            "--" => only_paths = true,
            "--json" => options.json = true,
            "-h" | "--help" => return Ok(Command::Help),
            "--by" => {
                for key in value("one or more dimensions")?.split(',') {
                    options.by.push(dimension(key.trim())?);
                }
            }
            "--measure" => {
                let key = value("a measure")?;
                options.measure = Measure::from_key(&key).ok_or_else(|| {
                    let known: Vec<&str> = Measure::ALL.iter().map(|m| m.key()).collect();
                    Mistake::Value(format!("unknown measure {key:?}; use one of {}", known.join(", ")))
                })?;
            }
            "--usage" => options.usage = usage_rule(&value("a rule")?)?,
            "--from" => options.from = Some(day(&value("a day")?, "--from")?),
            "--to" => options.to = Some(day(&value("a day")?, "--to")?),
            "--where" => {
                let condition = value("DIM=VALUE")?;
                let (key, wanted) = condition
                    .split_once('=')
                    .ok_or_else(|| Mistake::Value(format!("--where {condition:?} is not DIM=VALUE")))?;
                let by = dimension(key.trim())?;
                if !matches!(by, By::Detail(_)) && by.dimension().slot().is_none() {
                    return Err(Mistake::Value(format!("--where {key}: use --from and --to for dates")));
                }
                match options.filters.iter_mut().find(|(b, _)| *b == by) {
                    Some((_, values)) => values.push(wanted.to_owned()),
                    None => options.filters.push((by, vec![wanted.to_owned()])),
                }
            }
            "--top" => {
                let text = value("a number")?;
                let top = text.parse().ok().filter(|&n: &usize| n > 0);
                options.top =
                    Some(top.ok_or_else(|| Mistake::Value(format!("--top {text:?} is not a positive number")))?);
            }
            other if other.starts_with('-') && other.len() > 1 => {
                return Err(format!("unknown option {other}").into());
            }
            _ => options.paths.push(arg.into()),
        }
    }
    if options.by.is_empty() {
        return Err("group needs --by, the dimensions to group by".into());
    }
    if options.paths.is_empty() {
        return Err("group needs at least one Parquet or CSV file or directory".into());
    }
    let mut details: Vec<&Detail> = Vec::new();
    for by in options.by.iter().chain(options.filters.iter().map(|(by, _)| by)) {
        if let By::Detail(detail) = by
            && !details.contains(&detail)
        {
            details.push(detail);
        }
    }
    if details.len() > 1 {
        let keys: Vec<String> = details.iter().map(|d| d.key()).collect();
        return Err(Mistake::Value(format!(
            "{} are asked for together; ducks reads one of resource, tag:KEY and cost-category:NAME at a time",
            keys.join(" and ")
        )));
    }
    if options.from.zip(options.to).is_some_and(|(from, to)| from > to) {
        return Err(Mistake::Value("--from is after --to".into()));
    }
    Ok(Command::Group(options))
}

fn dimension(key: &str) -> Result<By, Mistake> {
    By::from_key(key).ok_or_else(|| {
        let known: Vec<String> =
            Dimension::ALL.iter().map(|d| d.key().to_owned()).chain(Detail::FIXED.iter().map(Detail::key)).collect();
        Mistake::Value(format!(
            "unknown dimension {key:?}; use one of {}, tag:KEY, cost-category:NAME, allocated-tag:KEY",
            known.join(", ")
        ))
    })
}

fn day(text: &str, flag: &str) -> Result<i32, Mistake> {
    Some(text.trim())
        .filter(|t| t.len() == 10)
        .and_then(dates::parse_day)
        .ok_or_else(|| Mistake::Value(format!("{flag} {text:?} is not a day (YYYY-MM-DD)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(words: &str) -> Result<Command, Mistake> {
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
                usage: UsageRule::default(),
            }))
        );
        let choices = parse_words("costs --covered-at-list --usage running --services-by-code a.parquet");
        let Ok(Command::Costs(choices)) = choices else { panic!("{choices:?}") };
        assert_eq!(
            choices.usage,
            UsagePreset::RunningUsage.rule().with_covered_at_list(true).with_service_code_only(true),
            "the preset keeps the choices made before it"
        );
        assert_eq!(
            parse_words("costs --discounts=d.json -- --odd-name.parquet"),
            Ok(Command::Costs(CostsOptions {
                json: false,
                discounts: Some("d.json".into()),
                paths: vec!["--odd-name.parquet".into()],
                usage: UsageRule::default(),
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

    #[test]
    fn group_with_every_option() {
        let parsed = parse_words(
            "group --by tag:team,month --measure=amortized --usage running --from 2024-01-01 --to=2024-01-31 \
             --where service=AmazonEC2 --where service=AmazonS3 --where tag:team= --top 5 --json a.parquet",
        );
        let Ok(Command::Group(options)) = parsed else { panic!("{parsed:?}") };
        assert_eq!(options.by, [By::Detail(Detail::Tag("team".into())), By::Cube(Dimension::Month)]);
        assert_eq!(options.measure, Measure::Amortized);
        assert_eq!(options.usage, UsagePreset::RunningUsage.rule());
        assert_eq!((options.from, options.to), (dates::parse_day("2024-01-01"), dates::parse_day("2024-01-31")));
        assert_eq!(
            options.filters,
            [
                (By::Cube(Dimension::Service), vec!["AmazonEC2".to_owned(), "AmazonS3".to_owned()]),
                (By::Detail(Detail::Tag("team".into())), vec![String::new()]),
            ]
        );
        assert_eq!((options.top, options.json, options.paths.len()), (Some(5), true, 1));
        assert_eq!(options.detail(), Some(&Detail::Tag("team".into())));
    }

    #[test]
    fn group_mistakes_name_what_is_wrong() {
        let value = |words: &str| match parse_words(words) {
            Err(Mistake::Value(message)) => message,
            other => panic!("{words}: {other:?}"),
        };
        assert!(value("group --by colour x").starts_with("unknown dimension \"colour\"; use one of service, "));
        assert!(value("group --by service --measure blended x").contains("use one of unblended, net-unblended"));
        assert!(value("group --by service --usage most x").starts_with("unknown usage rule \"most\""));
        assert_eq!(value("group --by service --from 2024-02-30 x"), "--from \"2024-02-30\" is not a day (YYYY-MM-DD)");
        assert_eq!(value("group --by service --from 2024-02-02 --to 2024-02-01 x"), "--from is after --to");
        assert_eq!(value("group --by service --top 0 x"), "--top \"0\" is not a positive number");
        assert_eq!(value("group --by service --where month=2024-01 x"), "--where month: use --from and --to for dates");
        assert!(value("group --by resource,tag:team x").starts_with("resource and tag:team are asked for together"));
        assert_eq!(parse_words("group x"), Err("group needs --by, the dimensions to group by".into()));
        assert_eq!(
            parse_words("group --by service"),
            Err("group needs at least one Parquet or CSV file or directory".into())
        );
        assert_eq!(parse_words("group --by"), Err("--by needs one or more dimensions".into()));
        assert_eq!(parse_words("group --help"), Ok(Command::Help));
    }
}
