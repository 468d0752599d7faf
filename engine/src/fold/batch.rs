//! The columns of one decoded batch, by role: what a reader (Parquet or CSV)
//! hands the kernels.

use arrow_array::Array;

use crate::error::Result;
use crate::schema::catalogue::Field;

/// What a scan does with each batch it reads.
pub type Fold<'a> = dyn FnMut(&Batch<'_>) -> Result<()> + 'a;

/// One batch of rows: the three required columns and the optional ones the
/// scan reads, where the file has them. All arrays have the same length.
pub struct Batch<'a> {
    /// The line item type (FOCUS: charge category), text.
    pub line_item_type: &'a dyn Array,
    /// The service, text.
    pub service: &'a dyn Array,
    /// The unblended cost (FOCUS: billed cost), numbers or numeric text.
    pub cost: &'a dyn Array,
    /// The optional columns present, by field.
    pub optional: Vec<(Field, &'a dyn Array)>,
    /// The on-demand dimension's column (a tag, a cost category, the resource),
    /// as text, when the scan reads one and the file has it.
    pub detail: Option<&'a dyn Array>,
    /// The cost column's name, for errors.
    pub cost_name: &'a str,
    /// The provider rows without a provider column are from: the one the
    /// file's layout implies (AWS for CUR), if any.
    pub provider: Option<&'static str>,
}

impl<'a> Batch<'a> {
    /// The column of `field`, if the scan reads it and the file has it.
    pub fn get(&self, field: Field) -> Option<&'a dyn Array> {
        self.optional.iter().find(|(f, _)| *f == field).map(|(_, array)| *array)
    }

    /// How many rows it holds.
    pub fn rows(&self) -> usize {
        self.cost.len()
    }
}
