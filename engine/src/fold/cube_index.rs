//! The cube's index: cell keys to cells, looked up once per row of a scan,
//! with keys packed into two words while they fit.

use std::collections::HashMap;

use crate::vocab::dimension::TEXT_DIMENSIONS;

/// rustc's Fx hash: the cell index is looked up once per row, and SipHash would
/// cost more than the rest of the row's work. Its keys are label ids and days
/// (small numbers the scan gives out), never text from a file.
pub(crate) type Fx = rustc_hash::FxBuildHasher;

/// A cell's key: the ids of its text labels and its day.
pub type CellKey = ([u32; TEXT_DIMENSIONS], i32);

/// Cell keys → cell, looked up once per row of a scan. A key is packed into two
/// words (each label id in as many bits as its dimension needs so far, the day
/// in 17), which hash in one folded multiplication and compare in two
/// instructions; hashing and comparing the 40-byte key was most of the
/// explorer's scan. When ids outgrow their bits the index is rebuilt wider
/// (seldom: a width grows with headroom), and a cube whose keys do not fit two
/// words keys them in full.
#[derive(Debug, Clone, Default)]
pub(super) struct CellIndex {
    /// Per text dimension: its bits in a packed key, its word and its shift in it.
    pub(super) layout: [(u32, usize, u32); TEXT_DIMENSIONS],
    pub(super) packed: HashMap<Packed, u32, PackedHash>,
    /// Every key in full, once some key does not pack.
    pub(super) wide: Option<HashMap<CellKey, u32, Fx>>,
}

/// A packed cell key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Packed([u64; 2]);

impl std::hash::Hash for Packed {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Folded multiplication (as in foldhash): every bit of both words
        // reaches both the high bits (hashbrown's tag) and the low ones (its bucket).
        let product = u128::from(self.0[0] ^ 0x243F_6A88_85A3_08D3) * u128::from(self.0[1] ^ 0x1319_8A2E_0370_7344);
        state.write_u64((product as u64) ^ ((product >> 64) as u64));
    }
}

/// Hands on the one word [`Packed`] hashes to.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Premixed(u64);

impl std::hash::Hasher for Premixed {
    fn write(&mut self, bytes: &[u8]) {
        // Only `Packed` is hashed with this; any other use still spreads.
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) type PackedHash = std::hash::BuildHasherDefault<Premixed>;

/// Bits of the day in a packed key: 0 for [`NO_DAY`](crate::vocab::dates::NO_DAY),
/// else days since 1970-01-01 plus one (to the year 2328; other days do not pack).
pub(super) const DAY_BITS: u32 = 17;

/// Bits added beyond what an id needs when a width grows, so it grows seldom.
pub(super) const HEADROOM_BITS: u32 = 2;

impl CellIndex {
    pub(super) fn day_field(day: i32) -> Option<u64> {
        if day == crate::vocab::dates::NO_DAY {
            return Some(0);
        }
        u32::try_from(day).ok().map(|d| u64::from(d) + 1).filter(|&d| d < 1 << DAY_BITS)
    }

    /// The packed key, if every id fits its width and the day packs.
    #[inline]
    pub(super) fn pack(&self, (labels, day): &CellKey) -> Option<Packed> {
        // The day is the low bits of the first word; labels are laid out above it.
        let mut words = [Self::day_field(*day)?, 0];
        for (&id, &(width, word, shift)) in labels.iter().zip(&self.layout) {
            if u64::from(id) >> width != 0 {
                return None;
            }
            words[word] |= u64::from(id) << shift;
        }
        Some(Packed(words))
    }

    pub(super) fn get(&self, key: &CellKey) -> Option<u32> {
        match &self.wide {
            Some(wide) => wide.get(key).copied(),
            // Every key indexed packs as the widths are, so one that does not is new.
            None => self.packed.get(&self.pack(key)?).copied(),
        }
    }

    /// Makes room for `key` (wider widths, or keys in full) and indexes the
    /// cells `keys` / `days` hold again.
    pub(super) fn widen(&mut self, key: &CellKey, keys: &[[u32; TEXT_DIMENSIONS]], days: &[i32]) {
        let mut layout = self.layout;
        // Widths first, then each dimension in the first word with room (a
        // dimension is never split between words).
        for ((width, _, _), &id) in layout.iter_mut().zip(&key.0) {
            let needed = u32::BITS - id.leading_zeros();
            if needed > *width {
                *width = (needed + HEADROOM_BITS).min(u32::BITS);
            }
        }
        let mut used = [DAY_BITS, 0];
        let mut fits = Self::day_field(key.1).is_some();
        for (width, word, shift) in &mut layout {
            match used.iter().position(|&u| u + *width <= u64::BITS) {
                Some(w) => {
                    (*word, *shift) = (w, used[w]);
                    used[w] += *width;
                }
                None => fits = false,
            }
        }
        let cells = keys.iter().copied().zip(days.iter().copied());
        if fits {
            self.layout = layout;
            self.packed.clear();
            for (cell, key) in cells.enumerate() {
                let packed = self.pack(&key).expect("every indexed key fits the wider widths");
                self.packed.insert(packed, cell as u32);
            }
        } else {
            self.packed = HashMap::default();
            self.wide = Some(cells.enumerate().map(|(cell, key)| (key, cell as u32)).collect());
        }
    }

    /// Indexes a new cell, first making room for its key if it does not pack
    /// (`keys` / `days` are the cells indexed so far).
    pub(super) fn insert(&mut self, key: CellKey, cell: u32, keys: &[[u32; TEXT_DIMENSIONS]], days: &[i32]) {
        if self.wide.is_none() && self.pack(&key).is_none() {
            self.widen(&key, keys, days);
        }
        match &mut self.wide {
            Some(wide) => {
                wide.insert(key, cell);
            }
            None => {
                let packed = self.pack(&key).expect("a key is packable once widened for it");
                self.packed.insert(packed, cell);
            }
        }
    }
}
