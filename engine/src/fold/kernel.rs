//! The columnar kernel: folds record batches of (line item type, service, cost,
//! currency) into per-cell sums.
//!
//! Strings are never materialised per row. A dictionary-encoded column (how CUR
//! writers store these low-cardinality columns, and how the reader is asked to
//! return them) is mapped to small ids once per dictionary entry; each row then
//! costs two array lookups and one compensated addition.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal32Type, Decimal64Type, Decimal128Type, Decimal256Type, Float32Type, Float64Type, Int8Type, Int16Type,
    Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, LargeStringArray, StringArray, StringViewArray};
use arrow_schema::DataType;

use crate::error::{Error, Result, shorten};
use crate::fold::batch::Batch;
use crate::fold::tally::{CellKey, CellTotals, Tally};
use crate::schema::catalogue::{ASSUMED_CURRENCY, Field};

/// Accumulates batches of one scan.
#[derive(Default)]
pub struct Kernel {
    rows: u64,
    line_item_types: Interner,
    services: Interner,
    currencies: Interner,
    /// `cells[currency id][type id][service id]`.
    cells: Vec<Vec<Vec<CellTotals>>>,
    type_ids: Vec<u32>,
    service_ids: Vec<u32>,
    currency_ids: Vec<u32>,
    costs: Vec<f64>,
    /// Service display names per service id: none yet, one, or several (no name:
    /// AWSDataTransfer rows carry the name of whichever service moved the data).
    names: Interner,
    name_ids: Vec<u32>,
    service_names: Vec<Named>,
    /// Names rows of no service code by their product code.
    fallback: ServiceFallback,
    /// Per row of a batch, whether its service came from the fallback.
    fell: Vec<bool>,
    /// `fell_cells[currency id][type id][service id]`: the part of `cells` that fell back.
    fell_cells: Vec<Vec<Vec<CellTotals>>>,
    /// The list cost of a batch's rows (where the file has the column).
    list_costs: Vec<f64>,
    /// Per type id, whether its rows are paid by a commitment (their list cost is kept).
    covered: Vec<bool>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Named {
    #[default]
    Unset,
    One(u32),
    Several,
}

impl Kernel {
    /// Folds one batch in: its type, service, cost and (if the file has one) currency.
    pub fn add(&mut self, batch: &Batch<'_>) -> Result<()> {
        self.line_item_types.encode(batch.line_item_type, &mut self.type_ids)?;
        self.services.encode(batch.service, &mut self.service_ids)?;
        let any_fell = self.fallback.apply(batch, &mut self.services, &mut self.service_ids, &mut self.fell)?;
        encode_currency(&mut self.currencies, batch, &mut self.currency_ids)?;
        if let Some(names) = batch.get(Field::ServiceName) {
            self.names.encode(names, &mut self.name_ids)?;
            let blank = self.names.id(None);
            self.service_names.resize(self.services.len(), Named::Unset);
            for (&service, &name) in self.service_ids.iter().zip(&self.name_ids) {
                let slot = &mut self.service_names[service as usize];
                *slot = match *slot {
                    _ if name == blank => *slot,
                    Named::Unset => Named::One(name),
                    Named::One(known) if known != name => Named::Several,
                    other => other,
                };
            }
        }
        let cost = batch.cost;
        let nulls = cost.logical_nulls();
        let values = cost_values(cost, batch.cost_name, &mut self.costs)?;

        let shape = (self.currencies.len(), self.line_item_types.len(), self.services.len());
        grow(&mut self.cells, shape);
        if any_fell {
            grow(&mut self.fell_cells, shape);
        }
        while self.covered.len() < self.line_item_types.len() {
            self.covered.push(COVERED_TYPES.contains(&self.line_item_types.label(self.covered.len())));
        }

        let ids = self.currency_ids.iter().zip(&self.type_ids).zip(&self.service_ids);
        let nulls = nulls.as_ref().filter(|nulls| nulls.null_count() > 0);
        match (nulls, any_fell) {
            (None, false) => {
                for (((&c, &t), &s), &x) in ids.zip(values) {
                    fold(&mut self.cells[c as usize][t as usize][s as usize], x);
                }
            }
            _ => {
                for (row, (((&c, &t), &s), &x)) in ids.zip(values).enumerate() {
                    let valid = nulls.is_none_or(|nulls| nulls.is_valid(row));
                    let (c, t, s) = (c as usize, t as usize, s as usize);
                    fold_or_null(&mut self.cells[c][t][s], x, valid);
                    if any_fell && self.fell[row] {
                        fold_or_null(&mut self.fell_cells[c][t][s], x, valid);
                    }
                }
            }
        }
        // Usage a commitment paid carries 0 unblended: its list cost says what it
        // would have cost on demand. Kept for those types only (a branch per row).
        if self.covered.iter().any(|&covered| covered)
            && let Some(list) = batch.get(Field::ListCost)
        {
            let list_nulls = list.logical_nulls();
            let list_values = cost_values(list, "list cost", &mut self.list_costs)?;
            for (row, ((&c, &t), &s)) in self.currency_ids.iter().zip(&self.type_ids).zip(&self.service_ids).enumerate()
            {
                if !self.covered[t as usize] || list_nulls.as_ref().is_some_and(|n| n.is_null(row)) {
                    continue;
                }
                let x = list_values[row];
                // A list cost of 0 on usage is no price (a writer that left it unset), not a free ride.
                if x.is_finite() && x != 0.0 {
                    let cell = &mut self.cells[c as usize][t as usize][s as usize];
                    cell.list_rows += 1;
                    cell.list_cost.add(x);
                }
            }
        }
        self.rows += values.len() as u64;
        Ok(())
    }

    /// The totals of every (line item type, service, currency) seen.
    pub fn finish(self) -> Tally {
        let mut tally = Tally::new(self.rows);
        for (c, by_type) in self.cells.iter().enumerate() {
            for (t, row) in by_type.iter().enumerate() {
                for (s, cell) in row.iter().enumerate().filter(|(_, cell)| cell.rows > 0) {
                    let key = CellKey {
                        line_item_type: self.line_item_types.label(t),
                        service: self.services.label(s),
                        currency: self.currencies.label(c),
                    };
                    tally.add(key, cell);
                    if let Some(fell) = self.fell_cells.get(c).and_then(|f| f.get(t)).and_then(|f| f.get(s))
                        && fell.rows > 0
                    {
                        tally.add_fell_back(key, fell);
                    }
                }
            }
        }
        for (service, named) in self.service_names.iter().enumerate() {
            let name = match *named {
                Named::Unset => continue,
                Named::One(name) => Some(self.names.label(name as usize)),
                Named::Several => None,
            };
            tally.name(self.services.label(service), name);
        }
        tally
    }
}

/// Writes the currency id of every row of `batch` to `out`: the file's currency
/// column, with blanks (and a file without the column) read as [`ASSUMED_CURRENCY`].
pub(crate) fn encode_currency(interner: &mut Interner, batch: &Batch<'_>, out: &mut Vec<u32>) -> Result<()> {
    let assumed = interner.id(Some(ASSUMED_CURRENCY));
    match batch.get(Field::Currency) {
        Some(column) => {
            interner.encode(column, out)?;
            let blank = interner.id(None);
            out.iter_mut().filter(|id| **id == blank).for_each(|id| *id = assumed);
        }
        None => {
            out.clear();
            out.resize(batch.rows(), assumed);
        }
    }
    Ok(())
}

/// The line item types of usage paid by a commitment: 0 unblended, their
/// on-demand price in the list cost.
pub const COVERED_TYPES: [&str; 2] = ["DiscountedUsage", "SavingsPlanCoveredUsage"];

/// Makes room for `shape` = (currencies, types, services) cells.
fn grow(cells: &mut Vec<Vec<Vec<CellTotals>>>, (currencies, types, services): (usize, usize, usize)) {
    cells.resize_with(currencies, Vec::new);
    for by_type in cells {
        by_type.resize_with(types, Vec::new);
        for row in by_type {
            row.resize_with(services, CellTotals::default);
        }
    }
}

/// Names the service of rows whose service code is empty by their product code
/// (AWS leaves `product_servicecode` empty on EC2 Spot usage and on RI fees, and
/// Cost Explorer counts them under the product code). Both kernels use it, so
/// the costs page and the explorer agree.
#[derive(Default)]
pub(crate) struct ServiceFallback {
    codes: Interner,
    code_ids: Vec<u32>,
    /// Per product code id, its id among the services (interned when first met).
    to_service: Vec<Option<u32>>,
}

impl ServiceFallback {
    /// Rewrites the blank entries of `service_ids` (ids of `services`) with the
    /// row's product code where it has one; `fell` says per row which did.
    /// Returns whether any did.
    pub(crate) fn apply(
        &mut self,
        batch: &Batch<'_>,
        services: &mut Interner,
        service_ids: &mut [u32],
        fell: &mut Vec<bool>,
    ) -> Result<bool> {
        fell.clear();
        let Some(codes) = batch.get(Field::ProductCode) else { return Ok(false) };
        let blank = services.id(None);
        if !service_ids.contains(&blank) {
            return Ok(false);
        }
        self.codes.encode(codes, &mut self.code_ids)?;
        let no_code = self.codes.id(None);
        fell.resize(service_ids.len(), false);
        let mut any = false;
        for ((service, &code), fell) in service_ids.iter_mut().zip(&self.code_ids).zip(fell.iter_mut()) {
            if *service != blank || code == no_code {
                continue;
            }
            let code = code as usize;
            if self.to_service.len() <= code {
                self.to_service.resize(code + 1, None);
            }
            *service = *self.to_service[code].get_or_insert_with(|| services.id(Some(self.codes.label(code))));
            *fell = true;
            any = true;
        }
        Ok(any)
    }
}

#[inline(always)]
fn fold_or_null(cell: &mut CellTotals, cost: f64, valid: bool) {
    if valid {
        fold(cell, cost);
    } else {
        cell.rows += 1;
        cell.null_costs += 1;
    }
}

#[inline(always)]
fn fold(cell: &mut CellTotals, cost: f64) {
    cell.rows += 1;
    if cost.is_finite() {
        cell.cost.add(cost);
    } else {
        cell.invalid_costs += 1;
    }
}

/// Gives each distinct string a small id, stable for the whole scan.
#[derive(Default)]
pub(crate) struct Interner {
    /// Fx, not SipHash: a column of resource ids is interned row by row
    /// (its dictionary falls back to plain pages), where SipHash was a tenth
    /// of the scan.
    ids: HashMap<Box<str>, u32, crate::fold::cube_index::Fx>,
    labels: Vec<Box<str>>,
    /// Per-batch map from dictionary key to id, reused to avoid an allocation per batch.
    key_ids: Vec<u32>,
    /// The dictionary `key_ids` maps: the batches of one column chunk share
    /// their dictionary, so it is interned once per chunk, not once per batch
    /// (a dictionary of thousands of reservation ARNs or usage types made
    /// interning a tenth of the explorer's scan).
    dictionary: Option<ArrayRef>,
}

impl Interner {
    pub(crate) fn len(&self) -> usize {
        self.labels.len()
    }

    pub(crate) fn label(&self, id: usize) -> &str {
        &self.labels[id]
    }

    pub(crate) fn id(&mut self, text: Option<&str>) -> u32 {
        // A null reads as the empty string: both mean "not given" in a CUR.
        let text = text.unwrap_or("");
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.labels.len() as u32;
        self.labels.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }

    /// Writes the id of every row of `column` to `out`.
    pub(crate) fn encode(&mut self, column: &dyn Array, out: &mut Vec<u32>) -> Result<()> {
        out.clear();
        out.reserve(column.len());
        if let Some(dictionary) = column.as_any_dictionary_opt() {
            let mut key_ids = std::mem::take(&mut self.key_ids);
            if !self.dictionary.as_ref().is_some_and(|known| Arc::ptr_eq(known, dictionary.values())) {
                // Held while `key_ids` maps it, so no other array can take its address.
                self.dictionary = None;
                let values = Texts::of(dictionary.values().as_ref())?;
                key_ids.clear();
                key_ids.extend((0..values.len()).map(|i| self.id(values.get(i))));
                self.dictionary = Some(Arc::clone(dictionary.values()));
            }
            let null_id = self.id(None);
            let result = match column.as_dictionary_opt::<Int32Type>() {
                Some(dictionary) => encode_keys(dictionary.keys(), &key_ids, null_id, out),
                None => {
                    let keys = dictionary.normalized_keys();
                    let nulls = dictionary.keys().logical_nulls();
                    out.extend(keys.iter().enumerate().map(|(row, &key)| {
                        if nulls.as_ref().is_some_and(|n| n.is_null(row)) { null_id } else { key_ids[key] }
                    }));
                    Ok(())
                }
            };
            self.key_ids = key_ids;
            return result;
        }
        let texts = Texts::of(column)?;
        for row in 0..texts.len() {
            let id = self.id(texts.get(row));
            out.push(id);
        }
        Ok(())
    }
}

fn encode_keys(keys: &arrow_array::Int32Array, key_ids: &[u32], null_id: u32, out: &mut Vec<u32>) -> Result<()> {
    let out_of_range = || Error::Corrupt { detail: "a dictionary index points past its dictionary".into() };
    // A negative key becomes huge as u32, so one comparison checks both ends.
    let id_of = |key: i32| key_ids.get(key as u32 as usize).copied();
    match keys.nulls().filter(|nulls| nulls.null_count() > 0) {
        None => {
            if keys.values().iter().any(|&key| id_of(key).is_none()) {
                return Err(out_of_range());
            }
            out.extend(keys.values().iter().map(|&key| key_ids[key as usize]));
        }
        Some(nulls) => {
            for (row, &key) in keys.values().iter().enumerate() {
                out.push(if nulls.is_null(row) { null_id } else { id_of(key).ok_or_else(out_of_range)? });
            }
        }
    }
    Ok(())
}

/// Read access to the string arrays the reader may return.
pub(crate) enum Texts<'a> {
    Utf8(&'a StringArray),
    LargeUtf8(&'a LargeStringArray),
    View(&'a StringViewArray),
}

impl<'a> Texts<'a> {
    pub(crate) fn of(array: &'a dyn Array) -> Result<Self> {
        match array.data_type() {
            DataType::Utf8 => Ok(Texts::Utf8(array.as_string::<i32>())),
            DataType::LargeUtf8 => Ok(Texts::LargeUtf8(array.as_string::<i64>())),
            DataType::Utf8View => Ok(Texts::View(array.as_string_view())),
            other => Err(Error::Corrupt { detail: format!("a text column decoded as {other}") }),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Texts::Utf8(array) => array.len(),
            Texts::LargeUtf8(array) => array.len(),
            Texts::View(array) => array.len(),
        }
    }

    pub(crate) fn get(&self, row: usize) -> Option<&'a str> {
        match self {
            Texts::Utf8(array) => array.is_valid(row).then(|| array.value(row)),
            Texts::LargeUtf8(array) => array.is_valid(row).then(|| array.value(row)),
            Texts::View(array) => array.is_valid(row).then(|| array.value(row)),
        }
    }
}

/// A text column's value at any row, plain or a dictionary, for kernels that
/// look at a few rows of a column (the resources commitments paid) rather
/// than intern all of them.
pub(crate) enum RowTexts<'a> {
    Plain(Texts<'a>),
    Dictionary { keys: Vec<usize>, nulls: Option<arrow_buffer::NullBuffer>, values: Texts<'a> },
}

impl<'a> RowTexts<'a> {
    pub(crate) fn of(column: &'a dyn Array) -> Result<Self> {
        match column.as_any_dictionary_opt() {
            Some(dictionary) => {
                let values = Texts::of(dictionary.values().as_ref())?;
                let keys = dictionary.normalized_keys();
                if keys.iter().any(|&key| key >= values.len()) {
                    return Err(Error::Corrupt { detail: "a dictionary index points past its dictionary".into() });
                }
                Ok(RowTexts::Dictionary { keys, nulls: dictionary.keys().logical_nulls(), values })
            }
            None => Ok(RowTexts::Plain(Texts::of(column)?)),
        }
    }

    /// The text at `row`; `None` for a null.
    pub(crate) fn get(&self, row: usize) -> Option<&'a str> {
        match self {
            RowTexts::Plain(texts) => texts.get(row),
            RowTexts::Dictionary { keys, nulls, values } => {
                if nulls.as_ref().is_some_and(|n| n.is_null(row)) {
                    None
                } else {
                    values.get(keys[row])
                }
            }
        }
    }
}

/// The cost column as `f64`s; null slots hold 0 and are told apart by the
/// column's null buffer. Doubles are borrowed; every other type is converted into
/// `scratch`.
pub(crate) fn cost_values<'a>(column: &'a dyn Array, name: &str, scratch: &'a mut Vec<f64>) -> Result<&'a [f64]> {
    fn convert<T: ArrowPrimitiveType>(column: &dyn Array, scratch: &mut Vec<f64>, to_f64: impl Fn(T::Native) -> f64) {
        scratch.clear();
        scratch.extend(column.as_primitive::<T>().values().iter().map(|&v| to_f64(v)));
    }
    fn decimal<T: ArrowPrimitiveType>(
        column: &dyn Array,
        scratch: &mut Vec<f64>,
        scale: i8,
        to_f64: impl Fn(T::Native) -> f64,
    ) {
        // Dividing by an exact power of ten rounds once; multiplying by 10^-scale would round twice.
        let divisor = 10f64.powi(i32::from(scale.max(0)));
        let multiplier = 10f64.powi(i32::from((-scale).max(0)));
        convert::<T>(column, scratch, |v| to_f64(v) * multiplier / divisor);
    }
    match column.data_type() {
        DataType::Float64 => return Ok(column.as_primitive::<Float64Type>().values()),
        DataType::Float32 => convert::<Float32Type>(column, scratch, f64::from),
        DataType::Int8 => convert::<Int8Type>(column, scratch, f64::from),
        DataType::Int16 => convert::<Int16Type>(column, scratch, f64::from),
        DataType::Int32 => convert::<Int32Type>(column, scratch, f64::from),
        DataType::Int64 => convert::<Int64Type>(column, scratch, |v| v as f64),
        DataType::UInt8 => convert::<UInt8Type>(column, scratch, f64::from),
        DataType::UInt16 => convert::<UInt16Type>(column, scratch, f64::from),
        DataType::UInt32 => convert::<UInt32Type>(column, scratch, f64::from),
        DataType::UInt64 => convert::<UInt64Type>(column, scratch, |v| v as f64),
        DataType::Decimal32(_, scale) => decimal::<Decimal32Type>(column, scratch, *scale, f64::from),
        DataType::Decimal64(_, scale) => decimal::<Decimal64Type>(column, scratch, *scale, |v| v as f64),
        DataType::Decimal128(_, scale) => decimal::<Decimal128Type>(column, scratch, *scale, |v| v as f64),
        DataType::Decimal256(_, scale) => {
            decimal::<Decimal256Type>(column, scratch, *scale, |v| v.to_string().parse().unwrap_or(f64::NAN))
        }
        DataType::Dictionary(_, _) => {
            let dictionary = column.as_any_dictionary();
            let entries = parse_texts(dictionary.values().as_ref(), name)?;
            let keys = dictionary.normalized_keys();
            scratch.clear();
            scratch.extend(keys.iter().map(|&key| entries.get(key).copied().unwrap_or(0.0)));
        }
        _ => {
            let parsed = parse_texts(column, name)?;
            *scratch = parsed;
        }
    }
    Ok(scratch)
}

/// Parses a text cost column. Blank text counts as 0; anything else that is not a
/// number is refused, since summing around it would give a wrong total.
fn parse_texts(column: &dyn Array, name: &str) -> Result<Vec<f64>> {
    let texts = Texts::of(column).map_err(|_| Error::ColumnType {
        role: "cost",
        column: name.to_owned(),
        found: column.data_type().to_string(),
        expected: "numbers (double, float, decimal, integer) or numeric text",
    })?;
    (0..texts.len())
        .map(|row| match texts.get(row).map(str::trim) {
            None | Some("") => Ok(0.0),
            Some(text) => text
                .parse::<f64>()
                .map_err(|_| Error::CostNotNumeric { column: name.to_owned(), value: shorten(text, 40) }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use arrow_array::types::Int32Type;
    use arrow_array::{DictionaryArray, Float64Array, StringArray};

    use super::*;

    fn texts(values: &[Option<&str>]) -> StringArray {
        values.iter().copied().collect()
    }

    /// The kernel's cells, as (type, service, currency, rows, cost, list rows, list cost).
    fn cells(tally: &Tally) -> Vec<(String, String, String, u64, f64, u64, f64)> {
        let mut cells: Vec<_> = tally
            .cells()
            .map(|(k, c)| {
                let key = (k.line_item_type.to_owned(), k.service.to_owned(), k.currency.to_owned());
                (key.0, key.1, key.2, c.rows, c.cost.value(), c.list_rows, c.list_cost.value())
            })
            .collect();
        cells.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        cells
    }

    #[test]
    fn folds_dictionary_keys_nulls_and_the_product_code_of_blank_services() {
        let types = texts(&[Some("Usage"), Some("Usage"), Some("Usage"), Some("DiscountedUsage"), Some("Tax")]);
        // The service as dictionary keys, as the readers ask for it: blank on the Spot row.
        let services: DictionaryArray<Int32Type> =
            vec![Some("AmazonS3"), Some(""), None, Some("AmazonEC2"), Some("AmazonS3")].into_iter().collect();
        let products = texts(&[Some("AmazonS3"), Some("AmazonEC2"), None, Some("AmazonEC2"), Some("AmazonS3")]);
        let costs = Float64Array::from(vec![Some(1.5), Some(2.0), None, Some(0.0), Some(0.25)]);
        let list = Float64Array::from(vec![Some(9.0), Some(9.0), Some(9.0), Some(4.0), None]);
        let batch = Batch {
            line_item_type: &types,
            service: &services,
            cost: &costs,
            optional: vec![(Field::ProductCode, &products), (Field::ListCost, &list)],
            detail: None,
            cost_name: "line_item_unblended_cost",
            provider: None,
        };
        let mut kernel = Kernel::default();
        kernel.add(&batch).unwrap();
        let tally = kernel.finish();
        assert_eq!(tally.rows, 5);
        let usd = |t: &str, s: &str, rows, cost, list_rows, list| {
            (t.to_owned(), s.to_owned(), "USD".to_owned(), rows, cost, list_rows, list)
        };
        assert_eq!(
            cells(&tally),
            [
                // The list cost is kept for usage a commitment paid only.
                usd("DiscountedUsage", "AmazonEC2", 1, 0.0, 1, 4.0),
                usd("Tax", "AmazonS3", 1, 0.25, 0, 0.0),
                // No service code and no product code: the one "(none)" row, its null cost counted as 0.
                usd("Usage", "", 1, 0.0, 0, 0.0),
                usd("Usage", "AmazonEC2", 1, 2.0, 0, 0.0),
                usd("Usage", "AmazonS3", 1, 1.5, 0, 0.0),
            ]
        );
        let fell: Vec<_> = tally.fell_back().map(|(k, c)| (k.service, c.rows, c.cost.value())).collect();
        assert_eq!(fell, [("AmazonEC2", 1, 2.0)], "only the Spot row took its product code");
        let nulls: u64 = tally.cells().map(|(_, c)| c.null_costs).sum();
        assert_eq!(nulls, 1);
    }

    #[test]
    fn a_cost_that_is_not_a_number_is_named() {
        let types = texts(&[Some("Usage")]);
        let services = texts(&[Some("AmazonS3")]);
        let costs = texts(&[Some("12,50")]);
        let batch = Batch {
            line_item_type: &types,
            service: &services,
            cost: &costs,
            optional: Vec::new(),
            detail: None,
            cost_name: "lineItem/UnblendedCost",
            provider: None,
        };
        let error = Kernel::default().add(&batch).unwrap_err().to_string();
        assert!(error.contains("lineItem/UnblendedCost") && error.contains("12,50"), "{error}");
    }
}
