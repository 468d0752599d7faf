//! Settings saved in the browser (`localStorage`), validated when read back: a
//! damaged or foreign value falls back to the defaults with a notice and never
//! breaks the page.

use super::error::Error;
use crate::engine::{Discounts, Workspaces};

const WORKSPACES_KEY: &str = "ducks.workspaces.v1";

/// Where the first version kept its one discount table; read once, to carry it
/// into the first workspace.
const OLD_DISCOUNTS_KEY: &str = "ducks.discounts.v1";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn read(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// The saved workspaces, or a first one. The second value is a notice for the
/// user when saved settings had to be ignored.
pub fn load_workspaces() -> (Workspaces, Option<String>) {
    if let Some(text) = read(WORKSPACES_KEY) {
        return match Workspaces::from_json(&text) {
            Ok(workspaces) => (workspaces, None),
            Err(error) => (
                Workspaces::default(),
                Some(format!("The saved workspaces were ignored and the defaults are in use. {error}")),
            ),
        };
    }
    match read(OLD_DISCOUNTS_KEY).map(|text| Discounts::from_json(&text)) {
        None => (Workspaces::default(), None),
        Some(Ok(discounts)) => (Workspaces::starting_with(discounts), None),
        Some(Err(error)) => (
            Workspaces::default(),
            Some(format!("The saved discount table was ignored and the defaults are in use. {error}")),
        ),
    }
}

/// Saves the workspaces; says why when the browser refuses (private mode, full storage).
pub fn save_workspaces(workspaces: &Workspaces) -> Result<(), Error> {
    let storage = local_storage().ok_or(Error::Refused("this browser does not allow saving settings"))?;
    storage
        .set_item(WORKSPACES_KEY, &workspaces.to_json())
        .map_err(|_| Error::Refused("the browser refused to save the settings (storage full or disabled)"))?;
    let _ = storage.remove_item(OLD_DISCOUNTS_KEY);
    Ok(())
}
