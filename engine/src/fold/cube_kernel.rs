//! The explorer's kernel: folds record batches into a [`Cube`] keyed by its text
//! labels and a day, summing every [`Measure`] (unblended, net unblended,
//! amortized, list cost, usage quantity) per cell.
//!
//! Like the costs kernel, text columns are mapped to ids once per dictionary
//! entry; the line item type decides, once per distinct type, how a row's
//! amortized cost is made.

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType,
};
use arrow_schema::{DataType, TimeUnit};

use crate::error::Result;
use crate::fold::amortize::{self, Amortize, INPUTS};
use crate::fold::batch::Batch;
use crate::fold::cube::Cube;
use crate::fold::kernel::{Interner, ServiceFallback, Texts, cost_values, encode_currency};
use crate::schema::catalogue::Field;
use crate::vocab::dates::{NO_DAY, month_start, parse_day, span_of};
use crate::vocab::dimension::{Dimension, MEASURES, Measure, TEXT_DIMENSIONS};

/// Accumulates the batches of one explore scan.
#[derive(Default)]
pub struct CubeKernel {
    /// Text labels, in [`Dimension::LABELS`] order.
    labels: [Interner; TEXT_DIMENSIONS],
    arns: Interner,
    cube: Cube,
    /// The amortization rule of each line item type id.
    rules: Vec<Amortize>,
    ids: [Vec<u32>; TEXT_DIMENSIONS],
    arn_ids: Vec<u32>,
    days: Vec<i32>,
    /// Per row, each measure (in [`Measure::ALL`] order).
    amounts: [Vec<f64>; MEASURES],
    /// Per row, the amortization inputs, in [`INPUTS`] order.
    inputs: [Vec<f64>; INPUTS.len()],
    scratch: Vec<f64>,
    /// Per row of a batch, its cell (or [`LEFT_OUT`]).
    cells: Vec<u32>,
    /// The month of each day of a batch's span, from its first day.
    month_of: Vec<i32>,
    /// Rows kept (an on-demand scan's): per slot, the labels kept and, per
    /// label id met so far, whether it is one of them.
    keep: Vec<(usize, Vec<String>, Vec<bool>)>,
    /// Whether days are folded to their month's first day.
    months: bool,
    /// Names rows of no service code by their product code, as the costs page does.
    fallback: ServiceFallback,
    /// Slots left blank although their column is read (the service, the unit):
    /// a question that does not ask for them is not multiplied by them.
    blank: Vec<usize>,
    fell: Vec<bool>,
    /// Whether the currency slot holds the pricing currency where a row has
    /// one (the pricing measure's scan), rather than the billing currency.
    pricing: bool,
    pricing_currencies: Interner,
    pricing_ids: Vec<u32>,
    /// Per pricing currency id, its id among the cell's currencies (`None`: blank).
    pricing_as_currency: Vec<Option<u32>>,
}

/// The widest span of days in one batch whose months are looked up in a table.
const MONTHS_TABLE_DAYS: usize = 4096;

/// The cell of a row the kernel does not fold in.
const LEFT_OUT: u32 = u32::MAX;

const TYPE: usize = slot(Dimension::LineItemType);
const SERVICE: usize = slot(Dimension::Service);
const DETAIL: usize = slot(Dimension::Detail);
const UNBLENDED: usize = Measure::Unblended.index();
const _: () = assert!(UNBLENDED == 0, "the other amounts are made from the unblended ones");
const AMORTIZED: usize = Measure::Amortized.index();
const PRICING: usize = Measure::Pricing.index();
const CURRENCY: usize = slot(Dimension::Currency);

const fn slot(dimension: Dimension) -> usize {
    match dimension.slot() {
        Some(slot) => slot,
        None => panic!("not a text dimension"),
    }
}

impl CubeKernel {
    /// A kernel that folds in only the rows whose labels `keep` keeps (per text
    /// dimension, the labels kept), by month rather than by day if `months`.
    pub fn keeping(keep: Vec<(Dimension, Vec<String>)>, months: bool) -> CubeKernel {
        let keep = keep.into_iter().filter_map(|(d, labels)| Some((d.slot()?, labels, Vec::new()))).collect();
        CubeKernel { keep, months, ..CubeKernel::default() }
    }

    /// The kernel with the labels of `dimensions` left blank in every cell
    /// (rows are still kept or not by them).
    pub fn blanking(mut self, dimensions: &[Dimension]) -> CubeKernel {
        self.blank = dimensions.iter().filter_map(|d| d.slot()).collect();
        self
    }

    /// The kernel with each row's cell in its pricing currency, where it has
    /// a pricing cost, for the pricing measure's scan.
    pub fn in_pricing_currency(mut self, pricing: bool) -> CubeKernel {
        self.pricing = pricing;
        self
    }

    /// The currency slot of the rows with a pricing cost and a pricing
    /// currency (FOCUS 1.2): their pricing currency. The rest keep their
    /// billing currency, in which their fallback amount (amortized) is.
    fn price_in_pricing_currency(&mut self, batch: &Batch<'_>) -> Result<()> {
        let (Some(costs), Some(currencies)) =
            (batch.get(Field::PricingEffectiveCost), batch.get(Field::PricingCurrency))
        else {
            return Ok(());
        };
        self.pricing_currencies.encode(currencies, &mut self.pricing_ids)?;
        while self.pricing_as_currency.len() < self.pricing_currencies.len() {
            let label = self.pricing_currencies.label(self.pricing_as_currency.len());
            let id = (!label.is_empty()).then(|| self.labels[CURRENCY].id(Some(label)));
            self.pricing_as_currency.push(id);
        }
        let priced = costs.logical_nulls();
        for (row, id) in self.ids[CURRENCY].iter_mut().enumerate() {
            if priced.as_ref().is_none_or(|n| n.is_valid(row))
                && let Some(currency) = self.pricing_as_currency[self.pricing_ids[row] as usize]
            {
                *id = currency;
            }
        }
        Ok(())
    }

    /// The pricing measure's amounts: the pricing cost where a row has one,
    /// else its amortized cost (made before).
    fn pricing_amounts(&mut self, batch: &Batch<'_>) -> Result<()> {
        let mut out = std::mem::take(&mut self.amounts[PRICING]);
        match batch.get(Field::PricingEffectiveCost) {
            Some(column) => {
                amount_column(column, &mut self.scratch, &mut out)?;
                if let Some(nulls) = column.logical_nulls() {
                    for row in (0..out.len()).filter(|&row| nulls.is_null(row)) {
                        out[row] = self.amounts[AMORTIZED][row];
                    }
                }
            }
            None => out.clone_from(&self.amounts[AMORTIZED]),
        }
        self.amounts[PRICING] = out;
        Ok(())
    }

    /// Folds one batch in.
    pub fn add(&mut self, batch: &Batch<'_>) -> Result<()> {
        let rows = batch.rows();
        for (slot, dimension) in Dimension::LABELS.into_iter().enumerate() {
            let (interner, ids) = (&mut self.labels[slot], &mut self.ids[slot]);
            let column = match dimension {
                Dimension::Service => Some(batch.service),
                Dimension::LineItemType => Some(batch.line_item_type),
                Dimension::Detail => batch.detail,
                Dimension::Currency => {
                    encode_currency(interner, batch, ids)?;
                    continue;
                }
                other => other.field().and_then(|field| batch.get(field)),
            };
            match column {
                Some(column) => interner.encode(column, ids)?,
                None => {
                    // The one label of a column the file lacks: blank, or what its layout implies.
                    let implied = if dimension == Dimension::Provider { batch.provider } else { None };
                    let only = interner.id(implied);
                    ids.clear();
                    ids.resize(rows, only);
                }
            }
        }
        self.fallback.apply(batch, &mut self.labels[SERVICE], &mut self.ids[SERVICE], &mut self.fell)?;
        if self.pricing {
            self.price_in_pricing_currency(batch)?;
        }
        self.cube.note_read(rows as u64);
        days(batch.get(Field::UsageStart), rows, &mut self.days);
        let span = span_of(self.days.iter().copied());
        if let Some((first, last)) = span {
            self.cube.note_days(first, last);
        }
        if self.months
            && let Some((first, last)) = span
        {
            // A batch spans few days: each one's month is worked out once (the
            // calendar arithmetic per row was a twentieth of the scan).
            let days = (i64::from(last) - i64::from(first) + 1) as usize;
            if days <= MONTHS_TABLE_DAYS {
                self.month_of.clear();
                self.month_of.extend((first..=last).map(month_start));
                for day in self.days.iter_mut().filter(|d| **d != NO_DAY) {
                    *day = self.month_of[(*day - first) as usize];
                }
            } else {
                for day in self.days.iter_mut().filter(|d| **d != NO_DAY) {
                    *day = month_start(*day);
                }
            }
        }
        for (slot, labels, kept) in &mut self.keep {
            let interner = &self.labels[*slot];
            let known = kept.len();
            kept.extend((known..interner.len()).map(|id| labels.iter().any(|l| l == interner.label(id))));
        }
        // A blanked slot's one label: its interner's empty one.
        let mut blanked = [None; TEXT_DIMENSIONS];
        for &slot in &self.blank {
            blanked[slot] = Some(self.labels[slot].id(None));
        }
        while self.rules.len() < self.labels[TYPE].len() {
            let id = self.rules.len();
            self.rules.push(amortize::rule(self.labels[TYPE].label(id)));
        }

        // Unblended, with its nulls (counted, and 0).
        let nulls = batch.cost.logical_nulls();
        let values = cost_values(batch.cost, batch.cost_name, &mut self.scratch)?;
        amounts_into(values, nulls.as_ref(), &mut self.amounts[UNBLENDED]);
        // Net unblended and list cost: their own columns where there are some
        // (`query::measure_notes` says where there are none).
        self.column_or_unblended(batch, Field::NetUnblended, Measure::NetUnblended)?;
        self.column_or_unblended(batch, Field::ListCost, Measure::List)?;
        self.amortized(batch, rows)?;
        self.pricing_amounts(batch)?;
        let usage = &mut self.amounts[Measure::Usage.index()];
        match batch.get(Field::UsageAmount) {
            Some(column) => amount_column(column, &mut self.scratch, usage)?,
            None => {
                usage.clear();
                usage.resize(rows, 0.0);
            }
        }

        // Each row's cell first, then its amounts: in two short loops the
        // lookups of many rows (each a likely cache miss in a large cube) are
        // in flight at once, where one long loop waits for them one by one.
        self.cells.clear();
        for row in 0..rows {
            let kept = self.keep.iter().all(|(slot, _, kept)| kept[self.ids[*slot][row] as usize]);
            let key = std::array::from_fn(|slot| blanked[slot].unwrap_or(self.ids[slot][row]));
            self.cells.push(if kept { self.cube.cell_index((key, self.days[row])) as u32 } else { LEFT_OUT });
        }
        for (row, &cell) in self.cells.iter().enumerate() {
            if cell != LEFT_OUT {
                let null = nulls.as_ref().is_some_and(|n| n.is_null(row));
                self.cube.add(cell as usize, std::array::from_fn(|m| self.amounts[m][row]), null);
            }
        }
        Ok(())
    }

    /// Fills the amounts of `measure` from `field`'s column, or with the unblended cost without one.
    fn column_or_unblended(&mut self, batch: &Batch<'_>, field: Field, measure: Measure) -> Result<()> {
        match batch.get(field) {
            Some(column) => amount_column(column, &mut self.scratch, &mut self.amounts[measure.index()]),
            None => {
                // The unblended cost comes first (`UNBLENDED` is 0), so it is in `done`.
                let (done, rest) = self.amounts.split_at_mut(measure.index());
                rest[0].clone_from(&done[UNBLENDED]);
                Ok(())
            }
        }
    }

    /// Fills the amortized amounts with each row's amortized cost: FOCUS's own column, or
    /// the [rule](amortize::RULES) of the row's line item type.
    fn amortized(&mut self, batch: &Batch<'_>, rows: usize) -> Result<()> {
        if let Some(column) = batch.get(Field::EffectiveCost) {
            return amount_column(column, &mut self.scratch, &mut self.amounts[AMORTIZED]);
        }
        for (field, values) in INPUTS.into_iter().zip(&mut self.inputs) {
            match batch.get(field) {
                Some(column) => amount_column(column, &mut self.scratch, values)?,
                None => {
                    values.clear();
                    values.resize(rows, 0.0);
                }
            }
        }
        let arn_empty: Vec<bool> = match batch.get(Field::ReservationArn) {
            Some(column) => {
                self.arns.encode(column, &mut self.arn_ids)?;
                (0..self.arns.len()).map(|id| self.arns.label(id).is_empty()).collect()
            }
            None => {
                self.arn_ids.clear();
                self.arn_ids.resize(rows, 0);
                vec![true]
            }
        };
        let input = |field: Field, row: usize| {
            let index = INPUTS.iter().position(|&f| f == field).expect("a rule reads only INPUTS (a test checks it)");
            self.inputs[index][row]
        };
        let mut out = std::mem::take(&mut self.amounts[AMORTIZED]);
        out.clear();
        for row in 0..rows {
            let unblended = self.amounts[UNBLENDED][row];
            out.push(match self.rules[self.ids[TYPE][row] as usize] {
                Amortize::Unblended => unblended,
                Amortize::Zero => 0.0,
                Amortize::Column(field) => input(field, row),
                Amortize::Difference(a, b) => input(a, row) - input(b, row),
                Amortize::Sum(a, b) => input(a, row) + input(b, row),
                Amortize::FeeUnlessReservation => {
                    if arn_empty[self.arn_ids[row] as usize] {
                        unblended
                    } else {
                        0.0
                    }
                }
            });
        }
        self.amounts[AMORTIZED] = out;
        Ok(())
    }

    /// How many cells the cube folded in since the last part holds.
    pub fn cells(&self) -> usize {
        self.cube.len()
    }

    /// The cube of what was folded in since the last part; folding goes on into an
    /// empty one if there is `more`. Parts merge to what one cube of everything
    /// would have been.
    pub fn take_part(&mut self, more: bool) -> Cube {
        let mut cube = std::mem::take(&mut self.cube);
        // The cube's label ids are the interners' ids.
        let labels = &self.labels;
        cube.relabel(|slot, id| labels[slot].label(id as usize));
        // The part has its labels, so the next numbers the detail's afresh: a
        // worker holds the resource ids of one part, not of its whole piece.
        // (The other dimensions' few labels stay: the rules and the rows kept
        // are by their ids.)
        if more {
            self.labels[DETAIL] = Interner::default();
            for (slot, _, kept) in &mut self.keep {
                if *slot == DETAIL {
                    kept.clear();
                }
            }
        }
        cube
    }
}

/// Copies `values` into `out`, with null slots as 0.
fn amounts_into(values: &[f64], nulls: Option<&arrow_buffer::NullBuffer>, out: &mut Vec<f64>) {
    out.clear();
    match nulls.filter(|n| n.null_count() > 0) {
        None => out.extend(values.iter().map(|&v| if v.is_finite() { v } else { 0.0 })),
        Some(nulls) => out.extend(
            values.iter().enumerate().map(|(row, &v)| if nulls.is_valid(row) && v.is_finite() { v } else { 0.0 }),
        ),
    }
}

/// A numeric column as amounts (nulls, NaN and infinities as 0).
pub(crate) fn amount_column(column: &dyn Array, scratch: &mut Vec<f64>, out: &mut Vec<f64>) -> Result<()> {
    let nulls = column.logical_nulls();
    let values = cost_values(column, "amount", scratch)?;
    amounts_into(values, nulls.as_ref(), out);
    Ok(())
}

/// The day of each row, from a timestamp, date or ISO text column; [`NO_DAY`]
/// for nulls, unreadable values and when there is no column.
pub(crate) fn days(column: Option<&dyn Array>, rows: usize, out: &mut Vec<i32>) {
    out.clear();
    let Some(column) = column else {
        out.resize(rows, NO_DAY);
        return;
    };
    let valid = |row: usize| column.is_valid(row);
    let per_day = |unit: &TimeUnit| match unit {
        TimeUnit::Second => 86_400i64,
        TimeUnit::Millisecond => 86_400_000,
        TimeUnit::Microsecond => 86_400_000_000,
        TimeUnit::Nanosecond => 86_400_000_000_000,
    };
    let from_i64 = |values: &[i64], per: i64, out: &mut Vec<i32>| {
        out.extend(
            values
                .iter()
                .enumerate()
                .map(|(row, &v)| if valid(row) { i32::try_from(v.div_euclid(per)).unwrap_or(NO_DAY) } else { NO_DAY }),
        )
    };
    match column.data_type() {
        DataType::Timestamp(unit, _) => {
            let per = per_day(unit);
            match unit {
                TimeUnit::Second => from_i64(column.as_primitive::<TimestampSecondType>().values(), per, out),
                TimeUnit::Millisecond => from_i64(column.as_primitive::<TimestampMillisecondType>().values(), per, out),
                TimeUnit::Microsecond => from_i64(column.as_primitive::<TimestampMicrosecondType>().values(), per, out),
                TimeUnit::Nanosecond => from_i64(column.as_primitive::<TimestampNanosecondType>().values(), per, out),
            }
        }
        DataType::Date32 => {
            let values = column.as_primitive::<Date32Type>().values();
            out.extend(values.iter().enumerate().map(|(row, &v)| if valid(row) { v } else { NO_DAY }));
        }
        DataType::Date64 => from_i64(column.as_primitive::<Date64Type>().values(), 86_400_000, out),
        DataType::Int64 => from_i64(column.as_primitive::<Int64Type>().values(), 86_400_000, out),
        DataType::Int32 => {
            let values = column.as_primitive::<Int32Type>().values();
            out.extend(values.iter().enumerate().map(|(row, &v)| if valid(row) { v } else { NO_DAY }));
        }
        _ => match Texts::of(column) {
            Ok(texts) => out.extend((0..texts.len()).map(|row| texts.get(row).and_then(parse_day).unwrap_or(NO_DAY))),
            Err(_) => {
                // Dictionary-encoded text: parse each entry once.
                if let Some(dictionary) = column.as_any_dictionary_opt()
                    && let Ok(texts) = Texts::of(dictionary.values().as_ref())
                {
                    let entries: Vec<i32> =
                        (0..texts.len()).map(|i| texts.get(i).and_then(parse_day).unwrap_or(NO_DAY)).collect();
                    let keys = dictionary.normalized_keys();
                    out.extend(keys.iter().enumerate().map(|(row, &key)| {
                        if valid(row) { entries.get(key).copied().unwrap_or(NO_DAY) } else { NO_DAY }
                    }));
                } else {
                    out.resize(rows, NO_DAY);
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use arrow_array::{Float64Array, StringArray, TimestampMillisecondArray};

    use super::*;

    fn texts(values: &[&str]) -> StringArray {
        values.iter().map(|v| Some(*v)).collect()
    }

    /// The cube's sums per (service, month): unblended, amortized, rows.
    fn by_service(cube: &Cube) -> Vec<(String, i32, f64, f64, u64)> {
        let mut sums: std::collections::BTreeMap<(String, i32), (f64, f64, u64)> = Default::default();
        for i in 0..cube.len() {
            let cell = cube.at(i);
            let service = cube.labels(SERVICE)[cell.labels[SERVICE] as usize].clone();
            let sum = sums.entry((service, cell.day)).or_default();
            sum.0 += cube.sum(i, Measure::Unblended).value();
            sum.1 += cube.sum(i, Measure::Amortized).value();
            sum.2 += cell.rows;
        }
        sums.into_iter()
            .map(|((service, day), (unblended, amortized, rows))| (service, day, unblended, amortized, rows))
            .collect()
    }

    #[test]
    fn months_fallback_services_and_amortized_cost_by_line_item_type() {
        // 2024-01-31 and 2024-02-01, in milliseconds.
        let (jan_31, feb_1) = (1_706_659_200_000, 1_706_745_600_000);
        let types = texts(&["Usage", "Usage", "DiscountedUsage", "RIFee"]);
        let services = texts(&["AmazonS3", "", "AmazonEC2", "AmazonEC2"]);
        let products = texts(&["AmazonS3", "AmazonEC2", "AmazonEC2", "AmazonEC2"]);
        let costs = Float64Array::from(vec![1.0, 2.0, 0.0, 7.0]);
        let effective = Float64Array::from(vec![None, None, Some(3.0), None]);
        let starts = TimestampMillisecondArray::from(vec![jan_31, feb_1, feb_1, feb_1]);
        let batch = Batch {
            line_item_type: &types,
            service: &services,
            cost: &costs,
            optional: vec![
                (Field::ProductCode, &products),
                (Field::ReservationEffectiveCost, &effective),
                (Field::UsageStart, &starts),
            ],
            detail: None,
            cost_name: "line_item_unblended_cost",
            provider: None,
        };
        let mut kernel = CubeKernel::keeping(Vec::new(), true);
        kernel.add(&batch).unwrap();
        let cube = kernel.take_part(false);
        let (january, february) = (month_start(parse_day("2024-01-31").unwrap()), parse_day("2024-02-01").unwrap());
        assert_eq!(
            by_service(&cube),
            [
                // Reserved usage is amortized at its effective cost; the fee with no
                // reservation ARN here counts its unused parts (none): 0.
                ("AmazonEC2".to_owned(), february, 2.0 + 0.0 + 7.0, 2.0 + 3.0 + 0.0, 3),
                ("AmazonS3".to_owned(), january, 1.0, 1.0, 1),
            ],
            "the Spot row of no service code is EC2's, as on the costs page"
        );
        assert_eq!(cube.day_span(), Some((parse_day("2024-01-31").unwrap(), february)));
    }
}
