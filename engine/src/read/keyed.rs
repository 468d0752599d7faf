//! Values kept inside a column of key → value pairs: CUR 2.0 puts the product's
//! attributes in one `product` column (a Parquet map; JSON text in its CSV),
//! `{"product_name":"AWS CloudTrail", …}`. The readers turn such a column into
//! the plain text of one key, so the kernels see an ordinary text column.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{Array, ArrayRef, DictionaryArray, StringArray};

use crate::error::{Error, Result};

/// The text under `key` in a JSON object, if `text` is one and holds it as text
/// (or a number, written as JSON writes it). Anything else is no value.
pub fn value_in_json(text: &str, key: &str) -> Option<String> {
    let text = text.trim();
    if !text.starts_with('{') {
        return None;
    }
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).ok()?.remove(key)? {
        serde_json::Value::String(value) => Some(value),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// A text column of JSON objects as the text under `key`, row by row. A
/// dictionary-encoded column is read once per distinct entry.
pub fn column_of_key(column: &dyn Array, key: &str) -> Result<ArrayRef> {
    if let Some(dictionary) = column.as_dictionary_opt::<Int32Type>() {
        let values = column_of_key(dictionary.values().as_ref(), key)?;
        let keyed = DictionaryArray::try_new(dictionary.keys().clone(), values)
            .map_err(|error| Error::Internal(format!("a keyed dictionary could not be rebuilt: {error}")))?;
        return Ok(Arc::new(keyed));
    }
    let texts: Vec<Option<String>> = match column.as_string_opt::<i32>() {
        Some(strings) => strings.iter().map(|t| t.and_then(|t| value_in_json(t, key))).collect(),
        None => match column.as_string_opt::<i64>() {
            Some(strings) => strings.iter().map(|t| t.and_then(|t| value_in_json(t, key))).collect(),
            None => match column.as_string_view_opt() {
                Some(strings) => strings.iter().map(|t| t.and_then(|t| value_in_json(t, key))).collect(),
                None => {
                    return Err(Error::Internal(format!(
                        "a column of {} reached the key reader, which takes text",
                        column.data_type()
                    )));
                }
            },
        },
    };
    Ok(Arc::new(StringArray::from(texts)))
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
}
