//! Savings Plans and Reserved Instances, folded from their own line items: per
//! commitment (its ARN), currency and day, what it cost, what of it was used
//! and what was not, the usage it covered at its effective cost and at public
//! on-demand prices, and when it ends. Mergeable in any order, like a tally.
//!
//! What each line item type gives (the CUR's own accounting, checked against
//! DuckDB on the WorkshopCUR months: commitment = used + unused):
//! - `RIFee`: the reservation's cost for the period (its recurring fee, the
//!   unblended cost, plus its upfront fee amortized over the period) and what
//!   went unused (`reservation_unused_*`), one row a month: spread evenly over
//!   the month's days, so that use can be read per day;
//! - `DiscountedUsage`: usage the reservation covered, at its effective cost;
//! - `SavingsPlanRecurringFee`: the plan's commitment for the hour
//!   (`savings_plan_total_commitment_to_date`) and what was used of it;
//! - `SavingsPlanCoveredUsage`: usage the plan covered, at its effective cost.
//!
//! Covered usage also carries its public on-demand price (`pricing_public_on_demand_cost`).
//!
//! FOCUS says it in its own columns: a commitment's rows carry its
//! `CommitmentDiscountId`, the `Used` ones the usage it covered (at
//! `EffectiveCost`, and `ListCost` on demand), the `Unused` ones its waste (at
//! `EffectiveCost`); both together are what it cost for the period (its
//! `Purchase` rows say the same again, and are not added).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::fold::batch::Batch;
use crate::fold::cube_kernel::{amount_column, days};
use crate::fold::kernel::{Interner, RowTexts, encode_currency};
use crate::fold::sum::CompensatedSum;
use crate::schema::catalogue::Field;
use crate::vocab::dates::{NO_DAY, month_start};

/// A Reserved Instance or a Savings Plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CommitmentKind {
    /// A Reserved Instance (`reservation_reservation_a_r_n`).
    Reservation,
    /// A Savings Plan (`savings_plan_savings_plan_a_r_n`).
    SavingsPlan,
}

/// What one commitment did in one day, in one currency.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommitmentSums {
    /// What it cost for the period (amortized): the commitment.
    pub commitment: CompensatedSum,
    /// Of that, what went unused.
    pub unused: CompensatedSum,
    /// Usage it covered, at its effective cost.
    pub effective: CompensatedSum,
    /// The same usage at public on-demand prices.
    pub on_demand: CompensatedSum,
    /// Rows of covered usage.
    pub covered_rows: u64,
    /// The last day it runs (days since 1970-01-01), where the files say.
    pub ends: Option<i32>,
}

impl CommitmentSums {
    fn merge(&mut self, other: &CommitmentSums) {
        self.commitment.merge(&other.commitment);
        self.unused.merge(&other.unused);
        self.effective.merge(&other.effective);
        self.on_demand.merge(&other.on_demand);
        self.covered_rows += other.covered_rows;
        self.ends = self.ends.max(other.ends);
    }
}

/// One commitment's key: its kind, ARN, currency and day.
pub type CommitmentKey = (CommitmentKind, String, String, i32);

/// What a commitment paid for one resource: its kind, ARN, currency, the
/// resource's id and account (empty where the files have none).
pub type CoveredKey = (CommitmentKind, String, String, String, String);

/// The usage a commitment paid for one resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CoveredSums {
    /// At the commitment's effective cost.
    pub effective: CompensatedSum,
    /// At public on-demand prices.
    pub on_demand: CompensatedSum,
    /// Rows.
    pub rows: u64,
}

impl CoveredSums {
    fn merge(&mut self, other: &CoveredSums) {
        self.effective.merge(&other.effective);
        self.on_demand.merge(&other.on_demand);
        self.rows += other.rows;
    }
}

/// Every commitment's sums, per day, with the span of days the files' usage
/// covers (for what ends soon after it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Listed", into = "Listed")]
pub struct Commitments {
    /// Per commitment and day.
    pub cells: BTreeMap<CommitmentKey, CommitmentSums>,
    /// Per commitment and resource, the usage it paid.
    pub covered: BTreeMap<CoveredKey, CoveredSums>,
    /// The first and last day of the rows read, where they have one.
    pub span: Option<(i32, i32)>,
}

#[derive(Serialize, Deserialize)]
struct Listed {
    cells: Vec<(CommitmentKey, CommitmentSums)>,
    #[serde(default)]
    covered: Vec<(CoveredKey, CoveredSums)>,
    span: Option<(i32, i32)>,
}

impl From<Listed> for Commitments {
    fn from(listed: Listed) -> Self {
        let mut commitments = Commitments { cells: BTreeMap::new(), covered: BTreeMap::new(), span: listed.span };
        for (key, sums) in listed.cells {
            commitments.cells.entry(key).or_default().merge(&sums);
        }
        for (key, sums) in listed.covered {
            commitments.covered.entry(key).or_default().merge(&sums);
        }
        commitments
    }
}

impl From<Commitments> for Listed {
    fn from(commitments: Commitments) -> Self {
        Listed {
            cells: commitments.cells.into_iter().collect(),
            covered: commitments.covered.into_iter().collect(),
            span: commitments.span,
        }
    }
}

impl Commitments {
    /// Folds another in.
    pub fn merge(&mut self, other: &Commitments) {
        for (key, sums) in &other.cells {
            self.cells.entry(key.clone()).or_default().merge(sums);
        }
        for (key, sums) in &other.covered {
            self.covered.entry(key.clone()).or_default().merge(sums);
        }
        self.span = match (self.span, other.span) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (a, b) => a.or(b),
        };
    }
}

/// What a row of a line item type does to its commitment.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    ReservationFee,
    ReservationUsage,
    PlanFee,
    PlanUsage,
    Other,
}

fn role(line_item_type: &str) -> Role {
    match line_item_type {
        "RIFee" => Role::ReservationFee,
        "DiscountedUsage" => Role::ReservationUsage,
        "SavingsPlanRecurringFee" => Role::PlanFee,
        "SavingsPlanCoveredUsage" => Role::PlanUsage,
        _ => Role::Other,
    }
}

/// The resource and account of a batch's rows, looked at only on the rows a
/// commitment paid (a column of resource ids is as long as the bill).
struct Whose<'a> {
    resources: Option<RowTexts<'a>>,
    accounts: Option<RowTexts<'a>>,
}

impl<'a> Whose<'a> {
    fn of(batch: &Batch<'a>) -> Result<Self> {
        Ok(Whose {
            resources: batch.get(Field::ResourceId).map(RowTexts::of).transpose()?,
            accounts: batch.get(Field::Account).map(RowTexts::of).transpose()?,
        })
    }
}

/// What each commitment paid per resource and account, their ids interned
/// only as covered rows meet them.
#[derive(Default)]
struct Covered {
    resources: Interner,
    accounts: Interner,
    sums: HashMap<(CommitmentKind, u32, u32, u32, u32), CoveredSums>,
}

impl Covered {
    /// Adds a covered row to what its commitment paid for its resource.
    fn add(
        &mut self,
        (kind, arn, currency): (CommitmentKind, u32, u32),
        whose: &Whose<'_>,
        row: usize,
        effective: f64,
        on_demand: f64,
    ) {
        let resource = self.resources.id(whose.resources.as_ref().and_then(|t| t.get(row)));
        let account = self.accounts.id(whose.accounts.as_ref().and_then(|t| t.get(row)));
        let sums = self.sums.entry((kind, arn, currency, resource, account)).or_default();
        sums.effective.add(effective);
        sums.on_demand.add(on_demand);
        sums.rows += 1;
    }
}

/// Which commitments' resources a scan keeps (a column as long as the bill,
/// so kept only when asked for).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Paying {
    /// None: the Commitments tab's figures.
    #[default]
    Nothing,
    /// This commitment's (its ARN, or FOCUS `CommitmentDiscountId`).
    One(String),
    /// Every commitment's (`ducks commitments --resources`).
    All,
}

/// Accumulates the batches of one commitments scan.
#[derive(Default)]
pub struct CommitmentKernel {
    /// Whose resources it keeps.
    paying: Paying,
    types: Interner,
    type_ids: Vec<u32>,
    roles: Vec<Role>,
    arns: [Interner; 2],
    arn_ids: [Vec<u32>; 2],
    currencies: Interner,
    currency_ids: Vec<u32>,
    days: Vec<i32>,
    ends: [Vec<i32>; 2],
    /// Per row, in order: unblended, list, reservation effective, unused upfront,
    /// unused recurring, upfront for the period, plan effective, plan commitment,
    /// plan used, FOCUS's effective cost.
    amounts: [Vec<f64>; 10],
    /// FOCUS: commitment ids, statuses and kinds.
    focus: [Interner; 3],
    focus_ids: [Vec<u32>; 3],
    scratch: Vec<f64>,
    cells: BTreeMap<(CommitmentKind, u32, u32, i32), CommitmentSums>,
    /// Per commitment, currency, resource and account: what it paid.
    covered: Covered,
    span: Option<(i32, i32)>,
}

const AMOUNTS: [Field; 9] = [
    Field::ListCost,
    Field::ReservationEffectiveCost,
    Field::ReservationUnusedUpfront,
    Field::ReservationUnusedRecurring,
    Field::ReservationUpfrontForPeriod,
    Field::SavingsPlanEffectiveCost,
    Field::SavingsPlanTotalCommitment,
    Field::SavingsPlanUsedCommitment,
    Field::EffectiveCost,
];

impl CommitmentKernel {
    /// A kernel that also keeps what `paying`'s commitments paid per resource.
    pub fn paying(paying: Paying) -> CommitmentKernel {
        CommitmentKernel { paying, ..CommitmentKernel::default() }
    }

    /// Whose resources this batch keeps: every commitment's, or per ARN
    /// interner (reservations, Savings Plans) the one wanted's id.
    fn kept(&mut self) -> (bool, [Option<u32>; 2]) {
        match &self.paying {
            Paying::Nothing => (false, [None; 2]),
            Paying::All => (true, [None; 2]),
            Paying::One(wanted) => {
                let wanted = Some(wanted.as_str());
                (false, [Some(self.arns[0].id(wanted)), Some(self.arns[1].id(wanted))])
            }
        }
    }

    /// Folds one batch in.
    pub fn add(&mut self, batch: &Batch<'_>) -> Result<()> {
        let rows = batch.rows();
        self.types.encode(batch.line_item_type, &mut self.type_ids)?;
        while self.roles.len() < self.types.len() {
            self.roles.push(role(self.types.label(self.roles.len())));
        }
        encode_currency(&mut self.currencies, batch, &mut self.currency_ids)?;
        days(batch.get(Field::UsageStart), rows, &mut self.days);
        for day in self.days.iter().copied().filter(|&d| d != NO_DAY) {
            self.span = Some(self.span.map_or((day, day), |(a, b)| (a.min(day), b.max(day))));
        }
        for (slot, (arn, end)) in
            [(Field::ReservationArn, Field::ReservationEnd), (Field::SavingsPlanArn, Field::SavingsPlanEnd)]
                .into_iter()
                .enumerate()
        {
            match batch.get(arn) {
                Some(column) => self.arns[slot].encode(column, &mut self.arn_ids[slot])?,
                None => {
                    let blank = self.arns[slot].id(None);
                    self.arn_ids[slot].clear();
                    self.arn_ids[slot].resize(rows, blank);
                }
            }
            days(batch.get(end), rows, &mut self.ends[slot]);
        }
        amount_column(batch.cost, &mut self.scratch, &mut self.amounts[0])?;
        for (index, field) in AMOUNTS.into_iter().enumerate() {
            let out = &mut self.amounts[index + 1];
            match batch.get(field) {
                Some(column) => amount_column(column, &mut self.scratch, out)?,
                None => {
                    out.clear();
                    out.resize(rows, 0.0);
                }
            }
        }
        let whose = Whose::of(batch)?;
        let (all, wanted) = self.kept();
        let keeps = |slot: usize, arn: u32| all || wanted[slot] == Some(arn);
        if batch.get(Field::CommitmentId).is_some() {
            return self.add_focus(batch, rows, &whose, keeps);
        }
        let blanks = [self.arns[0].id(None), self.arns[1].id(None)];
        let amount = |index: usize, row: usize| self.amounts[index][row];
        for row in 0..rows {
            let role = self.roles[self.type_ids[row] as usize];
            let (slot, kind) = match role {
                Role::ReservationFee | Role::ReservationUsage => (0, CommitmentKind::Reservation),
                Role::PlanFee | Role::PlanUsage => (1, CommitmentKind::SavingsPlan),
                Role::Other => continue,
            };
            let arn = self.arn_ids[slot][row];
            if arn == blanks[slot] {
                continue;
            }
            let day = self.days[row];
            let currency = self.currency_ids[row];
            let end = Some(self.ends[slot][row]).filter(|&end| end != NO_DAY);
            if role == Role::ReservationFee {
                // A month's fee, spread over its days.
                let (commitment, unused) = (amount(0, row) + amount(5, row), amount(3, row) + amount(4, row));
                let days = if day == NO_DAY {
                    NO_DAY..NO_DAY + 1
                } else {
                    let first = month_start(day);
                    first..month_start(first + 31)
                };
                let share = 1.0 / days.len() as f64;
                for day in days {
                    let cell = self.cells.entry((kind, arn, currency, day)).or_default();
                    cell.commitment.add(commitment * share);
                    cell.unused.add(unused * share);
                    cell.ends = cell.ends.max(end);
                }
                continue;
            }
            let cell = self.cells.entry((kind, arn, currency, day)).or_default();
            match role {
                Role::ReservationUsage => {
                    cell.effective.add(amount(2, row));
                    cell.on_demand.add(amount(1, row));
                    cell.covered_rows += 1;
                    if keeps(slot, arn) {
                        self.covered.add((kind, arn, currency), &whose, row, amount(2, row), amount(1, row));
                    }
                }
                Role::PlanFee => {
                    cell.commitment.add(amount(7, row));
                    cell.unused.add(amount(7, row) - amount(8, row));
                }
                Role::PlanUsage => {
                    cell.effective.add(amount(6, row));
                    cell.on_demand.add(amount(1, row));
                    cell.covered_rows += 1;
                    if keeps(slot, arn) {
                        self.covered.add((kind, arn, currency), &whose, row, amount(6, row), amount(1, row));
                    }
                }
                // Fees were spread over their month above; other types skipped.
                Role::ReservationFee | Role::Other => {}
            }
            cell.ends = cell.ends.max(end);
        }
        Ok(())
    }

    /// A FOCUS batch: each row of a commitment is its `Used` part (usage it
    /// covered) or its `Unused` part (waste), both at their effective cost.
    fn add_focus(
        &mut self,
        batch: &Batch<'_>,
        rows: usize,
        whose: &Whose<'_>,
        keeps: impl Fn(usize, u32) -> bool,
    ) -> Result<()> {
        for (slot, field) in
            [Field::CommitmentId, Field::CommitmentStatus, Field::CommitmentType].into_iter().enumerate()
        {
            match batch.get(field) {
                Some(column) => self.focus[slot].encode(column, &mut self.focus_ids[slot])?,
                None => {
                    let blank = self.focus[slot].id(None);
                    self.focus_ids[slot].clear();
                    self.focus_ids[slot].resize(rows, blank);
                }
            }
        }
        let no_id = self.focus[0].id(None);
        for row in 0..rows {
            let id = self.focus_ids[0][row];
            if id == no_id {
                continue;
            }
            let used = match self.focus[1].label(self.focus_ids[1][row] as usize) {
                "Used" => true,
                "Unused" => false,
                // Purchases repeat what the Used and Unused rows spread over the period.
                _ => continue,
            };
            let kind = if self.focus[2].label(self.focus_ids[2][row] as usize).contains("Savings") {
                CommitmentKind::SavingsPlan
            } else {
                CommitmentKind::Reservation
            };
            // The commitment's ids go in the ARN interner of their kind, so ids and ARNs share one key space.
            let slot = usize::from(kind == CommitmentKind::SavingsPlan);
            let key_id = self.arns[slot].id(Some(self.focus[0].label(id as usize)));
            let effective = self.amounts[9][row];
            let cell = self.cells.entry((kind, key_id, self.currency_ids[row], self.days[row])).or_default();
            cell.commitment.add(effective);
            if used {
                cell.effective.add(effective);
                cell.on_demand.add(self.amounts[1][row]);
                cell.covered_rows += 1;
                if keeps(slot, key_id) {
                    let key = (kind, key_id, self.currency_ids[row]);
                    self.covered.add(key, whose, row, effective, self.amounts[1][row]);
                }
            } else {
                cell.unused.add(effective);
            }
        }
        Ok(())
    }

    /// The sums of every commitment met.
    pub fn finish(self) -> Commitments {
        let mut commitments = Commitments { cells: BTreeMap::new(), covered: BTreeMap::new(), span: self.span };
        let slot_of = |kind: CommitmentKind| usize::from(kind == CommitmentKind::SavingsPlan);
        let Covered { resources, accounts, sums: covered } = self.covered;
        for ((kind, arn, currency, resource, account), sums) in covered {
            let key = (
                kind,
                self.arns[slot_of(kind)].label(arn as usize).to_owned(),
                self.currencies.label(currency as usize).to_owned(),
                resources.label(resource as usize).to_owned(),
                accounts.label(account as usize).to_owned(),
            );
            commitments.covered.entry(key).or_default().merge(&sums);
        }
        for ((kind, arn, currency, day), sums) in self.cells {
            let slot = match kind {
                CommitmentKind::Reservation => 0,
                CommitmentKind::SavingsPlan => 1,
            };
            let key = (
                kind,
                self.arns[slot].label(arn as usize).to_owned(),
                self.currencies.label(currency as usize).to_owned(),
                day,
            );
            commitments.cells.entry(key).or_default().merge(&sums);
        }
        commitments
    }
}
