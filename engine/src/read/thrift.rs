//! The few parts of Thrift's compact protocol that checking Parquet's own
//! structures needs: page headers (see `page_guard`) and the footer (see
//! `footer_guard`). Reading here never allocates: counts and lengths are checked
//! against the bytes that are actually there.
//!
//! This is hand-written on purpose, and should stay so: a Thrift library decodes
//! by trusting the counts and lengths it reads (and allocates for them), which is
//! exactly what a lying file exploits. This walker's whole point is not to trust
//! a claimed count before the bytes to back it are there.

/// Why bytes could not be read as Thrift.
pub enum Thrift {
    /// The bytes end before the value does.
    NeedMore,
    /// The bytes are not the expected structure; the text says where it went wrong.
    Invalid(&'static str),
}

/// A Thrift reading result.
pub type Parsed<T> = std::result::Result<T, Thrift>;

/// A cursor over compact-protocol bytes.
pub struct Compact<'a> {
    /// The bytes.
    pub bytes: &'a [u8],
    /// How far reading has come.
    pub at: usize,
}

/// Compact-protocol type codes.
pub mod wire {
    pub const BOOL_TRUE: u8 = 1;
    pub const BOOL_FALSE: u8 = 2;
    pub const BYTE: u8 = 3;
    pub const I16: u8 = 4;
    pub const I32: u8 = 5;
    pub const I64: u8 = 6;
    pub const DOUBLE: u8 = 7;
    pub const BINARY: u8 = 8;
    pub const LIST: u8 = 9;
    pub const SET: u8 = 10;
    pub const MAP: u8 = 11;
    pub const STRUCT: u8 = 12;
}

/// Nesting deeper than this is not Parquet metadata but an attack on the stack.
const MAX_DEPTH: u32 = 32;

impl Compact<'_> {
    /// One byte.
    pub fn byte(&mut self) -> Parsed<u8> {
        let byte = *self.bytes.get(self.at).ok_or(Thrift::NeedMore)?;
        self.at += 1;
        Ok(byte)
    }

    /// An unsigned LEB128 integer.
    pub fn varint(&mut self) -> Parsed<u64> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let byte = self.byte()?;
            if shift == 63 && byte > 1 {
                return Err(Thrift::Invalid("integer too long"));
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Thrift::Invalid("integer too long"))
    }

    /// A zigzag-encoded signed integer (i16, i32 and i64 all use it).
    pub fn zigzag(&mut self) -> Parsed<i64> {
        let raw = self.varint()?;
        Ok((raw >> 1) as i64 ^ -((raw & 1) as i64))
    }

    /// An i32 field, checked to be one and to fit.
    pub fn i32(&mut self, field_type: u8) -> Parsed<i64> {
        if field_type != wire::I32 {
            return Err(Thrift::Invalid("a field has the wrong type"));
        }
        let value = self.zigzag()?;
        if i32::try_from(value).is_err() {
            return Err(Thrift::Invalid("a 32-bit field is out of range"));
        }
        Ok(value)
    }

    /// Passes over `count` bytes, which must be there.
    pub fn skip_bytes(&mut self, count: u64) -> Parsed<()> {
        let end = (self.at as u64).checked_add(count).ok_or(Thrift::Invalid("length out of range"))?;
        if end > self.bytes.len() as u64 {
            return Err(Thrift::NeedMore);
        }
        self.at = end as usize;
        Ok(())
    }

    /// Reads a field header: `None` at the end of a struct, else (field id, type).
    pub fn field(&mut self, last_id: &mut i64) -> Parsed<Option<(i64, u8)>> {
        let byte = self.byte()?;
        let field_type = byte & 0x0f;
        if field_type == 0 {
            return Ok(None);
        }
        let delta = i64::from(byte >> 4);
        let id = if delta == 0 {
            self.zigzag()?
        } else {
            last_id.checked_add(delta).ok_or(Thrift::Invalid("a field id is out of range"))?
        };
        *last_id = id;
        Ok(Some((id, field_type)))
    }

    /// Passes over a value of `field_type`, at nesting `depth`.
    pub fn skip(&mut self, field_type: u8, depth: u32) -> Parsed<()> {
        if depth > MAX_DEPTH {
            return Err(Thrift::Invalid("nested too deeply"));
        }
        match field_type {
            wire::BOOL_TRUE | wire::BOOL_FALSE => Ok(()),
            wire::BYTE => self.skip_bytes(1),
            wire::I16 | wire::I32 | wire::I64 => self.varint().map(drop),
            wire::DOUBLE => self.skip_bytes(8),
            wire::BINARY => {
                let length = self.varint()?;
                self.skip_bytes(length)
            }
            wire::LIST | wire::SET => {
                let head = self.byte()?;
                let count = if head >> 4 == 15 { self.varint()? } else { u64::from(head >> 4) };
                let element = head & 0x0f;
                self.skip_elements(count, &[element], depth)
            }
            wire::MAP => {
                let count = self.varint()?;
                if count == 0 {
                    return Ok(());
                }
                let kinds = self.byte()?;
                self.skip_elements(count, &[kinds >> 4, kinds & 0x0f], depth)
            }
            wire::STRUCT => {
                let mut last_id = 0;
                while let Some((_, inner)) = self.field(&mut last_id)? {
                    self.skip(inner, depth + 1)?;
                }
                Ok(())
            }
            _ => Err(Thrift::Invalid("unknown field type")),
        }
    }

    /// Passes over `count` list, set or map elements of the given types.
    pub fn skip_elements(&mut self, count: u64, kinds: &[u8], depth: u32) -> Parsed<()> {
        // Every element takes at least one byte (booleans in a list do), so a count
        // beyond the bytes left is a lie, not a reason to loop for a long time.
        if count > (self.bytes.len() - self.at) as u64 {
            return Err(Thrift::NeedMore);
        }
        for _ in 0..count {
            for &kind in kinds {
                match kind {
                    wire::BOOL_TRUE | wire::BOOL_FALSE => self.skip_bytes(1)?,
                    _ => self.skip(kind, depth + 1)?,
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A field id near the top of i64 followed by a delta would wrap (and panic
    /// under the fuzzer); it is refused.
    #[test]
    fn field_ids_that_would_overflow_are_refused() {
        // Field with an explicit id (delta 0, type i32) of i64::MAX, zigzag-encoded, then a delta of 1.
        let mut bytes = vec![0x05];
        let mut zigzag = u64::MAX - 1; // zigzag(i64::MAX)
        while zigzag >= 0x80 {
            bytes.push((zigzag as u8 & 0x7f) | 0x80);
            zigzag >>= 7;
        }
        bytes.push(zigzag as u8);
        bytes.push(0x15);
        let mut cursor = Compact { bytes: &bytes, at: 0 };
        let mut last = 0;
        assert!(matches!(cursor.field(&mut last), Ok(Some((i64::MAX, wire::I32)))));
        assert!(matches!(cursor.field(&mut last), Err(Thrift::Invalid("a field id is out of range"))));
    }
}
