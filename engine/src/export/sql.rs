//! The SQL that computes the page's figures, for running the same analysis where
//! the data lives: DuckDB over the Parquet files, or Athena over the CUR table
//! (a billion rows in a data lake). Column names are the ones found in the files.

use crate::answer::query::Query;
use crate::fold::amortize::{self, Amortize};
use crate::fold::kernel::COVERED_TYPES;
use crate::read::outline::{Delivery, Outline};
use crate::schema::catalogue::ASSUMED_CURRENCY;
use crate::schema::catalogue::Field;
use crate::schema::columns::{Column, CurFormat};
use crate::settings::discounts::Discounts;
use crate::settings::usage::UsageRule;
use crate::vocab::dates::format_day;
use crate::vocab::dimension::{Dimension, Measure};

/// Where the SQL runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB, reading the Parquet files.
    DuckDb,
    /// Amazon Athena (Trino), reading the CUR table.
    Athena,
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 { format!("{value:.1}") } else { value.to_string() }
}

fn source(outline: &Outline, dialect: Dialect) -> &'static str {
    match (dialect, outline.delivery) {
        (Dialect::DuckDb, Delivery::Parquet) => {
            "read_parquet('cur/**/*.parquet', union_by_name = true)  -- your CUR files"
        }
        (Dialect::DuckDb, Delivery::Csv(_)) => {
            "read_csv('cur/**/*.csv*', union_by_name = true, nullstr = ['', 'NULL'])  -- your CUR files"
        }
        (Dialect::Athena, _) => "cur  -- your CUR table",
    }
}

fn usage_condition(outline: &Outline, usage: &UsageRule) -> Option<String> {
    if usage.is_everything() {
        return None;
    }
    let mut types: Vec<&str> = usage.types().collect();
    if usage.covered_at_list() {
        types.extend(COVERED_TYPES.iter().filter(|t| !usage.counts(t)));
    }
    let types: Vec<String> = types.into_iter().map(literal).collect();
    Some(format!("{} IN ({})", quote(&outline.columns.line_item_type.name), types.join(", ")))
}

/// The service of a row, as the engine reads it: the service code, or where it
/// is blank the product code (unless the original service's rule is chosen).
fn service(outline: &Outline, usage: &UsageRule) -> String {
    let code = quote(&outline.columns.service.name);
    match outline.optional.get(Field::ProductCode) {
        Some(product) if !usage.service_code_only() => {
            format!("COALESCE(NULLIF({code}, ''), NULLIF({}, ''), {code})", quote(&product.name))
        }
        _ => code,
    }
}

/// The cost the costs page counts of a row: the unblended cost, or for usage a
/// commitment paid, its list cost when that is chosen.
fn counted_cost(outline: &Outline, usage: &UsageRule) -> String {
    let cost = quote(&outline.columns.cost.name);
    match outline.optional.get(Field::ListCost) {
        Some(list) if usage.covered_at_list() => {
            let types: Vec<String> = COVERED_TYPES.iter().map(|t| literal(t)).collect();
            format!(
                "(CASE WHEN {} IN ({}) THEN {} ELSE {cost} END)",
                quote(&outline.columns.line_item_type.name),
                types.join(", "),
                quote(&list.name)
            )
        }
        _ => cost,
    }
}

/// The currency of a row, as the engine reads it: the file's code, blank (or no
/// column) being USD. Amounts are summed per currency, never across.
fn currency(outline: &Outline) -> String {
    match outline.optional.get(Field::Currency) {
        Some(column) => format!("COALESCE(NULLIF({}, ''), '{ASSUMED_CURRENCY}')", quote(&column.name)),
        None => format!("'{ASSUMED_CURRENCY}'"),
    }
}

/// The SQL of the costs page: per service and currency, undiscounted and discounted cost.
pub fn costs_sql(outline: &Outline, usage: &UsageRule, discounts: &Discounts, dialect: Dialect) -> String {
    let service = service(outline, usage);
    let cost = counted_cost(outline, usage);
    let mut multiplier = format!("CASE {service}");
    for (name, value) in discounts.matched() {
        multiplier.push_str(&format!(" WHEN {} THEN {}", literal(&name), number(value)));
    }
    multiplier.push_str(" ELSE 1.0 END");
    let condition = usage_condition(outline, usage).map(|c| format!("\nWHERE {c}")).unwrap_or_default();
    format!(
        "SELECT {service} AS service,\n       {} AS currency,\n       SUM({cost}) AS undiscounted,\n       SUM({cost} * {multiplier}) AS discounted\nFROM {}{condition}\nGROUP BY 1, 2\nORDER BY undiscounted DESC;\n",
        currency(outline),
        source(outline, dialect)
    )
}

/// The SQL of an explorer view.
pub fn explore_sql(outline: &Outline, query: &Query, usage: &UsageRule, dialect: Dialect) -> String {
    let start = outline.optional.get(Field::UsageStart).map(|c| match dialect {
        Dialect::DuckDb => format!("CAST({} AS TIMESTAMP)", quote(&c.name)),
        Dialect::Athena => quote(&c.name),
    });
    let text = |dimension: Dimension| -> Option<&Column> {
        match dimension {
            Dimension::Service => Some(&outline.columns.service),
            Dimension::LineItemType => Some(&outline.columns.line_item_type),
            other => outline.optional.get(other.field()?),
        }
    };
    // The explorer names rows of no service code by their product code, always.
    let expression = |dimension: Dimension| -> Option<String> {
        match dimension {
            Dimension::Service => Some(service(outline, &usage.with_service_code_only(false))),
            other => text(other).map(|c| quote(&c.name)),
        }
    };
    let group = match query.group_by {
        Dimension::Month | Dimension::Day => {
            let unit = if query.group_by == Dimension::Month { "month" } else { "day" };
            start.clone().map(|s| format!("date_trunc('{unit}', {s})")).unwrap_or_else(|| "NULL".into())
        }
        dimension => expression(dimension).unwrap_or_else(|| "''".into()),
    };
    // The explorer counts its usage rule's types at their own measure (no on-demand pricing of covered usage).
    let mut conditions: Vec<String> =
        usage_condition(outline, &usage.with_covered_at_list(false)).into_iter().collect();
    if let Some(start) = &start {
        if let Some(from) = query.filter.from {
            conditions.push(format!("{start} >= TIMESTAMP '{} 00:00:00'", format_day(from)));
        }
        if let Some(to) = query.filter.to {
            conditions.push(format!("{start} < TIMESTAMP '{} 00:00:00'", format_day(to + 1)));
        }
    }
    for (dimension, labels) in &query.filter.labels {
        if let Some(column) = expression(*dimension) {
            let values: Vec<String> = labels.iter().map(|l| literal(l)).collect();
            conditions.push(format!("{column} IN ({})", values.join(", ")));
        }
    }
    let condition =
        if conditions.is_empty() { String::new() } else { format!("\nWHERE {}", conditions.join("\n  AND ")) };
    let order = if query.group_by.slot().is_some() { "cost DESC" } else { "1" };
    // Quantities are summed per unit as costs are per currency.
    let (denomination, name) = match query.measure.denomination() {
        Dimension::Unit => {
            (text(Dimension::Unit).map_or_else(|| "''".into(), |c| format!("COALESCE({}, '')", quote(&c.name))), "unit")
        }
        // The pricing currency where a row has a pricing cost and one (as the cube's kernel).
        _ if query.measure == Measure::Pricing => {
            let optional = &outline.optional;
            match (optional.get(Field::PricingEffectiveCost), optional.get(Field::PricingCurrency)) {
                (Some(priced), Some(pricing)) => (
                    format!(
                        "CASE WHEN {} IS NOT NULL AND COALESCE({}, '') <> '' THEN {} ELSE {} END",
                        quote(&priced.name),
                        quote(&pricing.name),
                        quote(&pricing.name),
                        currency(outline)
                    ),
                    "currency",
                ),
                _ => (currency(outline), "currency"),
            }
        }
        _ => (currency(outline), "currency"),
    };
    format!(
        "SELECT {group} AS {},\n       {denomination} AS {name},\n       SUM({}) AS cost\nFROM {}{condition}\nGROUP BY 1, 2\nORDER BY {order};\n",
        quote(query.group_by.key()),
        measure(outline, query.measure),
        source(outline, dialect)
    )
}

/// The expression of a measure: a column, or the amortized cost formula of
/// [`amortize::RULES`] (the Cloud Intelligence Dashboards').
fn measure(outline: &Outline, measure: Measure) -> String {
    let cost = quote(&outline.columns.cost.name);
    let optional = &outline.optional;
    let column = |field: Field| optional.get(field).map_or_else(|| "0".into(), |c| quote(&c.name));
    match measure {
        Measure::Unblended => cost,
        Measure::NetUnblended => optional.get(Field::NetUnblended).map_or(cost, |c| quote(&c.name)),
        Measure::List => optional.get(Field::ListCost).map_or(cost, |c| quote(&c.name)),
        Measure::Usage => column(Field::UsageAmount),
        // The pricing cost where a row has one, else its amortized cost (as the cube's kernel).
        Measure::Pricing => match optional.get(Field::PricingEffectiveCost) {
            Some(priced) => {
                format!("COALESCE({}, {})", quote(&priced.name), self::measure(outline, Measure::Amortized))
            }
            None => self::measure(outline, Measure::Amortized),
        },
        Measure::Amortized if outline.columns.format == CurFormat::Focus => {
            optional.get(Field::EffectiveCost).map_or(cost, |c| quote(&c.name))
        }
        Measure::Amortized => {
            let kind = quote(&outline.columns.line_item_type.name);
            let arn = optional
                .get(Field::ReservationArn)
                .map_or_else(|| "''".into(), |c| format!("COALESCE({}, '')", quote(&c.name)));
            let mut case = "CASE".to_owned();
            for (line_item_type, rule) in amortize::RULES {
                let when = format!("\n         WHEN {kind} = {}", literal(line_item_type));
                case.push_str(&match rule {
                    Amortize::Unblended => format!("{when} THEN {cost}"),
                    Amortize::Zero => format!("{when} THEN 0"),
                    Amortize::Column(a) => format!("{when} THEN {}", column(a)),
                    Amortize::Difference(a, b) => format!("{when} THEN {} - {}", column(a), column(b)),
                    Amortize::Sum(a, b) => format!("{when} THEN {} + {}", column(a), column(b)),
                    Amortize::FeeUnlessReservation => format!("{when} AND {arn} <> '' THEN 0"),
                });
            }
            format!("{case}\n         ELSE {cost}\n       END")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::query::Filter;
    use crate::schema::columns::{CurColumns, OptionalColumns, detect, detect_optional};
    use crate::vocab::dates::day_of;

    fn outline(names: &[&str]) -> Outline {
        let columns: CurColumns = detect(names).unwrap();
        let optional: OptionalColumns = detect_optional(names, columns.format);
        Outline {
            delivery: Delivery::Parquet,
            columns,
            optional,
            column_count: names.len(),
            names: names.iter().map(|name| (*name).to_owned()).collect(),
            rows: 0,
            row_groups: vec![],
            bytes: 0,
            notes: vec![],
        }
    }

    const LEGACY: [&str; 8] = [
        "line_item_currency_code",
        "line_item_line_item_type",
        "product_servicecode",
        "line_item_unblended_cost",
        "line_item_usage_account_id",
        "line_item_usage_start_date",
        "reservation_effective_cost",
        "reservation_reservation_a_r_n",
    ];

    #[test]
    fn costs_sql_carries_the_discounts() {
        let sql = costs_sql(&outline(&LEGACY), &UsageRule::default(), &Discounts::default(), Dialect::DuckDb);
        assert!(sql.contains("WHEN 'AmazonS3' THEN 0.88"), "{sql}");
        assert!(sql.contains("WHERE \"line_item_line_item_type\" IN ('Usage')"), "{sql}");
        assert!(sql.starts_with("SELECT \"product_servicecode\" AS service"), "{sql}");
        assert!(sql.contains("COALESCE(NULLIF(\"line_item_currency_code\", ''), 'USD') AS currency"), "{sql}");
        assert!(sql.contains("GROUP BY 1, 2"), "amounts are summed per currency: {sql}");
    }

    #[test]
    fn explore_sql_groups_filters_and_amortizes() {
        let filter = Filter { from: Some(day_of(2024, 1, 1)), to: Some(day_of(2024, 1, 31)), labels: vec![] }
            .with_labels(Dimension::Account, vec!["O'Brien".into()]);
        let query = Query { group_by: Dimension::Month, measure: Measure::Amortized, filter };
        let sql = explore_sql(&outline(&LEGACY), &query, &crate::UsagePreset::Everything.rule(), Dialect::DuckDb);
        assert!(
            sql.contains("date_trunc('month', CAST(\"line_item_usage_start_date\" AS TIMESTAMP)) AS \"month\""),
            "{sql}"
        );
        assert!(sql.contains("< TIMESTAMP '2024-02-01 00:00:00'"), "{sql}");
        assert!(sql.contains("IN ('O''Brien')"), "{sql}");
        assert!(
            sql.contains("WHEN \"line_item_line_item_type\" = 'DiscountedUsage' THEN \"reservation_effective_cost\""),
            "{sql}"
        );
        assert!(sql.contains("THEN 0 - 0"), "absent columns count as zero: {sql}");
        assert!(sql.contains("\nWHERE CAST("), "every type counts, so the dates come first: {sql}");
    }

    #[test]
    fn focus_uses_its_own_columns() {
        let names = ["ChargeCategory", "x_ServiceCode", "BilledCost", "EffectiveCost", "RegionId"];
        let query = Query { group_by: Dimension::Region, measure: Measure::Amortized, filter: Filter::default() };
        let sql = explore_sql(&outline(&names), &query, &UsageRule::default(), Dialect::Athena);
        assert!(
            sql.contains(
                "SELECT \"RegionId\" AS \"region\",\n       'USD' AS currency,\n       SUM(\"EffectiveCost\") AS cost"
            ),
            "{sql}"
        );
        assert!(sql.contains("FROM cur"), "{sql}");
    }

    #[test]
    fn usage_quantities_are_summed_per_unit_and_list_cost_has_its_column() {
        let names = ["line_item_line_item_type", "product_servicecode", "line_item_unblended_cost"];
        let with = [&names[..], &["line_item_usage_amount", "pricing_unit", "pricing_public_on_demand_cost"]].concat();
        let query = Query { measure: Measure::Usage, ..Query::default() };
        let sql = explore_sql(&outline(&with), &query, &UsageRule::default(), Dialect::DuckDb);
        assert!(sql.contains("COALESCE(\"pricing_unit\", '') AS unit"), "{sql}");
        assert!(sql.contains("SUM(\"line_item_usage_amount\") AS cost"), "{sql}");
        let sql = explore_sql(&outline(&names), &query, &UsageRule::default(), Dialect::DuckDb);
        assert!(sql.contains("'' AS unit") && sql.contains("SUM(0)"), "{sql}");
        let list = Query { measure: Measure::List, ..Query::default() };
        let sql = explore_sql(&outline(&with), &list, &UsageRule::default(), Dialect::DuckDb);
        assert!(sql.contains("SUM(\"pricing_public_on_demand_cost\") AS cost"), "{sql}");
    }
}
