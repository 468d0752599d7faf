//! The tag keys (and cost category names) a set of files holds, for the
//! explorer's picker. Legacy CUR names them in its columns; CUR 2.0 and FOCUS
//! keep them in a column of key → value pairs, so they are learned from a
//! census: an on-demand scan whose [`Detail`](crate::Dimension::Detail) slot
//! holds each row's whole column of pairs as JSON text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answer::query::{Query, group};
use crate::fold::cube::Cube;
use crate::schema::columns::{CurFormat, canonical};
use crate::schema::detail::Detail;
use crate::settings::usage::UsageRule;
use crate::vocab::dimension::Dimension;

/// A key the files hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyShare {
    /// The tag key or cost category name, as the files spell it.
    pub key: String,
    /// The share (0 to 1) of the counted unblended cost, in the files' main
    /// currency, on rows with a value for it; `None` where it is not known
    /// (a key with a column of its own is known from its name only).
    pub share: Option<f64>,
}

/// The keys of `kind` (a [`Detail::Tag`] or [`Detail::CostCategory`]; its
/// own name does not matter) in a census cube of files of `format`, the ones
/// covering the most cost first.
pub fn pair_keys(census: &Cube, kind: &Detail, format: CurFormat, usage: &UsageRule) -> Vec<KeyShare> {
    let grouped = group(census, &Query { group_by: Dimension::Detail, ..Query::default() }, usage);
    let Some(main) = grouped.totals.first() else { return Vec::new() };
    let mut covered: BTreeMap<String, f64> = BTreeMap::new();
    for row in grouped.groups.iter().filter(|g| g.currency == main.currency) {
        let Ok(object) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&row.key) else {
            continue;
        };
        for (key, value) in object {
            let has_value = match value {
                serde_json::Value::String(text) => !text.is_empty(),
                serde_json::Value::Null => false,
                _ => true,
            };
            if let Some(name) = kind.key_of_pair(&key, format).filter(|_| has_value) {
                *covered.entry(name.to_owned()).or_insert(0.0) += row.cost;
            }
        }
    }
    let total = main.cost;
    let mut keys: Vec<KeyShare> = covered
        .into_iter()
        .map(|(key, cost)| KeyShare { key, share: (total != 0.0).then(|| (cost / total).clamp(0.0, 1.0)) })
        .collect();
    keys.sort_by(|a, b| b.share.unwrap_or(0.0).total_cmp(&a.share.unwrap_or(0.0)).then_with(|| a.key.cmp(&b.key)));
    keys
}

/// The name of each label of `dimension` (an account's id) in a cube whose
/// [`Detail`](Dimension::Detail) slot holds names read beside it
/// ([`Detail::account_name_column`]): the name with the most cost where an id
/// has several.
pub fn names_beside(cube: &Cube, dimension: Dimension) -> BTreeMap<String, String> {
    let filter = crate::answer::query::Filter::default();
    let by = [dimension, Dimension::Detail];
    let grouped = crate::answer::query::group_many(
        cube,
        &by,
        crate::vocab::dimension::Measure::Unblended,
        &filter,
        &UsageRule::everything(),
    );
    let mut names = BTreeMap::new();
    // Highest cost first, so the first name met for an id is its main one.
    for group in grouped.groups {
        if let [id, name] = group.keys.as_slice()
            && !id.is_empty()
            && !name.is_empty()
        {
            names.entry(id.clone()).or_insert_with(|| name.clone());
        }
    }
    names
}

/// `lists` of keys merged, each key once (spelled as first met; a share
/// where one list knows it), the ones covering the most cost first.
pub fn merge_keys(lists: impl IntoIterator<Item = Vec<KeyShare>>) -> Vec<KeyShare> {
    let mut merged: Vec<KeyShare> = Vec::new();
    for key in lists.into_iter().flatten() {
        match merged.iter_mut().find(|k| canonical(&k.key) == canonical(&key.key)) {
            Some(known) => {
                known.share = match (known.share, key.share) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                }
            }
            None => merged.push(key),
        }
    }
    merged.sort_by(|a, b| b.share.unwrap_or(-1.0).total_cmp(&a.share.unwrap_or(-1.0)).then_with(|| a.key.cmp(&b.key)));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::dimension::MEASURES;

    #[test]
    fn keys_come_with_the_share_of_cost_they_cover() {
        let mut cube = Cube::default();
        for (tags, cost) in [(r#"{"user_team":"a","user_env":"prod"}"#, 6.0), (r#"{"user_team":""}"#, 3.0), ("{}", 1.0)]
        {
            let key = std::array::from_fn(|slot| match slot {
                5 => cube.label_id(slot, "Usage"),
                6 => cube.label_id(slot, "USD"),
                9 => cube.label_id(slot, tags),
                _ => cube.label_id(slot, ""),
            });
            let cell = cube.cell_index((key, crate::vocab::dates::NO_DAY));
            cube.add(cell, [cost; MEASURES], false);
        }
        let keys = pair_keys(&cube, &Detail::Tag(String::new()), CurFormat::Cur2, &UsageRule::default());
        assert_eq!(
            keys,
            [KeyShare { key: "env".into(), share: Some(0.6) }, KeyShare { key: "team".into(), share: Some(0.6) }]
        );
        let named = vec![KeyShare { key: "Team".into(), share: None }, KeyShare { key: "owner".into(), share: None }];
        let merged = merge_keys([named, keys]);
        let order: Vec<(&str, Option<f64>)> = merged.iter().map(|k| (k.key.as_str(), k.share)).collect();
        assert_eq!(order, [("Team", Some(0.6)), ("env", Some(0.6)), ("owner", None)]);
    }
}
