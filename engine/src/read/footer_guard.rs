//! The guard on the footer: its Thrift `FileMetaData` is walked before the
//! parquet crate decodes it. The crate sizes its buffers by the counts a footer
//! states, so a list claiming more elements than there are bytes, or a schema
//! whose groups claim more children than it has elements (a root with two billion
//! children), would have it reserve gigabytes. Both are refused here.

use crate::error::{Error, Result};
use crate::read::thrift::{Compact, Parsed, Thrift, wire};

/// Checks the footer bytes (the Thrift `FileMetaData`, without the length and magic).
pub fn check(footer: &[u8]) -> Result<()> {
    let damaged = |what: &str| Error::Corrupt { detail: format!("its footer cannot be decoded ({what})") };
    let mut input = Compact { bytes: footer, at: 0 };
    let children = file_metadata(&mut input).map_err(|error| match error {
        Thrift::NeedMore => damaged("it ends in the middle of a value"),
        Thrift::Invalid(what) => damaged(what),
    })?;
    schema_tree(&children).map_err(damaged)
}

/// Walks `FileMetaData`, returning the `num_children` of each schema element (field 2).
fn file_metadata(input: &mut Compact<'_>) -> Parsed<Vec<i64>> {
    let mut children = None;
    let mut last_id = 0;
    while let Some((id, field_type)) = input.field(&mut last_id)? {
        match (id, field_type) {
            (2, wire::LIST) => children = Some(schema(input)?),
            _ => input.skip(field_type, 0)?,
        }
    }
    children.ok_or(Thrift::Invalid("it has no schema"))
}

/// `list<SchemaElement>`: the `num_children` (field 5) of each element.
fn schema(input: &mut Compact<'_>) -> Parsed<Vec<i64>> {
    let head = input.byte()?;
    let count = if head >> 4 == 15 { input.varint()? } else { u64::from(head >> 4) };
    if head & 0x0f != wire::STRUCT {
        return Err(Thrift::Invalid("its schema is not a list of elements"));
    }
    // Each element takes at least a byte: a larger count is a lie, not a reason to allocate.
    if count > (input.bytes.len() - input.at) as u64 {
        return Err(Thrift::Invalid("its schema claims more elements than the footer has bytes"));
    }
    let mut children = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let mut num_children = 0;
        let mut last_id = 0;
        while let Some((id, field_type)) = input.field(&mut last_id)? {
            match id {
                5 => num_children = input.i32(field_type)?,
                _ => input.skip(field_type, 1)?,
            }
        }
        children.push(num_children);
    }
    Ok(children)
}

/// Checks that the depth-first list of `num_children` describes exactly one tree.
fn schema_tree(children: &[i64]) -> std::result::Result<(), &'static str> {
    let (&root, rest) = children.split_first().ok_or("its schema is empty")?;
    if root < 0 {
        return Err("its schema's root claims a negative number of columns");
    }
    // How many children each open group still expects, innermost last.
    let mut open = vec![root];
    for &count in rest {
        while open.last() == Some(&0) {
            open.pop();
        }
        let parent = open.last_mut().ok_or("its schema has more elements than its groups hold")?;
        *parent -= 1;
        if count < 0 {
            return Err("a schema group claims a negative number of children");
        }
        if count > 0 {
            open.push(count);
        }
    }
    if open.iter().any(|&left| left > 0) {
        return Err("its schema's groups claim more children than it has elements");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consistent_trees_pass() {
        assert_eq!(schema_tree(&[3, 0, 0, 0]), Ok(()));
        // root → (a, group(b, c), d)
        assert_eq!(schema_tree(&[3, 0, 2, 0, 0, 0]), Ok(()));
        assert_eq!(schema_tree(&[0]), Ok(()));
    }

    #[test]
    fn lying_trees_are_refused() {
        assert!(schema_tree(&[]).is_err());
        assert!(schema_tree(&[i64::from(i32::MAX), 0, 0]).is_err());
        assert!(schema_tree(&[40, 0, 0]).is_err());
        assert!(schema_tree(&[-1, 0]).is_err());
        assert!(schema_tree(&[1, 0, 0]).is_err(), "more elements than the root holds");
        assert!(schema_tree(&[2, -3, 0]).is_err());
    }

    #[test]
    fn lists_longer_than_the_footer_are_refused() {
        // field 2 (delta 2, list) with a list header claiming 2^20 structs, then nothing.
        let footer = [0x29, 0xfc, 0x80, 0x80, 0x40];
        let error = check(&footer).unwrap_err();
        assert_eq!(
            error.to_string(),
            "This Parquet file is damaged: its footer cannot be decoded (its schema claims more elements than the footer has bytes)"
        );
    }
}
