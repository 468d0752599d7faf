//! The settings kept in the browser: workspaces, each with its discount table
//! and usage rule, which the view follows.

use leptos::prelude::*;

use super::AppState;
use crate::browser::storage;
use crate::engine::{Discounts, UsageRule, Workspace, Workspaces};

impl AppState {
    /// The discount table of the current workspace.
    pub fn discounts(self) -> Discounts {
        self.workspaces.with(|w| w.current().discounts.clone())
    }

    /// Changes the workspaces and saves them; a refused change is shown as a notice
    /// and changes nothing.
    pub fn update_workspaces(self, change: impl FnOnce(&mut Workspaces) -> crate::engine::Result<()>) -> bool {
        let mut workspaces = self.workspaces.get_untracked();
        if let Err(error) = change(&mut workspaces) {
            self.settings_notice.set(Some(error.to_string()));
            return false;
        }
        self.settings_notice.set(storage::save_workspaces(&workspaces).err().map(|error| error.to_string()));
        self.workspaces.set(workspaces);
        true
    }

    /// Uses and saves a new discount table in the current workspace.
    pub fn set_discounts(self, discounts: Discounts) {
        self.update_workspaces(|w| {
            w.current_mut().discounts = discounts;
            Ok(())
        });
    }

    /// Uses and saves a usage rule (in the view and the current workspace).
    pub fn set_usage(self, usage: UsageRule) {
        self.view.update(|view| view.usage = usage.clone());
        self.update_workspaces(|w| {
            w.current_mut().usage = usage;
            Ok(())
        });
    }

    /// Switches to workspace `index`, taking its usage rule.
    pub fn switch_workspace(self, index: usize) {
        if self.update_workspaces(|w| w.switch(index)) {
            let usage = self.workspaces.with_untracked(|w| w.current().usage.clone());
            self.view.update(|view| view.usage = usage);
        }
    }

    /// Uses the demo's workspace (made with the example table the first time).
    pub fn use_demo_workspace(self) {
        if self.update_workspaces(|w| {
            w.use_demo();
            Ok(())
        }) {
            let usage = self.workspaces.with_untracked(|w| w.current().usage.clone());
            self.view.update(|view| view.usage = usage);
        }
    }

    /// Adds a workspace with default settings and switches to it.
    pub fn add_workspace(self, name: &str) -> bool {
        let added = self.update_workspaces(|w| w.add(Workspace::new(name)));
        if added {
            self.view.update(|view| view.usage = UsageRule::default());
        }
        added
    }
}
