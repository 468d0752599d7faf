//! One batch of a CSV scan being filled: the needed fields of each record into
//! Arrow arrays (labels as text, the day, amounts parsed here so a bad number
//! is named by its line and column).

use arrow_array::ArrayRef;
use arrow_array::builder::{Float64Builder, StringBuilder};

use crate::error::Result;
use crate::fold::batch::{Batch, Fold};
use crate::read::keyed::KeyCache;
use crate::schema::catalogue::{Field, Holds};

/// Records per batch handed to the kernels.
pub(super) const BATCH_ROWS: usize = 64 * 1024;

/// The fields one kind of scan takes from each record.
pub(super) struct Projection {
    /// Field indices of the line item type, service and cost.
    pub(super) required: [usize; 3],
    /// The optional fields: what each is, its index, how it is read, and the key
    /// whose value it is, for one inside a column of JSON objects.
    pub(super) optional: Vec<(Field, usize, Holds, Option<String>)>,
    /// The on-demand dimension's field: its index, and its key for one inside
    /// a column of JSON objects.
    pub(super) detail: Option<(usize, Option<String>)>,
}

/// The arrays of one batch being filled.
pub(super) struct Builders {
    pub(super) rows: usize,
    pub(super) line_item_type: StringBuilder,
    pub(super) service: StringBuilder,
    pub(super) cost: Float64Builder,
    pub(super) optional: Vec<Builder>,
    pub(super) detail: Option<Builder>,
}

pub(super) enum Builder {
    Text(StringBuilder),
    /// The value under a key of a column of JSON objects.
    Keyed(StringBuilder, KeyCache),
    Amount(Float64Builder),
}

impl Builders {
    pub(super) fn new(projection: &Projection) -> Builders {
        let text = || StringBuilder::with_capacity(BATCH_ROWS, BATCH_ROWS * 8);
        Builders {
            rows: 0,
            line_item_type: text(),
            service: text(),
            cost: Float64Builder::with_capacity(BATCH_ROWS),
            optional: projection
                .optional
                .iter()
                .map(|(_, _, holds, key)| match (holds, key) {
                    (Holds::Amount, _) => Builder::Amount(Float64Builder::with_capacity(BATCH_ROWS)),
                    (_, Some(_)) => Builder::Keyed(text(), KeyCache::default()),
                    (Holds::Label | Holds::Day | Holds::Text, None) => Builder::Text(text()),
                })
                .collect(),
            detail: projection.detail.as_ref().map(|(_, key)| match key {
                Some(_) => Builder::Keyed(text(), KeyCache::default()),
                None => Builder::Text(text()),
            }),
        }
    }

    /// Appends one record; on a bad number, the index of its field.
    pub(super) fn push(
        &mut self,
        record: &csv::ByteRecord,
        projection: &Projection,
        focus: bool,
    ) -> std::result::Result<(), usize> {
        let field = |index: usize| record.get(index).unwrap_or_default();
        let [t, s, c] = projection.required;
        push_text(&mut self.line_item_type, field(t), focus);
        push_text(&mut self.service, field(s), focus);
        self.cost.append_option(number(field(c)).ok_or(c)?);
        let detail = self.detail.as_mut().zip(projection.detail.as_ref().map(|(index, key)| (index, key)));
        let optional = self.optional.iter_mut().zip(projection.optional.iter().map(|(_, index, _, key)| (index, key)));
        for (builder, (index, key)) in optional.chain(detail) {
            let index = *index;
            match builder {
                Builder::Text(text) => push_text(text, field(index), focus),
                Builder::Keyed(text, cache) => {
                    text.append_option(cache.value(field(index), key.as_deref().unwrap_or_default()))
                }
                Builder::Amount(amounts) => amounts.append_option(number(field(index)).ok_or(index)?),
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Hands the batch to `fold` and starts the next.
    /// Hands the rows gathered on as one batch, with the cost column's name
    /// and the provider the file's layout implies.
    pub(super) fn flush(
        &mut self,
        projection: &Projection,
        (cost_name, provider): (&str, Option<&'static str>),
        fold: &mut Fold<'_>,
    ) -> Result<()> {
        let line_item_type: ArrayRef = std::sync::Arc::new(self.line_item_type.finish());
        let service: ArrayRef = std::sync::Arc::new(self.service.finish());
        let cost: ArrayRef = std::sync::Arc::new(self.cost.finish());
        let finish = |builder: &mut Builder| -> ArrayRef {
            match builder {
                Builder::Text(text) | Builder::Keyed(text, _) => std::sync::Arc::new(text.finish()),
                Builder::Amount(amounts) => std::sync::Arc::new(amounts.finish()),
            }
        };
        let optional: Vec<ArrayRef> = self.optional.iter_mut().map(finish).collect();
        let detail: Option<ArrayRef> = self.detail.as_mut().map(finish);
        self.rows = 0;
        fold(&Batch {
            line_item_type: line_item_type.as_ref(),
            service: service.as_ref(),
            cost: cost.as_ref(),
            optional: projection.optional.iter().zip(&optional).map(|((field, ..), a)| (*field, a.as_ref())).collect(),
            detail: detail.as_deref(),
            cost_name,
            provider,
        })
    }
}

pub(super) fn push_text(builder: &mut StringBuilder, field: &[u8], focus: bool) {
    if focus && field == b"NULL" {
        builder.append_null();
        return;
    }
    match std::str::from_utf8(field) {
        Ok(text) => builder.append_value(text),
        // A stray byte in a label should not cost the figures: shown as U+FFFD.
        Err(_) => builder.append_value(String::from_utf8_lossy(field)),
    }
}

/// An amount: `Some(None)` for empty or `NULL`, `None` when it is not a number.
pub(super) fn number(field: &[u8]) -> Option<Option<f64>> {
    let text = std::str::from_utf8(field).ok()?.trim();
    if text.is_empty() || text == "NULL" {
        return Some(None);
    }
    text.parse::<f64>().ok().map(Some)
}
