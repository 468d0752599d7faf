//! The diagnostics panel (the original service's logging): per file, the schema
//! recognised, the columns used, rows read and kept, null costs, notes, and the
//! time each phase took. Copyable as text for a bug report.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::{AppState, Phase, Status};
use crate::browser::analysis::{Analysis, Explored, FileExplored, FileOutcome};
use crate::browser::output;
use crate::browser::pool::Startup;
use crate::engine::{Delivery, Discounts, Outline, Tally, UsageRule, cost_report, format};

/// The diagnostics tab.
#[component]
pub fn Diagnostics() -> impl IntoView {
    let state = expect_context::<AppState>();
    let copied = RwSignal::new(None::<String>);
    // The check of each file is read when the tab is shown (and again for new files).
    Effect::new(move |_| {
        let shown = state.view.with(|v| v.tab == crate::engine::view::Tab::Diagnostics);
        let not_read = state.checks.with(|s| matches!(s, Phase::NotRead));
        if shown && not_read && state.analysis.with(Option::is_some) {
            state.ensure_checks();
        }
    });
    let report = move || {
        let usage = state.view.with(|v| v.usage.clone());
        let memory = match state.status.get() {
            Status::Done { worker_memory, .. } => worker_memory,
            _ => 0,
        };
        let skipped = state.skipped.get();
        state.analysis.with(|a| {
            a.as_ref().map(|a| {
                let pool = state.pool.get_value();
                let explored = state.explored.get();
                let mut text = text_report(a, &explored, &usage, pool.size(), memory);
                text.insert_str(
                    text.find('\n').map_or(0, |end| end + 1),
                    &startup_line(&pool.startup(), state.warmed_up.get()),
                );
                for line in &skipped {
                    text.push_str(&format!("{line}\n"));
                }
                text
            })
        })
    };
    view! {
        <div class="diagnostics">
            <p class="diagnostics__hint">
                "What was read from each file and how long it took. The text below holds no costs, only counts and column names: paste it into a bug report as it is."
            </p>
            <button
                class="button"
                type="button"
                on:click=move |_| {
                    let text = report().unwrap_or_default();
                    spawn_local(async move {
                        copied.set(Some(match output::copy(&text).await {
                            Ok(()) => "Copied.".into(),
                            Err(problem) => problem.to_string(),
                        }));
                    });
                }
            >
                "Copy diagnostics"
            </button>
            <span role="status">{move || copied.get()}</span>
            {move || {
                let skipped = state.skipped.get();
                (!skipped.is_empty()).then(|| {
                    view! {
                        <section class="diagnostics__file" data-testid="diagnostics-skipped">
                            <h3 class="diagnostics__name">{format!("{} files of the folder left out", skipped.len())}</h3>
                            <ul class="diagnostics__skipped">{skipped.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                        </section>
                    }
                })
            }}
            {move || {
                state.analysis.get().map(|analysis| {
                    let usage = state.view.with(|v| v.usage.clone());
                    let explored = state.explored.get();
                    let none = FileExplored::default();
                    analysis
                        .files
                        .iter()
                        .enumerate()
                        .map(|(i, file)| file_card(file, explored.files.get(i).unwrap_or(&none), &usage))
                        .collect_view()
                })
            }}
            <Checks/>
            <pre class="diagnostics__text" data-testid="diagnostics-text" tabindex="0">{report}</pre>
        </div>
    }
}

/// What each file gets wrong (`ducks check`'s rules), once read.
#[component]
fn Checks() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="diagnostics__file" data-testid="checks" aria-labelledby="checks-title">
            <h3 class="diagnostics__name" id="checks-title">"Check of each file"</h3>
            <p class="diagnostics__hint">
                "Which FOCUS version or CUR each file is, and what it gets wrong against the FOCUS specification "
                "and AWS's data dictionary, as ducks check prints it: a count, the first rows (1 is the first row "
                "after the header) and what to do."
            </p>
            {move || state.checks.with(|stage| match stage {
                Phase::NotRead => view! { <p class="explorer__wait">"The files are checked when this tab is shown."</p> }.into_any(),
                Phase::Reading(progress) => {
                    let fraction = progress.fraction();
                    view! {
                        <p class="explorer__wait" role="status" data-testid="checks-status">
                            {format!("Checking the files ({:.0}%)…", fraction * 100.0)}
                        </p>
                    }.into_any()
                }
                Phase::Failed(problem) => view! { <p class="status__text--error" role="alert">{problem.clone()}</p> }.into_any(),
                Phase::Ready(read) => view! {
                    {read.problems.iter().map(|p| view! { <p class="status__text--error" role="alert">{format!("Not checked: {p}")}</p> }).collect_view()}
                    {read.files.iter().map(|(name, check)| view! {
                        <div class="diagnostics__check" data-testid="check-file" data-file=name.clone() data-layout=check.layout.clone()>
                            <p>
                                <strong>{name.clone()}</strong>
                                {format!(": {}, {} rows, {}", check.layout, format::count(check.rows), check.summary())}
                            </p>
                            <ul class="diagnostics__findings">
                                {check.findings.iter().map(|f| {
                                    view! {
                                        <li data-testid="check-finding" data-rule=f.rule data-column=f.column.clone() data-count=f.count.to_string() title=f.source>
                                            {format!("{}{}", f.rows_said(), f.message)}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </div>
                    }).collect_view()}
                }.into_any(),
            })}
        </section>
    }
}

fn file_card(file: &FileOutcome, explored: &FileExplored, usage: &UsageRule) -> impl IntoView + use<> {
    let (usage_rows, nulls) = file
        .tally
        .cells()
        .filter(|(key, _)| usage.counts(key.line_item_type))
        .fold((0, 0), |(rows, nulls), (_, cell)| (rows + cell.rows, nulls + cell.null_costs));
    let rows: Vec<(&'static str, String)> = match &file.result {
        Err(problem) => vec![("Problem", problem.clone())],
        Ok(outline) => {
            let c = &outline.columns;
            let explore: Vec<String> = outline.optional.present().map(|(_, c)| c.name.clone()).collect();
            let timing = &file.timing;
            vec![
                ("Format", format!("{} as {} ({} columns)", c.format.label(), layout(outline), outline.column_count)),
                ("Columns used", format!("{} · {} · {}", c.line_item_type.name, c.service.name, c.cost.name)),
                ("Explorer columns", if explore.is_empty() { "none".into() } else { explore.join(", ") }),
                (
                    "Rows",
                    format!(
                        "{} read, {} counted as usage, {} with no cost",
                        format::count(file.tally.rows),
                        format::count(usage_rows),
                        format::count(nulls)
                    ),
                ),
                (
                    "Time",
                    format!(
                        "{:.0} ms footer, {:.0} ms costs{}",
                        timing.open,
                        timing.costs,
                        explored.ms.map(|ms| format!(", {ms:.0} ms explorer")).unwrap_or_default()
                    ),
                ),
                ("Notes", {
                    let notes = file_notes(outline, &file.tally, usage);
                    if notes.is_empty() { "none".into() } else { notes.join(" · ") }
                }),
            ]
        }
    };
    let explore_problem = explored.problem.clone();
    view! {
        <section class="diagnostics__file" data-testid="diagnostics-file">
            <h3 class="diagnostics__name">{file.name.clone()} <span class="diagnostics__size">{format!(" {} bytes", format::count(file.bytes))}</span></h3>
            <dl class="diagnostics__facts">
                {rows.into_iter().map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> }).collect_view()}
                {explore_problem.map(|p| view! { <dt>"Explorer"</dt><dd>{p}</dd> })}
            </dl>
        </section>
    }
}

/// How a file is laid out: Parquet's row groups, or how CSV is wrapped.
fn layout(outline: &Outline) -> String {
    match outline.delivery {
        Delivery::Parquet => format!("Parquet, {} row groups", outline.row_groups.len()),
        csv => csv.label().to_owned(),
    }
}

/// A file's notes: those of its columns, then what its rows call for (rows of
/// no service code, usage paid by commitments), in the costs page's words.
fn file_notes(outline: &Outline, tally: &Tally, usage: &UsageRule) -> Vec<String> {
    let report = cost_report(tally, 1, &Discounts::none(), usage);
    let mut notes = outline.notes.clone();
    notes.extend(report.fell_back.iter().map(|f| f.sentence(format::money)));
    notes.extend(report.covered.iter().map(|c| c.sentence(format::money)));
    notes
}

/// When the engine was ready, for the wait before a first file's figures.
fn startup_line(startup: &Startup, warmed_up: Option<f64>) -> String {
    let ready: Vec<String> = startup.ready.iter().map(|ms| format!("{ms:.0}")).collect();
    format!(
        "engine: {}, workers ready at {} ms after the page opened; {}\n",
        startup.compiled.map_or("compiled by each worker".into(), |ms| format!("compiled at {ms:.0} ms")),
        if ready.is_empty() { "none yet".into() } else { ready.join(", ") },
        warmed_up.map_or("the page had not warmed up when files came".into(), |ms| format!(
            "the page warmed up at {ms:.0} ms"
        )),
    )
}

/// The panel as plain text.
fn text_report(analysis: &Analysis, explored: &Explored, usage: &UsageRule, workers: usize, memory: u64) -> String {
    let mut out = format!(
        "ducks {} · {} files · {} workers · largest worker memory {} MB · usage types: {}\n",
        env!("CARGO_PKG_VERSION"),
        analysis.files.len(),
        workers,
        memory / (1 << 20),
        if usage.is_everything() { "all".to_owned() } else { usage.types().collect::<Vec<_>>().join(", ") },
    );
    for (index, file) in analysis.files.iter().enumerate() {
        out.push_str(&format!("\n{} ({} bytes)\n", file.name, file.bytes));
        match &file.result {
            Err(problem) => out.push_str(&format!("  refused: {problem}\n")),
            Ok(outline) => {
                let c = &outline.columns;
                out.push_str(&format!(
                    "  {} · {} · {} columns · {} rows\n  columns: {}, {}, {}\n  explorer columns: {}\n  time: {:.0} ms footer, {:.0} ms costs{}\n",
                    c.format.label(),
                    layout(outline),
                    outline.column_count,
                    file.tally.rows,
                    c.line_item_type.name,
                    c.service.name,
                    c.cost.name,
                    outline.optional.present().map(|(_, c)| c.name.as_str()).collect::<Vec<_>>().join(", "),
                    file.timing.open,
                    file.timing.costs,
                    explored.files.get(index).and_then(|f| f.ms).map(|ms| format!(", {ms:.0} ms explorer")).unwrap_or_default(),
                ));
                for note in file_notes(outline, &file.tally, usage) {
                    out.push_str(&format!("  note: {note}\n"));
                }
                if let Some(problem) = explored.files.get(index).and_then(|f| f.problem.as_ref()) {
                    out.push_str(&format!("  explorer: {problem}\n"));
                }
            }
        }
    }
    out
}
