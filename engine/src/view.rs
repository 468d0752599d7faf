//! What the page shows, as a link: the tab, the grouping, the measure, the
//! filters, the usage rule and the chosen service, kept in the URL's query string
//! so a link reopens the same view once the files are dropped again. Reading a
//! link is lenient: what is not understood is left at its default.

use crate::answer::query::{Filter, Grain, Query};
use crate::answer::question::Asked;
use crate::fold::commitments::CommitmentKind;
use crate::read::outline::{Dates, DetailScan};
use crate::schema::detail::Detail;
use crate::settings::usage::{UsagePreset, UsageRule};
use crate::vocab::dates::{format_day, month_start, parse_day};
use crate::vocab::dimension::{Dimension, Measure};

/// The page's tabs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tab {
    /// The costs page (the default).
    #[default]
    Costs,
    /// The explorer.
    Explore,
    /// Savings Plans and reservations: used, wasted, saved, ending.
    Commitments,
    /// The diagnostics panel.
    Diagnostics,
}

impl Tab {
    /// A short stable name.
    pub fn key(self) -> &'static str {
        match self {
            Tab::Costs => "costs",
            Tab::Explore => "explore",
            Tab::Commitments => "commitments",
            Tab::Diagnostics => "diagnostics",
        }
    }
}

/// Everything a link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The tab shown.
    pub tab: Tab,
    /// The service picked on the costs page.
    pub service: Option<String>,
    /// The explorer's question.
    pub query: Query,
    /// The explorer's time axis.
    pub grain: Grain,
    /// Which line item types count.
    pub usage: UsageRule,
    /// The tag, cost category or resource read on demand, which the query can
    /// group and filter by as [`Dimension::Detail`]; without one, the query
    /// never names that dimension.
    pub detail: Option<Detail>,
    /// The names of the files the view was made on: a link opened on an empty
    /// page says which files it waits for.
    pub files: Vec<String>,
    /// A second grouping: each group broken down by it (team × service).
    pub then_by: Option<Dimension>,
}

impl Default for View {
    fn default() -> Self {
        View {
            tab: Tab::Costs,
            service: None,
            query: Query::default(),
            grain: Grain::Month,
            usage: UsageRule::default(),
            detail: None,
            files: Vec::new(),
            then_by: None,
        }
    }
}

/// The link's name for the detail read on demand (`on=tag:team`); its
/// grouping is `by=detail` and its filter `detail=VALUE`.
const DETAIL_PARAMETER: &str = "on";

impl View {
    /// What this view needs read on demand, beyond the explorer's own cube
    /// (every label, by month; see [`DetailScan::explorer`]): its detail, or
    /// days. It is the view's own [`Question`], planned as `ducks group`'s
    /// are; dates by month for the time chart, by day when the view uses days.
    /// `None` when the explorer's own cube answers the view.
    pub fn on_demand_scan(&self) -> Option<DetailScan> {
        let needs_days = self.needs_days();
        if self.detail.is_none() && !needs_days && self.query.measure.in_billing_cells() {
            return None;
        }
        // How many groups an answer keeps does not change what is read.
        let asked = self.asked(0, None);
        Some(asked.question(if needs_days { Dates::Days } else { Dates::Months }).scan())
    }

    /// The view's question as the workers answer it, its `top` largest groups
    /// per currency, among those one of whose labels holds `needle`.
    pub fn asked(&self, top: usize, needle: Option<String>) -> Asked {
        Asked {
            by: [self.query.group_by].into_iter().chain(self.then_by).collect(),
            measure: self.query.measure,
            filter: self.query.filter.clone(),
            usage: self.usage.clone(),
            top,
            needle,
        }
    }

    /// Whether the view needs costs by day: a time axis or a grouping by day,
    /// or dates that are not whole months (a cube by month answers those).
    pub fn needs_days(&self) -> bool {
        let filter = &self.query.filter;
        let whole_month_from = filter.from.is_none_or(|day| month_start(day) == day);
        let whole_month_to = filter.to.is_none_or(|day| month_start(day.saturating_add(1)) == day.saturating_add(1));
        self.grain == Grain::Day
            || self.query.group_by == Dimension::Day
            || self.then_by == Some(Dimension::Day)
            || !whole_month_from
            || !whole_month_to
    }

    /// The name people read for `dimension` in this view: the detail's own
    /// ("Tag team") for [`Dimension::Detail`].
    pub fn dimension_label(&self, dimension: Dimension) -> String {
        match (dimension, &self.detail) {
            (Dimension::Detail, Some(detail)) => detail.label(),
            (dimension, _) => dimension.label().to_owned(),
        }
    }

    /// A label of `dimension` as people read it: blank is the one empty
    /// label, or the detail's ("(untagged)").
    pub fn shown_label(&self, dimension: Dimension, label: &str) -> String {
        match (dimension, &self.detail) {
            (Dimension::Detail, Some(detail)) if label.is_empty() => detail.empty_label().to_owned(),
            _ => crate::vocab::format::label(label).into_owned(),
        }
    }

    /// The view one level down from the group `key` (see
    /// [`drill`](crate::answer::query::drill)); a resource, which has one
    /// service, is broken down by its usage types (then operations, then days).
    pub fn drilled(&self, key: &str) -> View {
        let mut view = self.clone();
        view.query = crate::answer::query::drill(&self.query, key);
        if self.query.group_by == Dimension::Detail {
            match self.detail {
                Some(Detail::Resource) => view.query.group_by = Dimension::UsageType,
                // Who used a commitment: the accounts its usage ran in.
                Some(Detail::SavingsPlan | Detail::Reservation) => view.query.group_by = Dimension::Account,
                _ => {}
            }
        }
        view
    }

    /// The explorer's view of the files' total per invoice and month, to tie
    /// to each invoice: every line item type, at the unblended (billed) cost,
    /// grouped by the invoice id and then by month. As `ducks group --by
    /// invoice,month --usage all`.
    pub fn per_invoice() -> View {
        let view = View { tab: Tab::Explore, usage: UsagePreset::Everything.rule(), ..View::default() }
            .with_detail(Some(Detail::Invoice));
        view.broken_down_by(Some(Dimension::Month))
    }

    /// The explorer's view of the usage the commitment `arn` paid, by account:
    /// running usage (on demand or covered) at its amortized cost, which for
    /// covered rows is the commitment's effective cost (what the Commitments
    /// tab counts as used), filtered to the rows that name it. From there the
    /// view regroups by region, usage type or day like any other.
    pub fn covered_by(kind: CommitmentKind, arn: &str) -> View {
        let detail = match kind {
            CommitmentKind::SavingsPlan => Detail::SavingsPlan,
            CommitmentKind::Reservation => Detail::Reservation,
        };
        let mut view = View { tab: Tab::Explore, usage: UsagePreset::RunningUsage.rule(), ..View::default() }
            .with_detail(Some(detail));
        view.query.filter = view.query.filter.with_labels(Dimension::Detail, vec![arn.to_owned()]);
        view.query.group_by = Dimension::Account;
        view.query.measure = Measure::Amortized;
        view
    }

    /// The view grouped by `dimension`. Leaving the detail (a tag, a cost
    /// category, the resource) lets it go unless it filters the rows: a detail
    /// kept beside another grouping multiplies every group by its values (a
    /// view by usage type and resource is too large to read), while a value
    /// chosen of it (a resource drilled into) stays, since the view filters by it.
    pub fn grouped_by(&self, dimension: Dimension) -> View {
        let mut view = self.clone();
        view.query.group_by = dimension;
        // Grouping by the second grouping swaps the two (team × service becomes service × team).
        if view.then_by == Some(dimension) {
            view.then_by = Some(self.query.group_by);
        }
        let filtered = view.query.filter.labels.iter().any(|(d, labels)| *d == Dimension::Detail && !labels.is_empty());
        if dimension != Dimension::Detail && !filtered && view.then_by != Some(Dimension::Detail) {
            view.detail = None;
        }
        view
    }

    /// The view with `then_by` as its second grouping (none, or the first
    /// grouping itself, is none).
    pub fn broken_down_by(&self, then_by: Option<Dimension>) -> View {
        let mut view = self.clone();
        view.then_by =
            then_by.filter(|d| *d != view.query.group_by && (*d != Dimension::Detail || view.detail.is_some()));
        view
    }

    /// The view reading `detail` on demand (or none), grouped by it; a view
    /// without one leaves the detail's grouping and filter.
    pub fn with_detail(&self, detail: Option<Detail>) -> View {
        let mut view = self.clone();
        if view.then_by == Some(Dimension::Detail) {
            view.then_by = None;
        }
        view.query.filter = view.query.filter.with_labels(Dimension::Detail, Vec::new());
        view.query.group_by = match (&detail, view.query.group_by) {
            (Some(_), _) => Dimension::Detail,
            (None, Dimension::Detail) => Dimension::Service,
            (None, other) => other,
        };
        view.detail = detail;
        view
    }
}

impl View {
    /// The query string (without `?`); empty for the default view.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.tab != Tab::Costs {
            pairs.push(("tab", self.tab.key().into()));
        }
        if let Some(service) = &self.service {
            pairs.push(("selected", service.clone()));
        }
        if let Some(detail) = &self.detail {
            pairs.push((DETAIL_PARAMETER, detail.key()));
        }
        if self.query.group_by != Dimension::Service {
            pairs.push(("by", self.query.group_by.key().into()));
        }
        if self.query.measure != Measure::Unblended {
            pairs.push(("measure", self.query.measure.key().into()));
        }
        if self.grain == Grain::Day {
            pairs.push(("grain", "day".into()));
        }
        match self.usage.preset() {
            Some(UsagePreset::Original) => {}
            Some(preset) => pairs.push(("usage", preset.key().into())),
            None => pairs.extend(self.usage.types().map(|t| ("type", t.to_owned()))),
        }
        if self.usage.service_code_only() {
            pairs.push(("services", "code".into()));
        }
        if self.usage.covered_at_list() {
            pairs.push(("covered", "list".into()));
        }
        if let Some(from) = self.query.filter.from {
            pairs.push(("from", format_day(from)));
        }
        if let Some(to) = self.query.filter.to {
            pairs.push(("to", format_day(to)));
        }
        for (dimension, labels) in &self.query.filter.labels {
            pairs.extend(labels.iter().map(|label| (dimension.key(), label.clone())));
        }
        if let Some(then_by) = self.then_by {
            pairs.push(("then", then_by.key().into()));
        }
        pairs.extend(self.files.iter().map(|name| ("file", name.clone())));
        form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
    }

    /// The view a query string describes (with or without its `?`).
    pub fn from_query_string(text: &str) -> View {
        let mut view = View::default();
        let mut types: Vec<String> = Vec::new();
        let (mut code_only, mut covered_at_list) = (false, false);
        let mut then_by = None;
        let mut filter = Filter::default();
        let mut labels: Vec<(Dimension, Vec<String>)> = Vec::new();
        // Form decoding: `+` is a space, and a bad escape is kept as it is.
        for (key, value) in form_urlencoded::parse(text.trim_start_matches('?').as_bytes()) {
            let value = value.into_owned();
            match key.as_ref() {
                "tab" => {
                    view.tab = [Tab::Costs, Tab::Explore, Tab::Commitments, Tab::Diagnostics]
                        .into_iter()
                        .find(|t| t.key() == value)
                        .unwrap_or_default();
                }
                "selected" => view.service = Some(value),
                DETAIL_PARAMETER => view.detail = Detail::from_key(&value),
                "by" if value == Dimension::Detail.key() => view.query.group_by = Dimension::Detail,
                "by" => view.query.group_by = Dimension::from_key(&value).unwrap_or(Dimension::Service),
                "measure" => view.query.measure = Measure::from_key(&value).unwrap_or(Measure::Unblended),
                "grain" if value == "day" => view.grain = Grain::Day,
                "usage" => view.usage = UsagePreset::from_key(&value).map(UsagePreset::rule).unwrap_or_default(),
                "type" => types.push(value),
                "file" => view.files.push(value),
                "then" if value == Dimension::Detail.key() => then_by = Some(Dimension::Detail),
                "then" => then_by = Dimension::from_key(&value),
                "services" => code_only = value == "code",
                "covered" => covered_at_list = value == "list",
                "from" => filter.from = parse_day(&value),
                "to" => filter.to = parse_day(&value),
                _ => {
                    let dimension = if key == Dimension::Detail.key() {
                        Some(Dimension::Detail)
                    } else {
                        Dimension::from_key(&key)
                    };
                    if let Some(dimension) = dimension.filter(|d| d.slot().is_some()) {
                        match labels.iter_mut().find(|(d, _)| *d == dimension) {
                            Some((_, list)) => list.push(value),
                            None => labels.push((dimension, vec![value])),
                        }
                    }
                }
            }
        }
        if !types.is_empty() {
            view.usage = UsageRule::of_types(types.iter().map(String::as_str));
        }
        view.usage = view.usage.with_service_code_only(code_only).with_covered_at_list(covered_at_list);
        for (dimension, values) in labels {
            filter = filter.with_labels(dimension, values);
        }
        view.query.filter = filter;
        if view.detail.is_none() {
            view = view.with_detail(None);
        }
        view.broken_down_by(then_by)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::dates::day_of;

    #[test]
    fn the_default_view_is_an_empty_link() {
        assert_eq!(View::default().to_query_string(), "");
        assert_eq!(View::from_query_string(""), View::default());
    }

    #[test]
    fn a_commitment_opens_on_the_usage_it_paid_and_round_trips() {
        let arn = "arn:aws:savingsplans::111:savingsplan/abc";
        let view = View::covered_by(CommitmentKind::SavingsPlan, arn);
        assert_eq!((view.tab, view.detail.clone()), (Tab::Explore, Some(Detail::SavingsPlan)));
        assert_eq!(view.query.group_by, Dimension::Account);
        assert_eq!(view.query.filter.labels_of(Dimension::Detail), Some(&[arn.to_owned()][..]));
        assert!(view.usage.counts("SavingsPlanCoveredUsage") && view.usage.counts("Usage"));
        assert_eq!(View::from_query_string(&view.to_query_string()), view);
        // Regrouped, the commitment stays as the filter; drilled from a list of them, the accounts.
        assert_eq!(view.grouped_by(Dimension::Region).detail, Some(Detail::SavingsPlan));
        let list = View::default().with_detail(Some(Detail::Reservation));
        assert_eq!(list.drilled("arn:r").query.group_by, Dimension::Account);
        assert_eq!(View::covered_by(CommitmentKind::Reservation, "r").detail, Some(Detail::Reservation));
    }

    #[test]
    fn the_invoices_view_counts_every_line_item_by_invoice_and_month() {
        let view = View::per_invoice();
        assert_eq!((view.query.group_by, view.then_by), (Dimension::Detail, Some(Dimension::Month)));
        assert_eq!((view.detail.clone(), view.query.measure), (Some(Detail::Invoice), Measure::Unblended));
        assert!(view.usage.counts("Tax") && view.usage.counts("Credit"));
        assert_eq!(View::from_query_string(&view.to_query_string()), view);
    }

    #[test]
    fn a_full_view_round_trips() {
        let filter = Filter { from: Some(day_of(2024, 1, 1)), to: Some(day_of(2024, 1, 31)), labels: vec![] }
            .with_labels(Dimension::Service, vec!["AmazonEC2".into()])
            .with_labels(Dimension::Account, vec!["111".into(), "a,b & c=d".into()]);
        let view = View {
            tab: Tab::Explore,
            service: Some("<Amazon S3>".into()),
            query: Query { group_by: Dimension::UsageType, measure: Measure::Amortized, filter },
            grain: Grain::Day,
            usage: UsageRule::default().with("Tax", true),
            detail: None,
            files: vec!["cur-2024-01.parquet".into()],
            then_by: Some(Dimension::Account),
        };
        let text = view.to_query_string();
        assert!(!text.contains(' ') && !text.contains('<'), "{text}");
        assert_eq!(View::from_query_string(&format!("?{text}")), view);
        let preset = View { usage: UsagePreset::RunningUsage.rule(), ..View::default() };
        assert_eq!(preset.to_query_string(), "usage=running");
        assert_eq!(View::from_query_string("usage=running"), preset);
        let choices = View {
            usage: UsageRule::default().with_service_code_only(true).with_covered_at_list(true),
            ..View::default()
        };
        assert_eq!(choices.to_query_string(), "services=code&covered=list");
        let named = View { files: vec!["cur 2024-01.parquet".into(), "b&c.csv".into()], ..View::default() };
        assert_eq!(named.to_query_string(), "file=cur+2024-01.parquet&file=b%26c.csv");
        assert_eq!(View::from_query_string(&named.to_query_string()), named);
        assert_eq!(View::from_query_string(&choices.to_query_string()), choices);
    }

    #[test]
    fn a_detail_travels_with_its_grouping_and_filter() {
        let view = View { tab: Tab::Explore, ..View::default() }.with_detail(Some(Detail::Tag("team".into())));
        assert_eq!(view.query.group_by, Dimension::Detail);
        let mut view = view.clone();
        view.query.filter = view.query.filter.with_labels(Dimension::Detail, vec!["".into(), "payments".into()]);
        let text = view.to_query_string();
        assert_eq!(text, "tab=explore&on=tag%3Ateam&by=detail&detail=&detail=payments");
        assert_eq!(View::from_query_string(&text), view);
        // Without a detail, a link cannot group or filter by one.
        let plain = View::from_query_string("by=detail&detail=payments");
        assert_eq!((plain.query.group_by, plain.query.filter.labels.len()), (Dimension::Service, 0));
        let none = view.with_detail(None);
        assert_eq!(
            (none.query.group_by, none.detail.as_ref(), none.query.filter.labels.len()),
            (Dimension::Service, None, 0)
        );
    }

    #[test]
    fn a_second_grouping_travels_and_is_read_on_demand() {
        let team = View::default().with_detail(Some(Detail::Tag("team".into())));
        let by_type = team.broken_down_by(Some(Dimension::UsageType));
        assert_eq!(by_type.to_query_string(), "on=tag%3Ateam&by=detail&then=usage-type");
        assert_eq!(View::from_query_string(&by_type.to_query_string()), by_type);
        assert!(by_type.on_demand_scan().unwrap().labels.contains(&Dimension::UsageType));
        let by_service = team.broken_down_by(Some(Dimension::Service));
        // Service first, the tag second: the tag stays read.
        let swapped = by_service.grouped_by(Dimension::Service);
        assert_eq!(
            (swapped.query.group_by, swapped.then_by, swapped.detail.is_some()),
            (Dimension::Service, Some(Dimension::Detail), true)
        );
        assert_eq!(swapped.grouped_by(Dimension::Account).then_by, Some(Dimension::Detail), "the tag stays read");
        assert_eq!(View::default().broken_down_by(Some(Dimension::Service)).then_by, None, "not by itself");
        assert_eq!(View::default().broken_down_by(Some(Dimension::Detail)).then_by, None, "no detail to break down by");
        assert!(View::default().broken_down_by(Some(Dimension::Day)).needs_days());
        assert_eq!(View::from_query_string("then=detail").then_by, None);
    }

    #[test]
    fn a_resource_drills_into_its_usage_types_and_a_tag_into_services() {
        let resources = View::default().with_detail(Some(Detail::Resource));
        let one = resources.drilled("i-0abc");
        assert_eq!(one.query.group_by, Dimension::UsageType);
        assert_eq!(one.query.filter.labels_of(Dimension::Detail), Some(&["i-0abc".to_owned()][..]));
        assert_eq!(one.drilled("BoxUsage:m5.large").drilled("RunInstances").query.group_by, Dimension::Day);
        let team = View::default().with_detail(Some(Detail::Tag("team".into()))).drilled("payments");
        assert_eq!(team.query.group_by, Dimension::Service);
    }

    #[test]
    fn a_new_grouping_lets_an_unfiltered_detail_go_and_keeps_a_chosen_one() {
        let resources = View::default().with_detail(Some(Detail::Resource));
        let by_type = resources.grouped_by(Dimension::UsageType);
        assert_eq!((by_type.query.group_by, by_type.detail.as_ref()), (Dimension::UsageType, None));
        assert!(by_type.on_demand_scan().is_none(), "nothing left to read on demand");
        let mut one = resources.clone();
        one.query.filter = one.query.filter.with_labels(Dimension::Detail, vec!["i-0abc".into()]);
        let by_day = one.grouped_by(Dimension::Day);
        assert_eq!(by_day.detail, Some(Detail::Resource), "a resource drilled into stays");
    }

    #[test]
    fn an_on_demand_scan_reads_what_the_view_needs() {
        let tag = View::default().with_detail(Some(Detail::Tag("team".into())));
        let scan = tag.on_demand_scan().unwrap();
        // The question's own labels: by the tag (the detail), in dollars.
        assert_eq!(
            (scan.dates, scan.labels.as_slice()),
            (Dates::Months, &[Dimension::Detail, Dimension::Currency][..])
        );
        assert_eq!(
            scan.blanked(),
            [Dimension::Service, Dimension::Unit, Dimension::Provider],
            "not multiplied by services, units or providers"
        );
        assert_eq!(scan.keep, [(Dimension::LineItemType, vec!["Usage".to_owned()])], "the rows the usage rule counts");
        let mut in_units = tag.clone();
        in_units.query.measure = Measure::Usage;
        assert_eq!(in_units.on_demand_scan().unwrap().blanked(), [Dimension::Service, Dimension::Provider]);
        assert!(!scan.covers(&in_units.on_demand_scan().unwrap()), "usage by unit is read again");
        // Only the measure's own amounts are read.
        use crate::schema::catalogue::Field;
        let usage = in_units.on_demand_scan().unwrap();
        assert!(usage.reads(Field::UsageAmount) && !usage.reads(Field::NetUnblended) && usage.reads(Field::Unit));
        assert!(!scan.reads(Field::UsageAmount) && !scan.reads(Field::EffectiveCost) && !scan.reads(Field::Unit));
        assert!(scan.reads(Field::ProductCode) && scan.reads(Field::Currency) && !scan.reads(Field::Account));
        assert!(DetailScan::explorer().reads(Field::EffectiveCost));
        let mut everything = tag.clone();
        everything.usage = UsagePreset::Everything.rule();
        assert!(!scan.covers(&everything.on_demand_scan().unwrap()), "more types, read again");
        let mut by_usage_type = tag.clone();
        by_usage_type.query.group_by = Dimension::UsageType;
        by_usage_type.grain = Grain::Day;
        let wider = by_usage_type.on_demand_scan().unwrap();
        assert!(wider.labels.contains(&Dimension::UsageType) && wider.dates == Dates::Days);
        assert!(wider.covers(&scan) && !scan.covers(&wider));
        // Resources: only the rows the filters keep.
        let mut resources = View::default().with_detail(Some(Detail::Resource));
        resources.query.filter = resources.query.filter.with_labels(Dimension::Service, vec!["AmazonEC2".into()]);
        let narrow = resources.on_demand_scan().unwrap();
        assert_eq!(narrow.keep[0], (Dimension::Service, vec!["AmazonEC2".to_owned()]));
        assert!(
            narrow.labels.contains(&Dimension::Service) && narrow.blanked() == [Dimension::Unit, Dimension::Provider]
        );
        let everything = DetailScan { dates: Dates::Days, ..DetailScan::explorer() };
        assert!(everything.covers(&narrow) && !narrow.covers(&everything));
        assert_eq!(View::default().on_demand_scan(), None);
    }

    #[test]
    fn days_are_read_on_demand_unless_whole_months_answer() {
        let day = |text: &str| parse_day(text).unwrap();
        let mut view = View::default();
        view.query.filter.from = Some(day("2024-02-01"));
        view.query.filter.to = Some(day("2024-03-31"));
        assert_eq!(view.on_demand_scan(), None, "whole months: the explorer's own cube");
        assert!(DetailScan::explorer().covers(&DetailScan {
            dates: Dates::Months,
            labels: Vec::new(),
            keep: Vec::new(),
            measure: Some(Measure::Amortized),
        }));
        view.query.filter.to = Some(day("2024-03-30"));
        assert_eq!(view.on_demand_scan().map(|scan| scan.dates), Some(Dates::Days));
        view.query.filter.to = None;
        view.query.filter.from = Some(day("2024-02-29"));
        assert_eq!(view.on_demand_scan().map(|scan| scan.dates), Some(Dates::Days));
        view.query.filter.from = None;
        view.grain = Grain::Day;
        let by_day = view.on_demand_scan().unwrap();
        assert_eq!((by_day.dates, by_day.keep.len()), (Dates::Days, 1), "the usage rule's types only");
        assert!(!DetailScan::explorer().covers(&by_day));
        view.grain = Grain::Month;
        view.query.group_by = Dimension::Day;
        assert_eq!(view.on_demand_scan().map(|scan| scan.dates), Some(Dates::Days));
    }

    #[test]
    fn junk_is_ignored() {
        let view = View::from_query_string("by=colour&measure=&from=yesterday&%zz=1&tab=nope&region=%E2%82%AC+1%");
        assert_eq!(view.query.group_by, Dimension::Service);
        assert_eq!(view.query.filter.from, None);
        assert_eq!(view.tab, Tab::Costs);
        assert_eq!(view.query.filter.labels_of(Dimension::Region), Some(&["€ 1%".to_owned()][..]));
    }
}
