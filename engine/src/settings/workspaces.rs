//! Workspaces: the original service's customers, with no server. Each has its
//! own discount table, usage rule and list of recently opened file names, kept
//! in the browser, switched, renamed, deleted, exported and imported as JSON.
//! Everything read back is validated; a bad value changes nothing.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::settings::account_names::{self, AccountNames};
use crate::settings::discounts::Discounts;
use crate::settings::usage::UsageRule;

/// File names remembered per workspace.
const RECENT_FILES: usize = 12;

/// Longest workspace name.
const MAX_NAME: usize = 80;

/// One customer's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    /// Its name, unique among the workspaces.
    pub name: String,
    /// Its discount multipliers.
    #[serde(default)]
    pub discounts: Discounts,
    /// Which line item types count as usage.
    #[serde(default)]
    pub usage: UsageRule,
    /// The names of the files last opened in it, newest first (names only: files
    /// cannot be reopened without the person choosing them again).
    #[serde(default)]
    pub recent_files: Vec<String>,
    /// Names for account ids, imported by the person (the files' own names,
    /// where they carry some, are used beside them).
    #[serde(default, skip_serializing_if = "AccountNames::is_empty")]
    pub account_names: AccountNames,
}

impl Workspace {
    /// A workspace with the default settings: no discounts (the example table
    /// belongs to no one; the person enters or imports their own).
    pub fn new(name: &str) -> Workspace {
        Workspace {
            name: name.to_owned(),
            discounts: Discounts::none(),
            usage: UsageRule::default(),
            recent_files: Vec::new(),
            account_names: AccountNames::new(),
        }
    }

    /// One workspace as JSON, for its own file.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// One workspace from [`to_json`](Self::to_json)'s JSON, validated.
    pub fn from_json(text: &str) -> Result<Workspace> {
        let workspace: Workspace = serde_json::from_str(text).map_err(|e| Error::Settings(e.to_string()))?;
        check_name(&workspace.name)?;
        account_names::check(&workspace.account_names)?;
        Ok(workspace)
    }
}

/// Every workspace, and which one is in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Saved", into = "Saved")]
pub struct Workspaces {
    list: Vec<Workspace>,
    current: usize,
}

#[derive(Serialize, Deserialize)]
struct Saved {
    workspaces: Vec<Workspace>,
    current: usize,
}

impl TryFrom<Saved> for Workspaces {
    type Error = Error;

    fn try_from(saved: Saved) -> Result<Workspaces> {
        if saved.workspaces.is_empty() || saved.current >= saved.workspaces.len() {
            return Err(Error::Settings("there must be a workspace, and the current one must exist".into()));
        }
        for (i, workspace) in saved.workspaces.iter().enumerate() {
            check_name(&workspace.name)?;
            account_names::check(&workspace.account_names)?;
            if saved.workspaces[..i].iter().any(|other| other.name == workspace.name) {
                return Err(Error::Settings(format!("two workspaces are called {:?}", workspace.name)));
            }
        }
        Ok(Workspaces { list: saved.workspaces, current: saved.current })
    }
}

impl From<Workspaces> for Saved {
    fn from(workspaces: Workspaces) -> Saved {
        Saved { workspaces: workspaces.list, current: workspaces.current }
    }
}

impl Default for Workspaces {
    fn default() -> Self {
        Workspaces::starting_with(Discounts::none())
    }
}

/// The workspace the demo data opens in, with the example discount table.
pub const DEMO_WORKSPACE: &str = "Demo (example discounts)";

fn check_name(name: &str) -> Result<()> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed != name || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(Error::Settings(format!(
            "{name:?} cannot name a workspace (1 to {MAX_NAME} characters, no spaces at the ends)"
        )));
    }
    Ok(())
}

impl Workspaces {
    /// One workspace, "Default", with `discounts`.
    pub fn starting_with(discounts: Discounts) -> Workspaces {
        Workspaces { list: vec![Workspace { discounts, ..Workspace::new("Default") }], current: 0 }
    }

    /// Reads saved workspaces, refusing anything inconsistent.
    pub fn from_json(text: &str) -> Result<Workspaces> {
        serde_json::from_str(text).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => Error::Settings(e.to_string()),
            _ => Error::Settings(format!("not JSON ({e})")),
        })
    }

    /// The JSON [`from_json`](Self::from_json) reads.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The workspaces, in order.
    pub fn list(&self) -> &[Workspace] {
        &self.list
    }

    /// The index of the one in use.
    pub fn current_index(&self) -> usize {
        self.current
    }

    /// The one in use.
    pub fn current(&self) -> &Workspace {
        &self.list[self.current]
    }

    /// The one in use, to change its settings.
    pub fn current_mut(&mut self) -> &mut Workspace {
        &mut self.list[self.current]
    }

    /// Uses workspace `index`.
    pub fn switch(&mut self, index: usize) -> Result<()> {
        if index >= self.list.len() {
            return Err(Error::Settings(format!("there is no workspace {index}")));
        }
        self.current = index;
        Ok(())
    }

    /// Adds `workspace` (its name must be new) and uses it.
    pub fn add(&mut self, workspace: Workspace) -> Result<()> {
        check_name(&workspace.name)?;
        if self.list.iter().any(|w| w.name == workspace.name) {
            return Err(Error::Settings(format!("a workspace is already called {:?}", workspace.name)));
        }
        self.list.push(workspace);
        self.current = self.list.len() - 1;
        Ok(())
    }

    /// Renames workspace `index`.
    pub fn rename(&mut self, index: usize, name: &str) -> Result<()> {
        check_name(name)?;
        if self.list.iter().enumerate().any(|(i, w)| i != index && w.name == name) {
            return Err(Error::Settings(format!("a workspace is already called {name:?}")));
        }
        let workspace =
            self.list.get_mut(index).ok_or_else(|| Error::Settings(format!("there is no workspace {index}")))?;
        workspace.name = name.to_owned();
        Ok(())
    }

    /// Deletes workspace `index`; the last one cannot go.
    pub fn remove(&mut self, index: usize) -> Result<()> {
        if self.list.len() == 1 {
            return Err(Error::Settings("the last workspace cannot be deleted".into()));
        }
        if index >= self.list.len() {
            return Err(Error::Settings(format!("there is no workspace {index}")));
        }
        self.list.remove(index);
        if self.current >= index && self.current > 0 {
            self.current -= 1;
        }
        Ok(())
    }

    /// Remembers file names opened in the current workspace, newest first.
    pub fn remember_files<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        let recent = &mut self.current_mut().recent_files;
        for name in names.into_iter().collect::<Vec<_>>().into_iter().rev() {
            recent.retain(|kept| kept != name);
            recent.insert(0, name.to_owned());
        }
        recent.truncate(RECENT_FILES);
    }

    /// Uses the demo's workspace, made with the example discount table the
    /// first time (the person's own workspaces keep their tables).
    pub fn use_demo(&mut self) {
        match self.list.iter().position(|w| w.name == DEMO_WORKSPACE) {
            Some(index) => self.current = index,
            None => {
                self.list.push(Workspace { discounts: Discounts::default(), ..Workspace::new(DEMO_WORKSPACE) });
                self.current = self.list.len() - 1;
            }
        }
    }

    /// A name not yet taken: `base`, or `base 2`, `base 3`…
    pub fn free_name(&self, base: &str) -> String {
        (1..)
            .map(|n| if n == 1 { base.to_owned() } else { format!("{base} {n}") })
            .find(|name| self.list.iter().all(|w| &w.name != name))
            .unwrap_or_else(|| base.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_switch_rename_remove() {
        let mut workspaces = Workspaces::default();
        workspaces.add(Workspace::new("Acme")).unwrap();
        assert_eq!(workspaces.current().name, "Acme");
        assert!(workspaces.add(Workspace::new("Acme")).is_err());
        assert!(workspaces.rename(1, "Default").is_err());
        workspaces.rename(1, "Acme Corp").unwrap();
        workspaces.switch(0).unwrap();
        workspaces.remove(0).unwrap();
        assert_eq!(workspaces.current().name, "Acme Corp");
        assert!(workspaces.remove(0).is_err(), "the last one stays");
        assert_eq!(workspaces.free_name("Acme Corp"), "Acme Corp 2");
    }

    #[test]
    fn recent_files_are_newest_first_and_bounded() {
        let mut workspaces = Workspaces::default();
        workspaces.remember_files(["a", "b"]);
        workspaces.remember_files(["c", "a"]);
        assert_eq!(workspaces.current().recent_files, ["c", "a", "b"]);
        workspaces.remember_files((0..20).map(|i| Box::leak(format!("f{i}").into_boxed_str()) as &str));
        assert_eq!(workspaces.current().recent_files.len(), RECENT_FILES);
    }

    #[test]
    fn json_round_trips_and_bad_json_is_refused() {
        let mut workspaces = Workspaces::default();
        workspaces.add(Workspace::new("Acme")).unwrap();
        workspaces.current_mut().discounts.set("AWSLambda", 0.5).unwrap();
        assert_eq!(Workspaces::from_json(&workspaces.to_json()).unwrap(), workspaces);
        for bad in [
            "",
            "[]",
            r#"{"workspaces": [], "current": 0}"#,
            r#"{"workspaces": [{"name": "a"}], "current": 1}"#,
            r#"{"workspaces": [{"name": "a"}, {"name": "a"}], "current": 0}"#,
            r#"{"workspaces": [{"name": " "}], "current": 0}"#,
            r#"{"workspaces": [{"name": "a", "discounts": {"AmazonS3": -1}}], "current": 0}"#,
        ] {
            assert!(Workspaces::from_json(bad).is_err(), "{bad}");
        }
        let one = Workspace::from_json(&workspaces.current().to_json()).unwrap();
        assert_eq!(one.discounts.multiplier("AWSLambda"), 0.5);
        assert!(Workspace::from_json(r#"{"name": ""}"#).is_err());
    }

    #[test]
    fn a_new_workspace_has_no_discounts_and_the_demo_has_the_example_table() {
        let mut workspaces = Workspaces::default();
        assert_eq!(workspaces.current().discounts, Discounts::none());
        workspaces.add(Workspace::new("Acme")).unwrap();
        assert_eq!(workspaces.current().discounts, Discounts::none());
        workspaces.use_demo();
        assert_eq!(
            (workspaces.current().name.as_str(), &workspaces.current().discounts),
            (DEMO_WORKSPACE, &Discounts::default())
        );
        workspaces.current_mut().discounts = Discounts::none();
        workspaces.switch(0).unwrap();
        workspaces.use_demo();
        assert_eq!(workspaces.list().len(), 3, "the demo's workspace is made once");
        assert_eq!(workspaces.current().discounts, Discounts::none(), "and keeps what the person changed");
    }
}
