//! The Commitments tab: whether the Savings Plans and Reserved Instances pay.
//! Read when first shown (a scan of their own columns), then: per currency what
//! they cost, how much was used (utilization) and wasted, what the usage they
//! covered would have cost on demand (savings); those ending within 30, 60 and
//! 90 days of the files' last day; and every commitment in a table. The figures
//! are the engine's (`commitments::commitment_report`), as `ducks commitments` prints them.

use leptos::prelude::*;

use std::rc::Rc;

use leptos::task::spawn_local;

use super::state::{AppState, CommitmentsStage, Phase};
use crate::browser::analysis::{Progress, Stopped, scan_paid};
use crate::browser::intl::money;
use crate::engine::commitments::{
    CommitmentReport, CommitmentRow, CoverageBy, EXPIRY_STEPS, commitment_report, coverage,
};
use crate::engine::view::View;
use crate::engine::{CommitmentKind, format};

/// The tab's panel.
#[component]
pub fn Commitments() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Read when the tab is shown (and again for new files).
    Effect::new(move |_| {
        let shown = state.view.with(|v| v.tab == crate::engine::view::Tab::Commitments);
        let stage_not_read = state.commitments.with(|s| matches!(s, CommitmentsStage::NotRead));
        if shown && stage_not_read && state.analysis.with(Option::is_some) {
            state.ensure_commitments();
        }
    });
    let report = Memo::new(move |_| {
        state.commitments.with(|stage| match stage {
            CommitmentsStage::Ready(read) => Some(commitment_report(&read.commitments)),
            _ => None,
        })
    });
    view! {
        <section class="commitments" data-testid="commitments" aria-label="Savings Plans and Reserved Instances">
            {move || state.commitments.with(|stage| match stage {
                CommitmentsStage::NotRead => None,
                CommitmentsStage::Reading(progress) => {
                    let fraction = progress.fraction();
                    Some(view! {
                        <div class="explorer__wait" role="status" data-testid="commitments-status">
                            <progress class="status__bar" max="1" value=fraction aria-label="Reading progress"></progress>
                            <p>{format!("Reading the Savings Plans and reservations ({:.0}%)…", fraction * 100.0)}</p>
                        </div>
                    }.into_any())
                }
                CommitmentsStage::Failed(problem) => Some(view! {
                    <p class="status__text--error" role="alert" data-testid="commitments-status">{problem.clone()}</p>
                }.into_any()),
                CommitmentsStage::Ready(read) => (!read.problems.is_empty()).then(|| view! {
                    <p class="status__text--error" role="alert">{format!("Left out: {}", read.problems.join(" "))}</p>
                }.into_any()),
            })}
            {move || report.get().map(|report| view! { <Summary report=report.clone()/> <Table report=report/> })}
            <CoverageSection/>
        </section>
    }
}

/// What they cost, used, wasted and saved, per currency, and what ends soon.
#[component]
fn Summary(report: CommitmentReport) -> impl IntoView {
    if report.commitments.is_empty() {
        return view! {
            <p class="commitments__none" data-testid="commitments-none">
                "These files hold no Savings Plan or reservation line items (RIFee, DiscountedUsage, "
                "SavingsPlanRecurringFee, SavingsPlanCoveredUsage; in FOCUS, rows with a CommitmentDiscountId)."
            </p>
        }
        .into_any();
    }
    let last = report.span.as_ref().map(|(_, last)| last.clone()).unwrap_or_default();
    let soon: Vec<(i64, Vec<CommitmentRow>)> =
        EXPIRY_STEPS.iter().map(|&days| (days, report.ending_within(days).cloned().collect())).collect();
    view! {
        <div class="commitments__summary">
            {report.totals.iter().map(|t| {
                let m = |amount: f64| money(amount, &t.currency);
                view! {
                    <dl class="figures" data-testid="commitments-total" data-currency=t.currency.clone()
                        data-commitment=t.commitment.to_string() data-unused=t.unused.to_string()
                        data-on-demand=t.on_demand.to_string() data-savings=t.savings.to_string()>
                        <div class="figures__item"><dt>"Committed"</dt><dd>{m(t.commitment)}</dd></div>
                        <div class="figures__item"><dt>"Used"</dt><dd>{format!("{} ({})", m(t.used), percent(t.utilization))}</dd></div>
                        <div class="figures__item"><dt>"Unused (waste)"</dt><dd>{m(t.unused)}</dd></div>
                        <div class="figures__item"><dt>"Covered usage on demand"</dt><dd>{m(t.on_demand)}</dd></div>
                        <div class="figures__item figures__item--key"><dt>"Saved"</dt>
                            <dd>{format!("{} ({})", m(t.savings), percent(t.savings_rate))}</dd></div>
                    </dl>
                    <details class="commitments__daily" data-testid="commitments-daily" data-currency=t.currency.clone()>
                        <summary>{format!("Use per day ({} days)", t.days.len())}</summary>
                        <div class="table-wrap" tabindex="0" role="region" aria-label="Use per day">
                            <table class="services">
                                <thead>
                                    <tr>
                                        <th scope="col">"Day"</th>
                                        <th scope="col" class="numeric">"Committed"</th>
                                        <th scope="col" class="numeric">"Used"</th>
                                        <th scope="col" class="numeric">"Unused"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {t.days.iter().map(|(day, commitment, unused)| {
                                        let used = (*commitment != 0.0).then(|| (commitment - unused) / commitment);
                                        view! {
                                            <tr data-day=day.clone() data-commitment=commitment.to_string() data-unused=unused.to_string()>
                                                <th scope="row">{day.clone()}</th>
                                                <td class="numeric">{m(*commitment)}</td>
                                                <td class="numeric">{percent(used)}</td>
                                                <td class="numeric">{m(*unused)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </details>
                }
            }).collect_view()}
            {report.without_fee().map(|sentence| view! {
                <p class="commitments__hint" role="note" data-testid="commitments-without-fee">
                    {format!("{}{}.", sentence[..1].to_uppercase(), &sentence[1..])}
                </p>
            })}
            <p class="commitments__hint">
                "Committed: what the commitments cost for the months read (recurring fees and upfront fees spread over the period). "
                "Used: the effective cost of the usage they covered; the rest went unused. Saved: what that usage would have cost at "
                "public on-demand prices, less what was committed."
            </p>
            <ul class="commitments__soon" data-testid="commitments-ending">
                {(soon.iter().all(|(_, rows)| rows.is_empty())).then(|| {
                    // Nothing ends soon: one line, with the first end ahead.
                    let next = report.commitments.iter().filter(|c| c.ends_in_days.is_some_and(|d| d >= 0)).filter_map(|c| c.ends.clone()).min();
                    let next = next.map_or_else(String::new, |day| format!("; the first ends on {day}"));
                    view! { <li data-days=90>{format!("None ends within 90 days of the files' last day ({last}){next}.")}</li> }
                })}
                {soon.iter().any(|(_, rows)| !rows.is_empty()).then(|| soon.into_iter().map(|(days, rows)| {
                    let text = match rows.len() {
                        0 => format!("None ends within {days} days of the files' last day ({last})."),
                        1 => format!("1 ends within {days} days of {last}: {}.", ending(&rows[0])),
                        n => format!("{n} end within {days} days of {last}: {}.", rows.iter().map(ending).collect::<Vec<_>>().join("; ")),
                    };
                    view! { <li data-days=days>{text}</li> }
                }).collect_view())}
            </ul>
        </div>
    }
    .into_any()
}

/// A commitment ending soon, in words: its ARN's tail, its end, and what it covered.
fn ending(row: &CommitmentRow) -> String {
    format!(
        "{} on {} (it covered {} of usage at on-demand prices)",
        format::shorten_middle(&row.arn, 40),
        row.ends.as_deref().unwrap_or("?"),
        money(row.on_demand, &row.currency)
    )
}

/// Every commitment.
#[component]
fn Table(report: CommitmentReport) -> impl IntoView {
    (!report.commitments.is_empty()).then(|| {
            view! {
            // Its rows hold no control, so the region itself takes the focus to be scrolled.
            <div class="table-wrap" tabindex="0" role="region" aria-label="Every commitment">
                <table class="services" data-testid="commitments-table">
                    <caption class="services__caption">{format!("{} commitments, the largest first", report.commitments.len())}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Commitment"</th>
                            <th scope="col" class="numeric">"Committed"</th>
                            <th scope="col" class="numeric">"Used"</th>
                            <th scope="col" class="numeric">"Unused"</th>
                            <th scope="col" class="numeric">"On demand"</th>
                            <th scope="col" class="numeric">"Saved"</th>
                            <th scope="col">"Ends"</th>
                            <th scope="col"><span class="visually-hidden">"Usage it paid"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {report.commitments.iter().map(|c| {
                            let kind = match c.kind {
                                CommitmentKind::Reservation => "Reserved Instance",
                                CommitmentKind::SavingsPlan => "Savings Plan",
                            };
                            let m = |amount: f64| money(amount, &c.currency);
                            view! {
                                <tr data-arn=c.arn.clone() data-commitment=c.commitment.to_string()
                                    data-utilization=c.utilization.map(|u| u.to_string()).unwrap_or_default()>
                                    <th scope="row" title=c.arn.clone()>
                                        <span class="commitments__kind">{kind}</span>" "
                                        {format::shorten_middle(&c.arn, 30)}
                                    </th>
                                    <td class="numeric">{m(c.commitment)}</td>
                                    <td class="numeric">{percent(c.utilization)}</td>
                                    <td class="numeric">{m(c.unused)}</td>
                                    <td class="numeric">{m(c.on_demand)}</td>
                                    <td class="numeric">{c.savings.map_or_else(|| "—".to_owned(), m)}</td>
                                    <td>{c.ends.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td>
                                        <CoveredLink kind=c.kind arn=c.arn.clone()/>
                                        <PaidResources row=c.clone()/>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    })
}

/// A link to the explorer's view of the usage a commitment paid, by account
/// (`View::covered_by`): a real link, so it can be opened apart or copied.
#[component]
fn CoveredLink(kind: CommitmentKind, arn: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let target = View::covered_by(kind, &arn);
    let href = format!("?{}", target.to_query_string());
    // The visible words lead the accessible name, which then says whose usage and how it is grouped.
    let said = format!(" of {}, by account", format::shorten_middle(&arn, 30));
    view! {
        <a
            href=href
            class="commitments__covered"
            data-testid="commitment-covered"
            on:click=move |e| {
                e.prevent_default();
                let files = state.view.with_untracked(|v| v.files.clone());
                state.view.set(View { files, ..target.clone() });
            }
        >
            "Usage it paid"
            <span class="visually-hidden">{said}</span>
            <span aria-hidden="true">" →"</span>
        </a>
    }
}

/// The resources whose usage a commitment paid, the most first: read when
/// asked for (a scan of the resource column, for this commitment only).
#[component]
fn PaidResources(row: CommitmentRow) -> impl IntoView {
    let state = expect_context::<AppState>();
    let found: RwSignal<Phase<CommitmentRow>, LocalStorage> = RwSignal::new_local(Phase::NotRead);
    let arn = row.arn.clone();
    let read = move |_| {
        let Some(analysis) = state.analysis.get_untracked() else { return };
        let pool = state.pool.get_value();
        let arn = arn.clone();
        found.set(Phase::Reading(Progress::default()));
        spawn_local(async move {
            let on_progress = Rc::new(move |progress| found.set(Phase::Reading(progress)));
            // Wanted while these files are the ones in use.
            let current = Rc::clone(&analysis);
            let wanted =
                move || state.analysis.with_untracked(|now| now.as_ref().is_some_and(|now| Rc::ptr_eq(now, &current)));
            match scan_paid(&pool, &analysis, arn.clone(), on_progress, wanted).await {
                Ok(read) => {
                    let report = commitment_report(&read.commitments);
                    match report.commitments.into_iter().find(|c| c.arn == arn) {
                        Some(row) => found.set(Phase::Ready(Rc::new(row))),
                        None => found.set(Phase::Failed(format!("The files no longer hold {arn}."))),
                    }
                }
                Err(Stopped::Cancelled) => found.set(Phase::NotRead),
                Err(Stopped::Unavailable(problem)) => found.set(Phase::Failed(problem.to_string())),
            }
        });
    };
    let currency = row.currency.clone();
    (row.covered_rows > 0).then(|| view! {
        {move || found.with(|phase| match phase {
            Phase::NotRead => view! {
                <button class="button" type="button" data-testid="commitment-resources-read" on:click=read.clone()>
                    "Resources it paid"
                </button>
            }.into_any(),
            Phase::Reading(progress) => {
                let fraction = progress.fraction();
                view! { <span role="status">{format!("Reading the resources ({:.0}%)…", fraction * 100.0)}</span> }.into_any()
            }
            Phase::Failed(problem) => view! { <span class="status__text--error" role="alert">{problem.clone()}</span> }.into_any(),
            Phase::Ready(paid) => {
                let more = paid.resources_count - paid.resources.len();
                view! {
                    <details class="commitments__resources" data-testid="commitment-resources" data-count=paid.resources_count open>
                        <summary>{format!("{} resources", format::count(paid.resources_count as u64))}</summary>
                        <ul>
                            {paid.resources.iter().map(|p| view! {
                                <li data-resource=p.resource.clone() data-account=p.account.clone() data-effective=p.effective.to_string()>
                                    {format!(
                                        "{} ({}): {}",
                                        if p.resource.is_empty() { "(no resource id)" } else { &p.resource },
                                        p.account,
                                        money(p.effective, &currency)
                                    )}
                                </li>
                            }).collect_view()}
                        </ul>
                        {(more > 0).then(|| view! { <p>{format!("and {} more", format::count(more as u64))}</p> })}
                    </details>
                }.into_any()
            }
        })}
    })
}

/// Of the usage a commitment could cover, the share that was, by a grouping
/// the person picks; from the explorer's cube, so it comes with the explorer.
#[component]
fn CoverageSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let by = RwSignal::new(CoverageBy::Service);
    let found = Memo::new(move |_| state.cube.with(|cube| cube.as_ref().map(|cube| coverage(cube, by.get()))));
    view! {
        <section class="commitments__coverage" data-testid="coverage-of-commitments" aria-labelledby="coverage-title">
            <h3 id="coverage-title" class="totals__title">"Coverage"</h3>
            <p class="commitments__hint">
                "Usage a commitment could cover: compute time of EC2, Fargate, Lambda, RDS, ElastiCache, Redshift, "
                "OpenSearch, SageMaker and MemoryDB (Compute Savings Plans cover EC2, Fargate and Lambda; EC2 Instance "
                "Savings Plans one family in one region; reservations match by service, instance type, region and "
                "platform). Spot is not covered. Covered usage is counted at its public on-demand price."
            </p>
            <div class="controls__field">
                <label for="coverage-by">"By"</label>
                <select
                    id="coverage-by"
                    prop:value=move || by.get().key()
                    on:change=move |e| {
                        if let Some(chosen) = CoverageBy::from_key(&event_target_value(&e)) {
                            by.set(chosen);
                        }
                    }
                >
                    {CoverageBy::ALL.map(|b| view! { <option value=b.key()>{b.label()}</option> }).collect_view()}
                </select>
            </div>
            {move || match found.get() {
                None => view! { <p class="explorer__wait">"Coverage appears once the files are read for the explorer…"</p> }.into_any(),
                Some(found) => view! {
                    {found.totals.iter().map(|t| view! {
                        <p data-testid="coverage-total" data-currency=t.currency.clone()
                            data-covered=t.covered.to_string() data-uncovered=t.uncovered.to_string()>
                            {format!(
                                "Of {} of usage a commitment could cover (at on-demand prices), {} ({}) was covered; {} ran on demand.",
                                money(t.covered + t.uncovered, &t.currency),
                                money(t.covered, &t.currency),
                                percent(t.coverage),
                                money(t.uncovered, &t.currency)
                            )}
                        </p>
                    }).collect_view()}
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Coverage by group">
                        <table class="services" data-testid="coverage-table">
                            <caption class="visually-hidden">"Coverage of eligible usage"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{by.get().label()}</th>
                                    <th scope="col" class="numeric">"Covered"</th>
                                    <th scope="col" class="numeric">"On demand"</th>
                                    <th scope="col" class="numeric">"Coverage"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {found.groups.iter().map(|g| view! {
                                    <tr data-key=g.key.clone() data-covered=g.covered.to_string() data-uncovered=g.uncovered.to_string()>
                                        <th scope="row">{state.shown_label(crate::engine::Dimension::Account, &g.key)}</th>
                                        <td class="numeric">{money(g.covered, &g.currency)}</td>
                                        <td class="numeric">{money(g.uncovered, &g.currency)}</td>
                                        <td class="numeric">{percent(g.coverage)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// A share as people read it here: `82.6 %`, or a dash where there is none.
fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.1} %", s * 100.0))
}
