//! Values kept inside a column of key → value pairs: CUR 2.0 puts the product's
//! attributes in one `product` column (a Parquet map; JSON text in its CSV),
//! `{"product_name":"AWS CloudTrail", …}`. The readers turn such a column into
//! the plain text of one key, so the kernels see an ordinary text column.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{Array, ArrayRef, DictionaryArray, StringArray};

use crate::error::{Error, Result};
use crate::schema::columns::canonical;

/// The text under `key` in a JSON object, if `text` is one and holds it as text
/// (or a number, written as JSON writes it). Anything else is no value.
///
/// `key` may name alternatives, one per line, the first the object holds
/// winning; each is matched as written, or else in the canonical spelling
/// column names are matched in (`user_CostCenter` finds `user_cost_center`).
pub fn value_in_json(text: &str, key: &str) -> Option<String> {
    let text = text.trim();
    if !text.starts_with('{') {
        return None;
    }
    let object = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).ok()?;
    let keys: Vec<&str> = object.keys().map(String::as_str).collect();
    match object.get(keys[pick(&keys, key)?])? {
        serde_json::Value::String(value) => Some(value.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Where among `keys` is the one `wanted` (alternatives, one per line) names: see [`value_in_json`].
fn pick(keys: &[&str], wanted: &str) -> Option<usize> {
    wanted.lines().find_map(|wanted| {
        keys.iter().position(|k| *k == wanted).or_else(|| {
            let wanted = canonical(wanted);
            keys.iter().position(|k| canonical(k) == wanted)
        })
    })
}

/// Every key of a JSON object (none if `text` is not one), for listing the
/// tags a column of them holds.
pub fn keys_in_json(text: &str) -> Vec<String> {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text.trim())
        .map(|object| object.into_iter().map(|(key, _)| key).collect())
        .unwrap_or_default()
}

/// A column of key → value pairs as the text under `key`, row by row: text
/// columns of JSON objects (a dictionary-encoded one is read once per distinct
/// entry), or a map of text to text (CUR 2.0 Parquet's `resource_tags`).
pub fn column_of_key(column: &dyn Array, key: &str) -> Result<ArrayRef> {
    if let Some(dictionary) = column.as_dictionary_opt::<Int32Type>() {
        let values = column_of_key(dictionary.values().as_ref(), key)?;
        let keyed = DictionaryArray::try_new(dictionary.keys().clone(), values)
            .map_err(|error| Error::Internal(format!("a keyed dictionary could not be rebuilt: {error}")))?;
        return Ok(Arc::new(keyed));
    }
    if let Some(map) = column.as_map_opt() {
        let rows = map_rows(map, |keys, values| {
            let entries: Vec<&str> = keys.iter().map(|k| k.unwrap_or_default()).collect();
            values.get(pick(&entries, key)?).copied().flatten().map(str::to_owned)
        })?;
        return Ok(Arc::new(rows.into_iter().collect::<StringArray>()));
    }
    let rows = texts(column)?.into_iter().map(|text| text.and_then(|text| value_in_json(text, key)));
    Ok(Arc::new(rows.collect::<StringArray>()))
}

/// A map column as the JSON text of each row's pairs (`{"user_team":"a"}`), so
/// that a whole column of pairs can be read as text (to learn its keys);
/// `None` for a column that is not a map.
pub fn map_as_json(column: &dyn Array) -> Result<Option<ArrayRef>> {
    let Some(map) = column.as_map_opt() else { return Ok(None) };
    let rows = map_rows(map, |keys, values| {
        let object: serde_json::Map<String, serde_json::Value> = keys
            .iter()
            .zip(values)
            .filter_map(|(key, value)| Some(((*key)?.to_owned(), value.map_or(serde_json::Value::Null, |v| v.into()))))
            .collect();
        Some(serde_json::Value::Object(object).to_string())
    })?;
    Ok(Some(Arc::new(rows.into_iter().collect::<StringArray>())))
}

/// Each row of a map of text to text through `row` (its keys and values, in
/// step); a null map is no value, and offsets past the entries are cut to them.
fn map_rows<T>(
    map: &arrow_array::MapArray,
    row: impl Fn(&[Option<&str>], &[Option<&str>]) -> Option<T>,
) -> Result<Vec<Option<T>>> {
    let (keys, values) = (texts(map.keys().as_ref())?, texts(map.values().as_ref())?);
    let offsets = map.value_offsets();
    let entries = keys.len().min(values.len());
    Ok((0..map.len())
        .map(|i| {
            if map.is_null(i) {
                return None;
            }
            let end = (offsets[i + 1].max(0) as usize).min(entries);
            let first = (offsets[i].max(0) as usize).min(end);
            row(&keys[first..end], &values[first..end])
        })
        .collect())
}

/// The rows of a text column.
fn texts(column: &dyn Array) -> Result<Vec<Option<&str>>> {
    if let Some(strings) = column.as_string_opt::<i32>() {
        return Ok(strings.iter().collect());
    }
    if let Some(strings) = column.as_string_opt::<i64>() {
        return Ok(strings.iter().collect());
    }
    if let Some(strings) = column.as_string_view_opt() {
        return Ok(strings.iter().collect());
    }
    if let Some(dictionary) = column.as_dictionary_opt::<Int32Type>() {
        let values = texts(dictionary.values().as_ref())?;
        return Ok(dictionary
            .keys()
            .iter()
            .map(|k| k.and_then(|k| values.get(k as usize).copied().flatten()))
            .collect());
    }
    Err(Error::Internal(format!("a column of {} reached the key reader, which takes text", column.data_type())))
}

/// Remembers the last texts looked up, for readers that meet the same JSON
/// object on many rows (a product's attributes repeat on every line of it).
#[derive(Default)]
pub struct KeyCache {
    seen: std::collections::HashMap<Vec<u8>, Option<String>>,
}

impl KeyCache {
    /// Entries kept at most; the cache starts over beyond them.
    const LIMIT: usize = 4096;

    /// The text under `key` in `raw` (JSON text bytes), as [`value_in_json`].
    pub fn value(&mut self, raw: &[u8], key: &str) -> Option<&str> {
        if !self.seen.contains_key(raw) {
            if self.seen.len() >= Self::LIMIT {
                self.seen.clear();
            }
            let value = std::str::from_utf8(raw).ok().and_then(|text| value_in_json(text, key));
            self.seen.insert(raw.to_vec(), value);
        }
        self.seen.get(raw).and_then(Option::as_deref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_key_in_json_objects_only() {
        let product = r#"{"product_name":"AWS CloudTrail","region":"us-east-1"}"#;
        assert_eq!(value_in_json(product, "product_name").as_deref(), Some("AWS CloudTrail"));
        assert_eq!(value_in_json(product, "sku"), None);
        assert_eq!(value_in_json("{}", "product_name"), None);
        assert_eq!(value_in_json("AWS CloudTrail", "product_name"), None);
        assert_eq!(value_in_json(r#"{"product_name":"#, "product_name"), None, "cut JSON is no value");
        assert_eq!(value_in_json(r#"{"vcpu":4}"#, "vcpu").as_deref(), Some("4"));
        let tags = r#"{"team":"a","user_cost_center":"CC-1"}"#;
        assert_eq!(value_in_json(tags, "user:team\nteam").as_deref(), Some("a"), "the second alternative");
        assert_eq!(value_in_json(tags, "user_CostCenter").as_deref(), Some("CC-1"), "canonical spelling");
        assert_eq!(keys_in_json(tags), ["team", "user_cost_center"]);
        assert!(keys_in_json("NULL").is_empty());
    }

    #[test]
    fn a_dictionary_column_keeps_its_keys() {
        let column: DictionaryArray<Int32Type> =
            vec![Some(r#"{"product_name":"Amazon S3"}"#), None, Some(r#"{"product_name":"Amazon S3"}"#), Some("{}")]
                .into_iter()
                .collect();
        let keyed = column_of_key(&column, "product_name").unwrap();
        let keyed = keyed.as_dictionary::<Int32Type>();
        let values = keyed.values().as_string::<i32>();
        let rows: Vec<Option<&str>> = keyed
            .keys()
            .iter()
            .map(|k| k.and_then(|k| values.is_valid(k as usize).then(|| values.value(k as usize))))
            .collect();
        assert_eq!(rows, [Some("Amazon S3"), None, Some("Amazon S3"), None]);
        let mut cache = KeyCache::default();
        assert_eq!(cache.value(br#"{"product_name":"Amazon S3"}"#, "product_name"), Some("Amazon S3"));
        assert_eq!(cache.value(b"not json", "product_name"), None);
    }

    #[test]
    fn a_map_column_gives_the_value_under_the_key() {
        use arrow_array::builder::{MapBuilder, StringBuilder};
        let mut builder = MapBuilder::new(None, StringBuilder::new(), StringBuilder::new());
        for row in [&[("user_team", "payments"), ("user_env", "prod")][..], &[("user_env", "dev")], &[]] {
            for (key, value) in row {
                builder.keys().append_value(key);
                builder.values().append_value(value);
            }
            builder.append(true).unwrap();
        }
        builder.append(false).unwrap();
        let map = builder.finish();
        let keyed = column_of_key(&map, "user_team").unwrap();
        let rows: Vec<Option<&str>> = keyed.as_string::<i32>().iter().collect();
        assert_eq!(rows, [Some("payments"), None, None, None]);
        let json = map_as_json(&map).unwrap().unwrap();
        let rows: Vec<Option<&str>> = json.as_string::<i32>().iter().collect();
        assert_eq!(
            rows,
            [Some(r#"{"user_env":"prod","user_team":"payments"}"#), Some(r#"{"user_env":"dev"}"#), Some("{}"), None]
        );
        assert!(map_as_json(&StringArray::from(vec!["x"])).unwrap().is_none());
    }
}
