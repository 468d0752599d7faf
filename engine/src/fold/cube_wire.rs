//! The cube as flat columns: how a worker's part crosses to the page (its
//! numbers as typed arrays), checked on arrival since it crossed a boundary.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::vocab::dimension::{MEASURES, TEXT_DIMENSIONS};

/// Numbers per cell in [`CubeColumns::sums`]: a (value, carried error) pair per measure.
pub(crate) const SUM_PARTS: usize = 2 * MEASURES;

/// A cube as flat columns: per cell, its label ids, a day, rows, null costs and
/// a (value, carried error) pair per measure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CubeColumns {
    /// The labels of each text dimension, by id.
    pub labels: [Vec<String>; TEXT_DIMENSIONS],
    /// [`TEXT_DIMENSIONS`] label ids per cell.
    pub keys: Vec<u32>,
    /// The day of each cell.
    pub days: Vec<i32>,
    /// Rows per cell.
    pub rows: Vec<f64>,
    /// Null costs per cell.
    pub null_costs: Vec<f64>,
    /// [`SUM_PARTS`] numbers per cell: (value, error) of each measure, in [`Measure::ALL`] order.
    pub sums: Vec<f64>,
    /// The first and last day of its rows ([`Cube::day_span`]).
    #[serde(default)]
    pub span: Option<(i32, i32)>,
}

impl CubeColumns {
    /// How many cells the part holds.
    pub fn cells(&self) -> usize {
        self.days.len()
    }

    /// Checks that the columns agree with each other (they cross a worker
    /// boundary): lengths match, labels are unique, label ids exist.
    pub fn check(&self) -> Result<()> {
        let broken = |what: &str| Err(Error::Corrupt { detail: format!("an explorer part is inconsistent ({what})") });
        let cells = self.cells();
        if self.keys.len() != cells * TEXT_DIMENSIONS
            || self.rows.len() != cells
            || self.null_costs.len() != cells
            || self.sums.len() != cells * SUM_PARTS
        {
            return broken("column lengths differ");
        }
        for labels in &self.labels {
            let distinct: std::collections::HashSet<&String> = labels.iter().collect();
            if distinct.len() != labels.len() {
                return broken("a label appears twice");
            }
        }
        let out_of_range = self
            .keys
            .chunks_exact(TEXT_DIMENSIONS)
            .any(|key| key.iter().zip(&self.labels).any(|(&id, labels)| id as usize >= labels.len()));
        if out_of_range {
            return broken("a label id is out of range");
        }
        if self.span.is_some_and(|(first, last)| first > last) {
            return broken("its last day is before its first");
        }
        Ok(())
    }
}

/// The first bytes of a part as [`CubeColumns::to_bytes`] writes it.
const MAGIC: &[u8; 4] = b"DCP1";

impl CubeColumns {
    /// The part as bytes, to be kept outside wasm memory (a `Blob`) and read
    /// back by [`from_bytes`](Self::from_bytes): the labels of each text
    /// dimension (a count, then each as its length and UTF-8), the span, the
    /// cells, then each column, little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let cells = self.cells();
        let labels: usize = self.labels.iter().flatten().map(|l| 4 + l.len()).sum();
        let mut out = Vec::with_capacity(16 + labels + cells * (4 * TEXT_DIMENSIONS + 4 + 16 + 8 * SUM_PARTS));
        out.extend_from_slice(MAGIC);
        for slot in &self.labels {
            out.extend_from_slice(&(slot.len() as u32).to_le_bytes());
            for label in slot {
                out.extend_from_slice(&(label.len() as u32).to_le_bytes());
                out.extend_from_slice(label.as_bytes());
            }
        }
        let (spanned, first, last) = self.span.map_or((0u8, 0, 0), |(a, b)| (1, a, b));
        out.push(spanned);
        out.extend_from_slice(&first.to_le_bytes());
        out.extend_from_slice(&last.to_le_bytes());
        out.extend_from_slice(&(cells as u32).to_le_bytes());
        self.keys.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        self.days.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        for column in [&self.rows, &self.null_costs, &self.sums] {
            column.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        }
        out
    }

    /// Reads a part written by [`to_bytes`](Self::to_bytes), checked: bytes
    /// that are not one (cut short, too long, inconsistent) are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<CubeColumns> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(4)? != MAGIC {
            return Err(unreadable());
        }
        let mut columns = CubeColumns::default();
        for slot in 0..TEXT_DIMENSIONS {
            let count = reader.u32()? as usize;
            let mut labels = Vec::with_capacity(count.min(bytes.len() / 4));
            for _ in 0..count {
                let len = reader.u32()? as usize;
                labels.push(String::from_utf8(reader.take(len)?.to_vec()).map_err(|_| unreadable())?);
            }
            columns.labels[slot] = labels;
        }
        let spanned = reader.take(1)?[0];
        let (first, last) = (reader.u32()? as i32, reader.u32()? as i32);
        columns.span = (spanned == 1).then_some((first, last));
        let cells = reader.u32()? as usize;
        columns.keys = reader.words(cells.checked_mul(TEXT_DIMENSIONS).ok_or_else(unreadable)?)?;
        columns.days = reader.words(cells)?.into_iter().map(|d| d as i32).collect();
        columns.rows = reader.floats(cells)?;
        columns.null_costs = reader.floats(cells)?;
        columns.sums = reader.floats(cells.checked_mul(SUM_PARTS).ok_or_else(unreadable)?)?;
        if reader.at != bytes.len() {
            return Err(unreadable());
        }
        columns.check().map_err(|_| unreadable())?;
        Ok(columns)
    }

    /// The part cut into `parts` parts by the labels of `slots`: every cell of
    /// one combination of those labels lands in the same part, whichever
    /// worker cut it (the hash is fixed), so parts of the same number from
    /// several workers merge into exact groups with no other part's cells.
    /// Each part carries only the labels its cells use.
    pub fn split(&self, slots: &[usize], parts: usize) -> Vec<CubeColumns> {
        use std::hash::Hasher;
        let parts = parts.max(1);
        let mut out: Vec<CubeColumns> =
            (0..parts).map(|_| CubeColumns { span: self.span, ..Default::default() }).collect();
        // Per part, per slot: the source label id → the part's.
        let mut ids: Vec<[Vec<u32>; TEXT_DIMENSIONS]> =
            (0..parts).map(|_| std::array::from_fn(|slot| vec![u32::MAX; self.labels[slot].len()])).collect();
        for cell in 0..self.cells() {
            let key = &self.keys[cell * TEXT_DIMENSIONS..(cell + 1) * TEXT_DIMENSIONS];
            let mut hasher = rustc_hash::FxHasher::default();
            for &slot in slots {
                hasher.write(self.labels[slot][key[slot] as usize].as_bytes());
                hasher.write_u8(0xff);
            }
            let part = (hasher.finish() % parts as u64) as usize;
            let (target, map) = (&mut out[part], &mut ids[part]);
            for slot in 0..TEXT_DIMENSIONS {
                let id = &mut map[slot][key[slot] as usize];
                if *id == u32::MAX {
                    *id = target.labels[slot].len() as u32;
                    target.labels[slot].push(self.labels[slot][key[slot] as usize].clone());
                }
                target.keys.push(*id);
            }
            target.days.push(self.days[cell]);
            target.rows.push(self.rows[cell]);
            target.null_costs.push(self.null_costs[cell]);
            target.sums.extend_from_slice(&self.sums[cell * SUM_PARTS..(cell + 1) * SUM_PARTS]);
        }
        out
    }
}

/// The one error of bytes that are not a kept part: ducks wrote them, so
/// this is its own fault, never the user's file's.
fn unreadable() -> Error {
    Error::Internal("a kept explorer part is unreadable".into())
}

/// Reads [`CubeColumns::to_bytes`]'s bytes front to back, each read checked.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len()).ok_or_else(unreadable)?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| unreadable())?))
    }

    fn words(&mut self, n: usize) -> Result<Vec<u32>> {
        let raw = self.take(n.checked_mul(4).ok_or_else(unreadable)?)?;
        Ok(raw.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
    }

    fn floats(&mut self, n: usize) -> Result<Vec<f64>> {
        let raw = self.take(n.checked_mul(8).ok_or_else(unreadable)?)?;
        Ok(raw.chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().unwrap_or_default())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part() -> CubeColumns {
        let mut labels: [Vec<String>; TEXT_DIMENSIONS] = Default::default();
        labels[0] = vec!["AmazonEC2".into(), "AmazonS3".into()];
        for slot in labels.iter_mut().skip(1) {
            *slot = vec![String::new()];
        }
        labels[TEXT_DIMENSIONS - 1] = (0..50).map(|i| format!("i-{i:04}")).collect();
        let cells = 100;
        let mut keys = Vec::new();
        for cell in 0..cells {
            let mut key = [0u32; TEXT_DIMENSIONS];
            key[0] = (cell % 2) as u32;
            key[TEXT_DIMENSIONS - 1] = (cell % 50) as u32;
            keys.extend_from_slice(&key);
        }
        CubeColumns {
            labels,
            keys,
            days: (0..cells).map(|c| 19_700 + c as i32 / 50).collect(),
            rows: vec![1.0; cells],
            null_costs: vec![0.0; cells],
            sums: (0..cells * SUM_PARTS).map(|i| i as f64 * 0.25).collect(),
            span: Some((19_700, 19_701)),
        }
    }

    #[test]
    fn a_part_comes_back_from_its_bytes_and_broken_bytes_are_refused() {
        let part = part();
        let bytes = part.to_bytes();
        assert_eq!(CubeColumns::from_bytes(&bytes).unwrap(), part);
        for cut in [0, 3, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(CubeColumns::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(CubeColumns::from_bytes(&longer).is_err());
        let mut wrong_id = bytes;
        // The first cell's service id, past the two services.
        let keys_at = wrong_id.len() - part.cells() * (4 * TEXT_DIMENSIONS + 4 + 16 + 8 * SUM_PARTS);
        wrong_id[keys_at..keys_at + 4].copy_from_slice(&7u32.to_le_bytes());
        assert!(CubeColumns::from_bytes(&wrong_id).is_err());
    }

    #[test]
    fn split_parts_hold_each_group_whole_and_only_their_labels() {
        let part = part();
        let detail = TEXT_DIMENSIONS - 1;
        let parts = part.split(&[detail], 3);
        assert_eq!(parts.iter().map(CubeColumns::cells).sum::<usize>(), part.cells());
        let mut seen = std::collections::HashMap::new();
        for (index, p) in parts.iter().enumerate() {
            p.check().unwrap();
            for cell in 0..p.cells() {
                let label = &p.labels[detail][p.keys[cell * TEXT_DIMENSIONS + detail] as usize];
                assert_eq!(*seen.entry(label.clone()).or_insert(index), index, "{label} in one part");
            }
            let used: std::collections::HashSet<u32> =
                p.keys.chunks_exact(TEXT_DIMENSIONS).map(|k| k[detail]).collect();
            assert_eq!(used.len(), p.labels[detail].len(), "only the labels its cells use");
        }
        assert_eq!(seen.len(), 50);
        // The same labels land in the same part from another worker's part.
        let again = part.split(&[detail], 3);
        assert_eq!(again, parts);
        let sums: f64 = parts.iter().flat_map(|p| &p.sums).sum();
        assert_eq!(sums, part.sums.iter().sum::<f64>());
    }
}
