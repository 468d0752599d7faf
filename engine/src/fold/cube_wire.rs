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
