//! A comparison's life, as the analysis has its own: other files chosen to be
//! set beside those in use are read by the same workers with the costs scan
//! only, a newer choice dropping an older one's result; they replace nothing.

use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::AppState;
use crate::browser::analysis::{Analysis, Progress, Stopped, analyse};
use crate::browser::error::Error;
use crate::browser::files::Picked;

/// Where the other files of a comparison stand.
#[derive(Clone, Default)]
pub enum Other {
    /// None chosen.
    #[default]
    None,
    /// Being read.
    Reading(Progress),
    /// Read, with at least one file used.
    Read(Rc<Analysis>),
    /// None could be used, or the reading failed: why.
    Failed(String),
}

impl AppState {
    /// Reads the files `picked` gives, to compare with those in use.
    pub fn compare_with(self, picked: impl Future<Output = Result<Picked, Error>> + 'static) {
        let wanted = self.comparing.start();
        let other = self.other;
        other.set(Other::Reading(Progress::default()));
        spawn_local(async move {
            let picked = match picked.await {
                Ok(picked) if !picked.files.is_empty() => picked,
                Ok(_) => return other.set(Other::Failed("No data files were found in what was chosen.".into())),
                Err(problem) => return other.set(Other::Failed(problem.to_string())),
            };
            let pool = self.pool.get_value();
            let on_progress = Rc::new(move |progress| {
                if wanted() {
                    other.set(Other::Reading(progress));
                }
            });
            match analyse(&pool, picked.files, on_progress, wanted).await {
                Ok(_) if !wanted() => {}
                Ok(analysis) if analysis.files_used() == 0 => {
                    let problems: Vec<String> = analysis
                        .files
                        .iter()
                        .filter_map(|f| Some(format!("{}: {}", f.name, f.result.as_ref().err()?)))
                        .collect();
                    other.set(Other::Failed(format!("None of the other files could be used. {}", problems.join(" "))));
                }
                Ok(analysis) => other.set(Other::Read(Rc::new(analysis))),
                Err(Stopped::Cancelled) => other.set(Other::None),
                Err(Stopped::Unavailable(problem)) => other.set(Other::Failed(problem.to_string())),
            }
        });
    }
}
