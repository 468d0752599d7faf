//! Names for account ids, per workspace: imported from a person's own list
//! (CSV or JSON), since legacy CUR carries ids only. The import is validated
//! whole: a bad file changes nothing, and the error says which line.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// Account ids → names.
pub type AccountNames = BTreeMap<String, String>;

/// Most names one list may hold (an organisation has at most a few thousand accounts).
const MAX_NAMES: usize = 100_000;

/// Longest id or name kept.
const MAX_TEXT: usize = 200;

/// Canonical header names of the id and name columns a CSV may use.
const ID_COLUMNS: [&str; 4] = ["account_id", "id", "accountid", "account"];
const NAME_COLUMNS: [&str; 4] = ["account_name", "name", "accountname", "alias"];

/// Reads a list of names: a JSON object (`{"111122223333": "prod"}`), a JSON
/// array of objects with an id and a name (`[{"id": "…", "name": "…"}]`,
/// as AWS Organizations' `list-accounts` gives them under `Accounts`), or CSV
/// with a header naming an id column and a name column.
pub fn parse(text: &str) -> Result<AccountNames> {
    let text = text.trim_start_matches('\u{feff}').trim();
    let pairs = if text.starts_with('{') || text.starts_with('[') { from_json(text)? } else { from_csv(text)? };
    let mut names = AccountNames::new();
    for (line, (id, name)) in pairs.into_iter().enumerate() {
        let (id, name) = (id.trim().to_owned(), name.trim().to_owned());
        let at = || format!("entry {}", line + 1);
        if id.is_empty() || name.is_empty() {
            return Err(bad(format!("{} has an empty id or name", at())));
        }
        if id.len() > MAX_TEXT || name.len() > MAX_TEXT {
            return Err(bad(format!("{} is longer than {MAX_TEXT} characters", at())));
        }
        if let Some(other) = names.get(&id).filter(|other| **other != name) {
            return Err(bad(format!("{} names account {id} {name:?}, but an earlier one names it {other:?}", at())));
        }
        names.insert(id, name);
        if names.len() > MAX_NAMES {
            return Err(bad(format!("it names more than {MAX_NAMES} accounts")));
        }
    }
    if names.is_empty() {
        return Err(bad("it names no accounts".into()));
    }
    Ok(names)
}

/// Checks a list read back from storage or a workspace file as an import is checked.
pub fn check(names: &AccountNames) -> Result<()> {
    if names.len() > MAX_NAMES {
        return Err(bad(format!("it names more than {MAX_NAMES} accounts")));
    }
    match names.iter().find(|(id, name)| {
        id.trim().is_empty() || name.trim().is_empty() || id.len() > MAX_TEXT || name.len() > MAX_TEXT
    }) {
        Some((id, _)) => Err(bad(format!("the entry for {id:?} is empty or too long"))),
        None => Ok(()),
    }
}

fn bad(why: String) -> Error {
    Error::Settings(format!(
        "the account names were not imported: {why}. Use CSV with account_id and account_name columns, or JSON such as {{\"111122223333\": \"production\"}}"
    ))
}

fn from_json(text: &str) -> Result<Vec<(String, String)>> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| bad(format!("it is not valid JSON ({e})")))?;
    let text_of = |value: &serde_json::Value| match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    };
    let list = match &value {
        serde_json::Value::Object(object) if object.contains_key("Accounts") => object.get("Accounts"),
        other => Some(other),
    };
    match list {
        Some(serde_json::Value::Object(object)) => object
            .iter()
            .map(|(id, name)| {
                Ok((id.clone(), text_of(name).ok_or_else(|| bad(format!("the name of {id} is not text")))?))
            })
            .collect(),
        Some(serde_json::Value::Array(entries)) => entries
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                let field = |wanted: &[&str]| {
                    entry
                        .as_object()?
                        .iter()
                        .find(|(key, _)| wanted.contains(&canonical(key).as_str()))
                        .and_then(|(_, v)| text_of(v))
                };
                match (field(&ID_COLUMNS), field(&NAME_COLUMNS)) {
                    (Some(id), Some(name)) => Ok((id, name)),
                    _ => Err(bad(format!("entry {} has no id and name", index + 1))),
                }
            })
            .collect(),
        _ => Err(bad("it is neither an object of names nor a list of accounts".into())),
    }
}

fn from_csv(text: &str) -> Result<Vec<(String, String)>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| bad(format!("its header cannot be read ({e})")))?.clone();
    let position = |wanted: &[&str]| header.iter().position(|h| wanted.contains(&canonical(h).as_str()));
    let (Some(id), Some(name)) = (position(&ID_COLUMNS), position(&NAME_COLUMNS)) else {
        return Err(bad(format!(
            "its header ({}) has no account id and account name columns",
            header.iter().collect::<Vec<_>>().join(", ")
        )));
    };
    reader
        .records()
        .enumerate()
        .map(|(index, record)| {
            let record = record.map_err(|e| bad(format!("line {} cannot be read ({e})", index + 2)))?;
            Ok((record.get(id).unwrap_or_default().to_owned(), record.get(name).unwrap_or_default().to_owned()))
        })
        .collect()
}

/// Header names compared in one spelling: `Account ID`, `accountId`, `account_id` meet.
fn canonical(name: &str) -> String {
    crate::schema::columns::canonical(name).replace("__", "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_accepted_shape_gives_the_same_names() {
        let want = AccountNames::from([
            ("111122223333".into(), "production".into()),
            ("444455556666".into(), "data, lake".into()),
        ]);
        for text in [
            "account_id,account_name\n111122223333,production\n444455556666,\"data, lake\"\n",
            "\u{feff}Account ID,Account Name,Email\r\n111122223333,production,a@b\r\n444455556666,\"data, lake\",c@d\r\n",
            r#"{"111122223333": "production", "444455556666": "data, lake"}"#,
            r#"[{"id": "111122223333", "name": "production"}, {"accountId": 444455556666, "accountName": "data, lake"}]"#,
            r#"{"Accounts": [{"Id": "111122223333", "Name": "production"}, {"Id": "444455556666", "Name": "data, lake"}]}"#,
        ] {
            assert_eq!(parse(text).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn a_bad_list_is_refused_whole_with_the_reason() {
        let refused = |text: &str| parse(text).unwrap_err().to_string();
        assert!(refused("id,colour\n1,red\n").contains("has no account id and account name columns"));
        assert!(
            refused("id,name\n1,a\n1,b\n").contains("entry 2 names account 1 \"b\", but an earlier one names it \"a\"")
        );
        assert!(refused("id,name\n1,\n").contains("entry 1 has an empty id or name"));
        assert!(refused("{\"1\": [\"a\"]}").contains("the name of 1 is not text"));
        assert!(refused("[1, 2]").contains("entry 1 has no id and name"));
        assert!(refused("{").contains("it is not valid JSON"));
        assert!(refused("id,name\n").contains("it names no accounts"));
    }
}
