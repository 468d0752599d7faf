//! Taking the figures elsewhere: the table as CSV or JSON, and the SQL that
//! computes the same figures in DuckDB or Athena.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::AppState;
use crate::browser::output;
use crate::engine::sql::Dialect;

/// What to export, made on demand from the current figures.
#[derive(Clone, Copy)]
pub struct Export {
    /// The file name, without extension.
    pub name: Signal<String>,
    /// The table as CSV.
    pub csv: Signal<String>,
    /// The figures as JSON.
    pub json: Signal<String>,
    /// The SQL for a dialect.
    pub sql: Callback<Dialect, Option<String>>,
}

/// Buttons to download the table and a panel with the SQL.
#[component]
pub fn Exports(
    /// What to export.
    export: Export,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let dialect = RwSignal::new(Dialect::DuckDb);
    let copied = RwSignal::new(None::<String>);
    let sql = move || export.sql.run(dialect.get()).unwrap_or_default();
    let save = move |extension: &'static str, mime: &'static str, text: String| {
        let name = format!("{}.{extension}", export.name.get_untracked());
        if let Err(problem) = output::download(&name, mime, &text) {
            state.settings_notice.set(Some(problem.to_string()));
        }
    };
    view! {
        <div class="exports">
            <button class="button" type="button" on:click=move |_| save("csv", "text/csv", export.csv.get_untracked())>
                "Download CSV"
            </button>
            <button
                class="button"
                type="button"
                on:click=move |_| save("json", "application/json", export.json.get_untracked())
            >
                "Download JSON"
            </button>
            <details class="exports__sql">
                <summary>"SQL for these figures"</summary>
                <p class="exports__hint">
                    "The same figures from the files themselves, for DuckDB, or from your CUR table in Athena (the way to run this on a billion rows)."
                </p>
                <div class="exports__dialects" role="radiogroup" aria-label="SQL dialect">
                    {[(Dialect::DuckDb, "DuckDB"), (Dialect::Athena, "Athena")]
                        .map(|(d, title)| {
                            let id = format!("dialect-{}", title.to_lowercase());
                            view! {
                                <input
                                    id=id.clone()
                                    type="radio"
                                    name="dialect"
                                    prop:checked=move || dialect.get() == d
                                    on:change=move |_| dialect.set(d)
                                />
                                <label for=id>{title}</label>
                            }
                        })
                        .collect_view()}
                </div>
                <pre class="exports__code" data-testid="sql" tabindex="0"><code>{sql}</code></pre>
                <button
                    class="button"
                    type="button"
                    on:click=move |_| {
                        let text = sql();
                        spawn_local(async move {
                            copied.set(Some(match output::copy(&text).await {
                                Ok(()) => "Copied.".into(),
                                Err(problem) => problem.to_string(),
                            }));
                        });
                    }
                >
                    "Copy SQL"
                </button>
                <span class="exports__copied" role="status">{move || copied.get()}</span>
            </details>
        </div>
    }
}
