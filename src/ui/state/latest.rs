//! The one way a piece of work learns that it is no longer wanted: each run
//! takes a ticket, a newer run (or a cancel) makes it stale, and work that
//! finds its ticket stale drops its results. The analysis, the on-demand scans
//! and a comparison each keep one.

use leptos::prelude::*;

/// The latest run of one kind of work.
#[derive(Clone, Copy)]
pub struct Latest(StoredValue<u64>);

impl Latest {
    /// No run yet.
    pub fn new() -> Latest {
        Latest(StoredValue::new(0))
    }

    /// Starts a run, which makes every earlier one stale; the check tells
    /// whether this run is still the latest.
    pub fn start(self) -> impl Fn() -> bool + Copy + 'static {
        self.0.update_value(|ticket| *ticket += 1);
        let mine = self.0.get_value();
        move || self.0.get_value() == mine
    }

    /// Makes every run stale (Cancel, or files that replace the old).
    pub fn cancel(self) {
        self.0.update_value(|ticket| *ticket += 1);
    }

    /// Whether no run has started (nor been cancelled) yet.
    pub fn untouched(self) -> bool {
        self.0.get_value() == 0
    }
}

impl Default for Latest {
    fn default() -> Self {
        Latest::new()
    }
}
