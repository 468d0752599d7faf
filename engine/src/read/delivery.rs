//! Which files of a report folder count, so that every billing period is counted
//! exactly once.
//!
//! A synced S3 prefix holds data files beside manifests, status tables and
//! helpers (`.sql`, `.yml`). A legacy report that keeps versions has a folder per
//! delivery (`yyyymmdd-yyyymmdd/<assemblyId>/`), each restating the whole month;
//! Data Exports list the current files of each period in
//! `metadata/BILLING_PERIOD=…/*-Manifest.json`. So:
//! - with a manifest, the newest manifest of a period names its files;
//! - without one, where several deliveries (folders) cover a period, the newest
//!   counts (by file times, then by folder name) and the others are named as left out;
//! - anything that is not a data file is skipped, with the reason.
//!
//! This is pure: the caller lists the folder (paths relative to it, with `/`,
//! and modification times), reads the manifests it is pointed to, and opens
//! the files chosen.

use std::collections::BTreeMap;

/// One file of a folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// Its path inside the folder, components separated by `/`.
    pub path: String,
    /// When it was last modified (milliseconds since 1970), where known.
    pub modified: Option<f64>,
}

/// What a file of a folder is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Cost data: Parquet or CSV (plain, `.gz`, `.zip`).
    Data,
    /// A delivery manifest (`*-Manifest.json`): its text is needed to choose.
    Manifest,
    /// Anything else; the text says why it is skipped.
    Other(&'static str),
}

/// What a file is, by its path.
pub fn kind(path: &str) -> Kind {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    if path.split('/').any(|part| part.starts_with("cost_and_usage_data_status")) {
        return Kind::Other("AWS's status table for Athena, not cost data");
    }
    if name.starts_with('.') {
        return Kind::Other("a hidden file");
    }
    if lower.ends_with("manifest.json") {
        return Kind::Manifest;
    }
    const DATA: [&str; 6] = [".parquet", ".csv", ".csv.gz", ".csv.zip", ".gz", ".zip"];
    if DATA.iter().any(|ext| lower.ends_with(ext)) {
        return Kind::Data;
    }
    match lower.rsplit('.').next() {
        Some("sql") => Kind::Other("an SQL helper AWS writes beside the report"),
        Some("yml" | "yaml") => Kind::Other("a CloudFormation or crawler template"),
        Some("json") => Kind::Other("JSON that is not a manifest"),
        Some("crc") => Kind::Other("a checksum file"),
        _ => Kind::Other("not a Parquet or CSV data file"),
    }
}

/// What the folder's files come to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// The indices (into the listing) of the files to read, in path order.
    pub counted: Vec<usize>,
    /// The files not read, with why, in path order.
    pub skipped: Vec<(usize, String)>,
}

/// The billing period a path belongs to: a `yyyymmdd-yyyymmdd` folder (legacy
/// CUR), a `BILLING_PERIOD=…` folder (Data Exports), or Athena's
/// `year=…/month=…` pair.
pub fn period_of(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let folders = &parts[..parts.len().saturating_sub(1)];
    for part in folders {
        let bytes = part.as_bytes();
        let legacy = bytes.len() == 17
            && bytes[8] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 8 || b.is_ascii_digit());
        if legacy {
            return Some((*part).to_owned());
        }
        if let Some(period) = part.strip_prefix("BILLING_PERIOD=").or_else(|| part.strip_prefix("billing_period=")) {
            return Some(period.to_owned());
        }
    }
    let year = folders.iter().find_map(|p| p.strip_prefix("year="));
    let month = folders.iter().find_map(|p| p.strip_prefix("month="));
    year.zip(month).map(|(year, month)| format!("{year}-{month:0>2}"))
}

/// The S3 keys a manifest names, or why it is not one.
fn manifest_keys(text: &str) -> Result<Vec<String>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|error| format!("it is not JSON ({error})"))?;
    let keys = value.get("reportKeys").or_else(|| value.get("dataFiles")).and_then(|keys| keys.as_array());
    let keys = keys.ok_or("it lists no files (no reportKeys or dataFiles)")?;
    Ok(keys.iter().filter_map(|key| key.as_str()).map(str::to_owned).collect())
}

/// The last two components of a path or key: enough to match a synced file to a
/// manifest's S3 key (the delivery folder and the name), whatever prefix either has.
fn tail(path: &str) -> (&str, &str) {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or_default();
    (parts.next().unwrap_or_default(), name)
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(parent, _)| parent)
}

/// Chooses the files of a folder to read. `manifests` holds the text of the
/// listing's manifests, by index (one that could not be read is left out).
pub fn select(listing: &[Listed], manifests: &BTreeMap<usize, String>) -> Selection {
    let mut selection = Selection::default();
    let mut data: Vec<usize> = Vec::new();
    for (index, file) in listing.iter().enumerate() {
        match kind(&file.path) {
            Kind::Data => data.push(index),
            Kind::Manifest => selection.skipped.push((index, "a delivery manifest (used to choose the files)".into())),
            Kind::Other(why) => selection.skipped.push((index, why.to_owned())),
        }
    }

    // The newest manifest of each period: the shallowest (a legacy report's
    // period folder holds the current one; each delivery folder a copy of its
    // own), then the latest modified, then the last by path.
    let mut newest: BTreeMap<String, usize> = BTreeMap::new();
    for (&index, text) in manifests {
        let Some(file) = listing.get(index) else { continue };
        let Some(period) = period_of(&file.path) else { continue };
        if let Err(why) = manifest_keys(text) {
            if let Some(entry) = selection.skipped.iter_mut().find(|(i, _)| *i == index) {
                entry.1 = format!("a manifest that cannot be used: {why}");
            }
            continue;
        }
        let rank = |i: usize| {
            let f = &listing[i];
            (std::cmp::Reverse(f.path.matches('/').count()), ordered(f.modified), f.path.clone())
        };
        match newest.get(&period) {
            Some(&current) if rank(current) >= rank(index) => {}
            _ => {
                newest.insert(period, index);
            }
        }
    }
    let named: BTreeMap<String, Vec<(String, String)>> = newest
        .iter()
        .map(|(period, &index)| {
            let keys = manifest_keys(&manifests[&index]).unwrap_or_default();
            (period.clone(), keys.iter().map(|key| (tail(key).0.to_owned(), tail(key).1.to_owned())).collect())
        })
        .collect();

    // Without a manifest: the deliveries (folders) of each period.
    let mut deliveries: BTreeMap<String, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for &index in &data {
        let path = &listing[index].path;
        match period_of(path) {
            Some(period) if named.contains_key(&period) => {
                let (folder, name) = tail(path);
                if named[&period].iter().any(|(f, n)| f == folder && n == name) {
                    selection.counted.push(index);
                } else {
                    let manifest = &listing[newest[&period]].path;
                    selection.skipped.push((
                        index,
                        format!("not in {manifest}, the newest manifest of period {period} (an older delivery)"),
                    ));
                }
            }
            Some(period) => deliveries.entry(period).or_default().entry(parent(path)).or_default().push(index),
            None => selection.counted.push(index),
        }
    }
    for (period, folders) in deliveries {
        if folders.len() == 1 {
            selection.counted.extend(folders.into_values().flatten());
            continue;
        }
        // Several folders of one period are several deliveries of it: the newest counts.
        let newest_time =
            |files: &Vec<usize>| files.iter().map(|&i| ordered(listing[i].modified)).max().unwrap_or(i64::MIN);
        let Some((&chosen, _)) =
            folders.iter().max_by(|a, b| newest_time(a.1).cmp(&newest_time(b.1)).then_with(|| a.0.cmp(b.0)))
        else {
            continue;
        };
        for (folder, files) in folders {
            if folder == chosen {
                selection.counted.extend(files);
            } else {
                for index in files {
                    selection.skipped.push((
                        index,
                        format!("an older delivery of period {period} ({folder}); the newest is {chosen}"),
                    ));
                }
            }
        }
    }
    selection.counted.sort_unstable();
    selection.skipped.sort_by_key(|(index, _)| *index);
    selection
}

/// A modification time as an orderable integer (unknown first).
fn ordered(modified: Option<f64>) -> i64 {
    modified.filter(|t| t.is_finite()).map_or(i64::MIN, |t| t as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(paths: &[(&str, f64)]) -> Vec<Listed> {
        paths.iter().map(|(path, t)| Listed { path: (*path).into(), modified: Some(*t) }).collect()
    }

    fn counted<'a>(listing: &'a [Listed], selection: &Selection) -> Vec<&'a str> {
        selection.counted.iter().map(|&i| listing[i].path.as_str()).collect()
    }

    #[test]
    fn periods_are_found_in_every_layout() {
        assert_eq!(period_of("r/20240301-20240401/abc/r-1.csv.gz").as_deref(), Some("20240301-20240401"));
        assert_eq!(period_of("e/data/BILLING_PERIOD=2026-04/x/e-00001.csv.gz").as_deref(), Some("2026-04"));
        assert_eq!(period_of("WorkshopCUR/year=2018/month=9/a.parquet").as_deref(), Some("2018-09"));
        assert_eq!(period_of("flat.csv"), None);
        assert_eq!(period_of("20240301-20240401.csv"), None, "a file name is not a folder");
    }

    #[test]
    fn kinds_by_name() {
        assert_eq!(kind("r/20240301-20240401/r-Manifest.json"), Kind::Manifest);
        assert_eq!(kind("r/x/r-00001.snappy.parquet"), Kind::Data);
        assert_eq!(kind("r/x/r-1.csv.gz"), Kind::Data);
        assert_eq!(
            kind("r/cost_and_usage_data_status/status.parquet"),
            Kind::Other("AWS's status table for Athena, not cost data")
        );
        assert!(matches!(kind("r/crawler-cfn.yml"), Kind::Other(_)));
        assert!(matches!(kind("r/create-table.sql"), Kind::Other(_)));
        assert!(matches!(kind(".DS_Store"), Kind::Other(_)));
    }

    #[test]
    fn the_newest_legacy_manifest_names_the_delivery() {
        let listing = listed(&[
            ("r/20240301-20240401/aaa/r-1.csv.gz", 1.0),
            ("r/20240301-20240401/aaa/r-Manifest.json", 1.0),
            ("r/20240301-20240401/bbb/r-1.csv.gz", 2.0),
            ("r/20240301-20240401/bbb/r-2.csv.gz", 2.0),
            ("r/20240301-20240401/bbb/r-Manifest.json", 2.0),
            ("r/20240301-20240401/r-Manifest.json", 2.0),
            ("r/20240401-20240501/ccc/r-1.csv.gz", 3.0),
            ("r/r-create-table.sql", 3.0),
        ]);
        let manifest = |assembly: &str, files: &[&str]| {
            let keys: Vec<String> =
                files.iter().map(|f| format!("\"prefix/r/20240301-20240401/{assembly}/{f}\"")).collect();
            format!("{{\"assemblyId\":\"{assembly}\",\"reportKeys\":[{}]}}", keys.join(","))
        };
        let manifests = BTreeMap::from([
            (1, manifest("aaa", &["r-1.csv.gz"])),
            (4, manifest("bbb", &["r-1.csv.gz", "r-2.csv.gz"])),
            // The period's own manifest, naming a subset of the newest delivery.
            (5, manifest("bbb", &["r-2.csv.gz"])),
        ]);
        let selection = select(&listing, &manifests);
        assert_eq!(
            counted(&listing, &selection),
            ["r/20240301-20240401/bbb/r-2.csv.gz", "r/20240401-20240501/ccc/r-1.csv.gz"]
        );
        let skipped: Vec<usize> = selection.skipped.iter().map(|(i, _)| *i).collect();
        assert_eq!(skipped, [0, 1, 2, 4, 5, 7]);
        assert!(
            selection.skipped[0].1.contains("newest manifest of period 20240301-20240401"),
            "{:?}",
            selection.skipped
        );
    }

    #[test]
    fn without_a_manifest_the_newest_delivery_counts() {
        let listing = listed(&[
            ("r/20240301-20240401/old/r-1.csv.gz", 5.0),
            ("r/20240301-20240401/new/r-1.csv.gz", 9.0),
            ("r/20240301-20240401/new/r-2.csv.gz", 9.0),
            ("r/20240401-20240501/only/r-1.csv.gz", 1.0),
        ]);
        let selection = select(&listing, &BTreeMap::new());
        assert_eq!(
            counted(&listing, &selection),
            [
                "r/20240301-20240401/new/r-1.csv.gz",
                "r/20240301-20240401/new/r-2.csv.gz",
                "r/20240401-20240501/only/r-1.csv.gz"
            ]
        );
        assert_eq!(selection.skipped.len(), 1);
        assert!(
            selection.skipped[0].1.contains("older delivery of period 20240301-20240401 (r/20240301-20240401/old)")
        );
    }

    #[test]
    fn a_data_exports_manifest_names_its_files() {
        let listing = listed(&[
            ("e/data/BILLING_PERIOD=2026-04/t1-x/e-00001.csv.gz", 1.0),
            ("e/data/BILLING_PERIOD=2026-04/t2-y/e-00001.csv.gz", 2.0),
            ("e/metadata/BILLING_PERIOD=2026-04/e-Manifest.json", 2.0),
        ]);
        let text = r#"{"executionId":"y","dataFiles":["s3://b/e/data/BILLING_PERIOD=2026-04/t2-y/e-00001.csv.gz"]}"#;
        let selection = select(&listing, &BTreeMap::from([(2, text.to_owned())]));
        assert_eq!(counted(&listing, &selection), ["e/data/BILLING_PERIOD=2026-04/t2-y/e-00001.csv.gz"]);
    }

    #[test]
    fn a_broken_manifest_is_skipped_with_its_reason_and_the_times_decide() {
        let listing = listed(&[
            ("r/20240301-20240401/a/r-1.csv", 1.0),
            ("r/20240301-20240401/b/r-1.csv", 2.0),
            ("r/20240301-20240401/r-Manifest.json", 2.0),
        ]);
        let selection = select(&listing, &BTreeMap::from([(2, "{not json".to_owned())]));
        assert_eq!(counted(&listing, &selection), ["r/20240301-20240401/b/r-1.csv"]);
        assert!(selection.skipped.iter().any(|(i, why)| *i == 2 && why.starts_with("a manifest that cannot be used")));
    }

    #[test]
    fn athena_months_are_one_delivery_each() {
        let listing = listed(&[
            ("WorkshopCUR/year=2018/month=10/a.parquet", 1.0),
            ("WorkshopCUR/year=2018/month=11/b.parquet", 1.0),
        ]);
        assert_eq!(select(&listing, &BTreeMap::new()).counted, [0, 1]);
    }
}
