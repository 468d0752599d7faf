//! What the files offer beyond the explorer's cube: the dimension read on
//! demand (a tag, a cost category, the resource), which ones there are, the
//! explorer's cube with the chosen one read in (a scan of the same pieces with
//! its column too), and the accounts' names.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{AppState, DetailKeys, DetailStage, InParts};
use crate::browser::analysis::{Analysis, Answered, Progress, Stopped, answer_in_parts, ask, explore_detail};
use crate::browser::pool::Pool;
use crate::engine::tags::{KeyShare, merge_keys, names_beside, pair_keys};
use crate::engine::view::View;
use crate::engine::{Column, Cube, Detail, DetailScan, Dimension, Outline};

/// Cells an on-demand cube may hold on the page (about 150 bytes each, and
/// every change of the view queries them all on the main thread). A
/// question's cube has about one cell per group (`Question::scan`), so this is
/// about a million groups: 315k resources answer in seconds (e2e); 5M do not
/// fit, and the message says so.
const MAX_DETAIL_CELLS: usize = 1_000_000;

/// The accounts' names: the account beside them.
fn names() -> DetailScan {
    DetailScan { labels: vec![Dimension::Account], ..DetailScan::census() }
}

/// Groups of a question answered in parts that reach the page: the table's rows.
const GROUPS_SHOWN: usize = 2_000;

/// What `view` needs read beyond the explorer's own cube: its detail (none:
/// days only) and the scan.
fn wanted_read(view: &View) -> Option<(Option<Detail>, DetailScan)> {
    view.on_demand_scan().map(|needed| (view.detail.clone(), needed))
}

impl AppState {
    /// The cube the explorer answers from: the one read on demand when the
    /// view needs one (a detail, days; once it is read), else the explorer's own.
    pub fn explorer_cube(self) -> Option<Rc<Cube>> {
        match self.view.with(wanted_read) {
            None => self.cube.get(),
            Some((wanted, needed)) => self.detail.with(|stage| match stage {
                DetailStage::Ready(detail, read, cube) if *detail == wanted && read.covers(&needed) => {
                    Some(Rc::clone(cube))
                }
                _ => None,
            }),
        }
    }

    /// The cube that offers the labels of `dimension` for a filter: the one
    /// read for the view when it holds them all (it carries that dimension's
    /// labels and did not keep only some of them), else the explorer's own,
    /// which holds every label but no detail (`true`: the view's filter on
    /// the detail cannot apply to it).
    pub fn choices_cube(self, dimension: Dimension) -> Option<(Rc<Cube>, bool)> {
        let read = self.view.with(wanted_read).and_then(|(wanted, needed)| {
            self.detail.with(|stage| match stage {
                DetailStage::Ready(detail, read, cube)
                    if *detail == wanted
                        && read.covers(&needed)
                        && (read.labels.contains(&dimension) || dimension == Dimension::Detail)
                        && !read.keep.iter().any(|(d, _)| *d == dimension) =>
                {
                    Some(Rc::clone(cube))
                }
                _ => None,
            })
        });
        match read {
            Some(cube) => Some((cube, false)),
            None => self.cube.get().map(|cube| (cube, true)),
        }
    }

    /// A label of `dimension` as people read it: an account with its name
    /// ("production (111122223333)"), the detail's blank as "(untagged)".
    pub fn shown_label(self, dimension: Dimension, label: &str) -> String {
        match (dimension, self.account_name(label)) {
            (Dimension::Account, Some(name)) => format!("{name} ({label})"),
            _ => self.view.with_untracked(|v| v.shown_label(dimension, label)),
        }
    }

    /// The name of an account id: the workspace's own list first, then the files'.
    pub fn account_name(self, id: &str) -> Option<String> {
        self.workspaces
            .with(|w| w.current().account_names.get(id).cloned())
            .or_else(|| self.file_account_names.with(|names| names.get(id).cloned()))
    }

    /// Starts reading what the view needs beyond the explorer's own cube (its
    /// detail, its days), unless that is read, or being read, already (or
    /// could not be).
    pub fn ensure_detail(self) {
        let Some((detail, needed)) = self.view.with_untracked(wanted_read) else {
            return;
        };
        let current = self.detail.with_untracked(|stage| match stage {
            DetailStage::Reading(d, read, _) | DetailStage::Ready(d, read, _) => *d == detail && read.covers(&needed),
            DetailStage::InParts(d, read, _) => *d == detail && read.covers(&needed),
            DetailStage::Failed(d, tried, _) => *d == detail && *tried == needed,
            DetailStage::None => false,
        });
        let Some(analysis) = self.analysis.get_untracked() else { return };
        if current {
            // Asked otherwise (a grouping, a filter) of what the parts hold: asked again of them.
            let asked = self.detail.with_untracked(|stage| match stage {
                DetailStage::InParts(_, _, in_parts) => Some(in_parts.asked.clone()),
                _ => None,
            });
            if let Some(asked) = asked
                && asked != self.view.with_untracked(|v| v.asked(GROUPS_SHOWN, asked.needle.clone()))
            {
                self.ask_in_parts(asked.needle);
            }
            return;
        }
        if self.cube.with_untracked(Option::is_none) {
            return;
        }
        // Days alone are read with no detail column.
        let columns: Vec<Option<Column>> = analysis
            .files
            .iter()
            .map(|file| {
                let outline = file.result.as_ref().ok()?;
                outline.detail_column(detail.as_ref()?)
            })
            .collect();
        // A detail no file has a column for (a link's tag, say): the sentence
        // names the keys they do hold, as `ducks group`'s does.
        if let Some(wanted) = &detail
            && columns.iter().all(Option::is_none)
        {
            let keys = self.detail_keys.get_untracked();
            let found = match wanted {
                Detail::Tag(_) => keys.tags,
                Detail::CostCategory(_) => keys.categories,
                _ => Vec::new(),
            };
            let named = analysis.outlines().flat_map(|o| o.named_keys(wanted));
            let known: Vec<String> = found.into_iter().map(|k| k.key).chain(named).collect();
            let sentence =
                wanted.lacking(&known).unwrap_or_else(|| format!("no file has {}", wanted.label().to_lowercase()));
            let message = format!("{}{}.", sentence[..1].to_uppercase(), &sentence[1..]);
            self.detail.set(DetailStage::Failed(detail, needed, message));
            return;
        }
        let wanted = self.reading_detail.start();
        let stage = self.detail;
        stage.set(DetailStage::Reading(detail.clone(), needed.clone(), Progress::default()));
        let on_progress = {
            let (detail, needed) = (detail.clone(), needed.clone());
            Rc::new(move |progress: Progress| {
                if wanted() {
                    stage.set(DetailStage::Reading(detail.clone(), needed.clone(), progress));
                }
            })
        };
        let pool = self.pool.get_value();
        let max_cells = MAX_DETAIL_CELLS;
        spawn_local(async move {
            let explored = self.explored.get_untracked();
            let files = (&*analysis, &*explored);
            let read =
                explore_detail(&pool, files, columns.clone(), needed.clone(), max_cells, on_progress.clone(), wanted);
            match read.await {
                Ok(found) if wanted() => {
                    if found.too_large {
                        // More groups than the page holds: the workers answer in parts.
                        stage.set(DetailStage::Reading(detail.clone(), needed.clone(), Progress::default()));
                        let asked = self.view.with_untracked(|v| v.asked(GROUPS_SHOWN, None));
                        let read = answer_in_parts(&pool, files, columns, needed.clone(), &asked, on_progress, wanted);
                        match read.await {
                            Ok(answered) if wanted() => {
                                if answered.problems.len() == analysis.files_used() {
                                    stage.set(DetailStage::Failed(detail, needed, answered.problems.join(" ")));
                                } else {
                                    let in_parts = Rc::new(InParts { asked, answered });
                                    stage.set(DetailStage::InParts(detail, needed, in_parts));
                                }
                            }
                            Ok(_) | Err(Stopped::Cancelled) => {}
                            Err(Stopped::Unavailable(problem)) if wanted() => {
                                stage.set(DetailStage::Failed(detail, needed, problem.to_string()))
                            }
                            Err(Stopped::Unavailable(_)) => {}
                        }
                    } else if found.problems.len() == analysis.files_used() {
                        stage.set(DetailStage::Failed(detail, needed, found.problems.join(" ")));
                    } else {
                        stage.set(DetailStage::Ready(detail, needed, Rc::new(found.cube)));
                    }
                    // The pool's peak memory now includes this scan.
                    self.status.update(|status| {
                        if let super::Status::Done { worker_memory, .. } = status {
                            *worker_memory = pool.peak_memory();
                        }
                    });
                }
                Ok(_) | Err(Stopped::Cancelled) => {}
                Err(Stopped::Unavailable(problem)) if wanted() => {
                    stage.set(DetailStage::Failed(detail, needed, problem.to_string()))
                }
                Err(Stopped::Unavailable(_)) => {}
            }
        });
    }

    /// Asks the question answered in parts again of its parts, as the view
    /// now asks it, among the groups one of whose labels holds `needle`.
    pub fn ask_in_parts(self, needle: Option<String>) {
        let Some((detail, read, in_parts)) = self.detail.with_untracked(|stage| match stage {
            DetailStage::InParts(detail, read, in_parts) => Some((detail.clone(), read.clone(), Rc::clone(in_parts))),
            _ => None,
        }) else {
            return;
        };
        let asked = self.view.with_untracked(|v| v.asked(GROUPS_SHOWN, needle));
        let wanted = self.reading_detail.start();
        let pool = self.pool.get_value();
        let stage = self.detail;
        spawn_local(async move {
            match ask(&pool, &in_parts.answered.parts, &asked, &wanted).await {
                Ok(sized) if wanted() => {
                    let answered = Answered { sized, ..in_parts.answered.clone() };
                    stage.set(DetailStage::InParts(detail, read, Rc::new(InParts { asked, answered })));
                }
                Ok(_) | Err(Stopped::Cancelled) => {}
                Err(Stopped::Unavailable(problem)) if wanted() => {
                    stage.set(DetailStage::Failed(detail, read, problem.to_string()))
                }
                Err(Stopped::Unavailable(_)) => {}
            }
        });
    }

    /// Forgets the detail read for earlier files.
    pub(super) fn reset_detail(self) {
        self.reading_detail.cancel();
        self.detail.set(DetailStage::None);
        self.detail_keys.set(DetailKeys::default());
        self.file_account_names.set(Default::default());
    }

    /// Learns which tags and cost categories the files hold: from the column
    /// names (legacy CUR) at once, then from a census of the columns of pairs
    /// (CUR 2.0, FOCUS), with the share of cost each key covers; then the
    /// accounts' names, where the files carry them.
    pub(super) async fn find_detail_keys(self, pool: &Pool, analysis: &Analysis, wanted: impl Fn() -> bool) {
        let explored = self.explored.get_untracked();
        let files = (analysis, &*explored);
        let outlines: Vec<Option<&Outline>> = analysis.files.iter().map(|f| f.result.as_ref().ok()).collect();
        // Each key once, however many files (months) name it.
        let named = |kind: &Detail| -> Vec<KeyShare> {
            merge_keys([outlines
                .iter()
                .flatten()
                .flat_map(|o| o.named_keys(kind))
                .map(|key| KeyShare { key, share: None })
                .collect()])
        };
        let (tag, category) = (Detail::Tag(String::new()), Detail::CostCategory(String::new()));
        let fixed = Detail::FIXED
            .into_iter()
            .filter(|d| outlines.iter().flatten().any(|o| o.detail_column(d).is_some()))
            .collect();
        let mut keys = DetailKeys { tags: named(&tag), categories: named(&category), fixed, finding: true };
        self.detail_keys.set(keys.clone());
        for kind in [tag, category] {
            let columns: Vec<Option<Column>> = outlines.iter().map(|o| o.and_then(|o| o.pairs_column(&kind))).collect();
            let Some(format) =
                outlines.iter().zip(&columns).find_map(|(o, c)| c.as_ref().and(o.map(|o| o.columns.format)))
            else {
                continue;
            };
            let usage = self.view.with_untracked(|v| v.usage.clone());
            let census =
                explore_detail(pool, files, columns, DetailScan::census(), MAX_DETAIL_CELLS, Rc::new(|_| {}), &wanted);
            let Ok(census) = census.await else { return };
            if !wanted() {
                return;
            }
            // Too many distinct sets of tags to count: the keys stay those known by name.
            let found = pair_keys(&census.cube, &kind, format, &usage);
            let list = if matches!(kind, Detail::Tag(_)) { &mut keys.tags } else { &mut keys.categories };
            *list = merge_keys([std::mem::take(list), found]);
            self.detail_keys.set(keys.clone());
        }
        keys.finding = false;
        self.detail_keys.set(keys);

        // The accounts' names, where the files carry them beside the ids.
        let columns: Vec<Option<Column>> = outlines.iter().map(|o| o.and_then(Outline::account_name_column)).collect();
        if columns.iter().any(Option::is_some)
            && let Ok(found) =
                explore_detail(pool, files, columns, names(), MAX_DETAIL_CELLS, Rc::new(|_| {}), &wanted).await
            && wanted()
        {
            self.file_account_names.set(names_beside(&found.cube, Dimension::Account));
        }
    }
}
