//! The explorer's kernel: folds record batches into a [`Cube`] keyed by six text
//! labels and a day, summing three measures (unblended, net unblended,
//! amortized) per cell.
//!
//! Like the costs kernel, text columns are mapped to ids once per dictionary
//! entry; the line item type decides, once per distinct type, how a row's
//! amortized cost is made.

use std::collections::HashMap;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, TimeUnit};

use super::cube::{Cube, TEXT_DIMENSIONS};
use super::dates::{NO_DAY, parse_day};
use super::error::Result;
use super::kernel::{Interner, Texts, cost_values};

/// The optional columns of an explore scan, in the order a batch hands them over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// Cube text slot 1.
    Account,
    /// Cube text slot 2.
    Region,
    /// Cube text slot 3.
    UsageType,
    /// Cube text slot 4.
    Operation,
    /// The day.
    UsageStart,
    /// Net unblended cost.
    NetUnblended,
    /// FOCUS amortized cost.
    EffectiveCost,
    /// Amortization inputs (legacy CUR, CUR 2.0).
    SavingsPlanEffectiveCost,
    /// Amortization input.
    SavingsPlanTotalCommitment,
    /// Amortization input.
    SavingsPlanUsedCommitment,
    /// Amortization input.
    ReservationEffectiveCost,
    /// Amortization input.
    ReservationUnusedUpfront,
    /// Amortization input.
    ReservationUnusedRecurring,
    /// Amortization input (text: empty for non-RI fees).
    ReservationArn,
}

/// How many [`Extra`] columns there are.
pub const EXTRAS: usize = 14;

impl Extra {
    /// Every extra column, in batch order.
    pub const ALL: [Extra; EXTRAS] = [
        Extra::Account,
        Extra::Region,
        Extra::UsageType,
        Extra::Operation,
        Extra::UsageStart,
        Extra::NetUnblended,
        Extra::EffectiveCost,
        Extra::SavingsPlanEffectiveCost,
        Extra::SavingsPlanTotalCommitment,
        Extra::SavingsPlanUsedCommitment,
        Extra::ReservationEffectiveCost,
        Extra::ReservationUnusedUpfront,
        Extra::ReservationUnusedRecurring,
        Extra::ReservationArn,
    ];

    /// Whether the column holds text (read as a dictionary).
    pub fn is_text(self) -> bool {
        matches!(self, Extra::Account | Extra::Region | Extra::UsageType | Extra::Operation | Extra::ReservationArn)
    }
}

/// How a line item type's rows get their amortized cost (the CID formula).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Amortize {
    Unblended,
    SavingsPlanEffective,
    SavingsPlanUnused,
    Zero,
    ReservationEffective,
    ReservationUnused,
    /// A fee: zero when it belongs to a reservation (its cost is amortized over the
    /// usage), the unblended cost otherwise.
    FeeUnlessReservation,
}

impl Amortize {
    fn of(line_item_type: &str) -> Amortize {
        match line_item_type {
            "SavingsPlanCoveredUsage" => Amortize::SavingsPlanEffective,
            "SavingsPlanRecurringFee" => Amortize::SavingsPlanUnused,
            "SavingsPlanNegation" | "SavingsPlanUpfrontFee" => Amortize::Zero,
            "DiscountedUsage" => Amortize::ReservationEffective,
            "RIFee" => Amortize::ReservationUnused,
            "Fee" => Amortize::FeeUnlessReservation,
            _ => Amortize::Unblended,
        }
    }
}

/// Accumulates the batches of one explore scan.
#[derive(Default)]
pub struct CubeKernel {
    /// Text labels by cube slot: service, account, region, usage type, operation, type.
    labels: [Interner; TEXT_DIMENSIONS],
    arns: Interner,
    cube: Cube,
    modes: Vec<Amortize>,
    ids: [Vec<u32>; TEXT_DIMENSIONS],
    arn_ids: Vec<u32>,
    days: Vec<i32>,
    amounts: [Vec<f64>; 3],
    scratch: Vec<f64>,
}

/// The slot of each text [`Extra`] in a cube key.
const TEXT_SLOTS: [(Extra, usize); 4] =
    [(Extra::Account, 1), (Extra::Region, 2), (Extra::UsageType, 3), (Extra::Operation, 4)];

impl CubeKernel {
    /// Folds one batch in: the three costs-page columns, then the extra ones
    /// (in [`Extra::ALL`] order, `None` where the file lacks them).
    pub fn add(
        &mut self,
        line_item_type: &dyn Array,
        service: &dyn Array,
        cost: &dyn Array,
        extras: &[Option<&ArrayRef>; EXTRAS],
        cost_column: &str,
    ) -> Result<()> {
        let rows = cost.len();
        let extra = |which: Extra| extras[Extra::ALL.iter().position(|&e| e == which).unwrap_or(0)];

        self.labels[0].encode(service, &mut self.ids[0])?;
        self.labels[5].encode(line_item_type, &mut self.ids[5])?;
        for (which, slot) in TEXT_SLOTS {
            match extra(which) {
                Some(column) => self.labels[slot].encode(column.as_ref(), &mut self.ids[slot])?,
                None => {
                    let empty = self.labels[slot].id(None);
                    self.ids[slot].clear();
                    self.ids[slot].resize(rows, empty);
                }
            }
        }
        days(extra(Extra::UsageStart).map(|c| c.as_ref()), rows, &mut self.days);
        while self.modes.len() < self.labels[5].len() {
            let id = self.modes.len();
            self.modes.push(Amortize::of(self.labels[5].label(id)));
        }

        // Unblended, with its nulls (counted, and 0).
        let nulls = cost.logical_nulls();
        let values = cost_values(cost, cost_column, &mut self.scratch)?;
        amounts_into(values, nulls.as_ref(), &mut self.amounts[0]);
        // Net unblended: its own column where there is one.
        match extra(Extra::NetUnblended) {
            Some(column) => amount_column(column.as_ref(), &mut self.scratch, &mut self.amounts[1])?,
            None => {
                let [unblended, net, _] = &mut self.amounts;
                net.clone_from(unblended);
            }
        }
        self.amortized(extras, rows)?;

        for row in 0..rows {
            let key = std::array::from_fn(|slot| self.ids[slot][row]);
            let cell = self.cube.cell((key, self.days[row]));
            let null = nulls.as_ref().is_some_and(|n| n.is_null(row));
            self.cube.add(cell, [self.amounts[0][row], self.amounts[1][row], self.amounts[2][row]], null);
        }
        Ok(())
    }

    /// Fills `amounts[2]` with each row's amortized cost.
    fn amortized(&mut self, extras: &[Option<&ArrayRef>; EXTRAS], rows: usize) -> Result<()> {
        let position = |which: Extra| Extra::ALL.iter().position(|&e| e == which).unwrap_or(0);
        if let Some(column) = extras[position(Extra::EffectiveCost)] {
            return amount_column(column.as_ref(), &mut self.scratch, &mut self.amounts[2]);
        }
        let mut inputs: HashMap<usize, Vec<f64>> = HashMap::new();
        for which in [
            Extra::SavingsPlanEffectiveCost,
            Extra::SavingsPlanTotalCommitment,
            Extra::SavingsPlanUsedCommitment,
            Extra::ReservationEffectiveCost,
            Extra::ReservationUnusedUpfront,
            Extra::ReservationUnusedRecurring,
        ] {
            let mut values = Vec::new();
            match extras[position(which)] {
                Some(column) => amount_column(column.as_ref(), &mut self.scratch, &mut values)?,
                None => values.resize(rows, 0.0),
            }
            inputs.insert(position(which), values);
        }
        let input = |which: Extra, row: usize| inputs[&position(which)][row];
        let arn_empty: Vec<bool> = match extras[position(Extra::ReservationArn)] {
            Some(column) => {
                self.arns.encode(column.as_ref(), &mut self.arn_ids)?;
                (0..self.arns.len()).map(|id| self.arns.label(id).is_empty()).collect()
            }
            None => {
                self.arn_ids.clear();
                self.arn_ids.resize(rows, 0);
                vec![true]
            }
        };
        let [unblendeds, _, out] = &mut self.amounts;
        out.clear();
        for row in 0..rows {
            let unblended = unblendeds[row];
            out.push(match self.modes[self.ids[5][row] as usize] {
                Amortize::Unblended => unblended,
                Amortize::SavingsPlanEffective => input(Extra::SavingsPlanEffectiveCost, row),
                Amortize::SavingsPlanUnused => {
                    input(Extra::SavingsPlanTotalCommitment, row) - input(Extra::SavingsPlanUsedCommitment, row)
                }
                Amortize::Zero => 0.0,
                Amortize::ReservationEffective => input(Extra::ReservationEffectiveCost, row),
                Amortize::ReservationUnused => {
                    input(Extra::ReservationUnusedUpfront, row) + input(Extra::ReservationUnusedRecurring, row)
                }
                Amortize::FeeUnlessReservation => {
                    if arn_empty[self.arn_ids[row] as usize] {
                        unblended
                    } else {
                        0.0
                    }
                }
            });
        }
        Ok(())
    }

    /// How many cells the cube folded in since the last part holds.
    pub fn cells(&self) -> usize {
        self.cube.len()
    }

    /// The cube of what was folded in since the last part; folding goes on into an
    /// empty one. Parts merge to what one cube of everything would have been.
    pub fn take_part(&mut self) -> Cube {
        let mut cube = std::mem::take(&mut self.cube);
        // The cube's label ids are the interners' ids: add the labels in id order.
        for (slot, interner) in self.labels.iter().enumerate() {
            for id in 0..interner.len() {
                cube.label_id(slot, interner.label(id));
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
fn amount_column(column: &dyn Array, scratch: &mut Vec<f64>, out: &mut Vec<f64>) -> Result<()> {
    let nulls = column.logical_nulls();
    let values = cost_values(column, "amount", scratch)?;
    amounts_into(values, nulls.as_ref(), out);
    Ok(())
}

/// The day of each row, from a timestamp, date or ISO text column; [`NO_DAY`]
/// for nulls, unreadable values and when there is no column.
fn days(column: Option<&dyn Array>, rows: usize, out: &mut Vec<i32>) {
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
