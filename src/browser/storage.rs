//! Settings saved in the browser (`localStorage`), validated when read back: a
//! damaged or foreign value falls back to the defaults with a notice and never
//! breaks the page.

use crate::engine::Discounts;

const DISCOUNTS_KEY: &str = "ducks.discounts.v1";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The saved discount table, or the defaults. The second value is a notice for
/// the user when a saved table had to be ignored.
pub fn load_discounts() -> (Discounts, Option<String>) {
    let Some(text) = local_storage().and_then(|storage| storage.get_item(DISCOUNTS_KEY).ok().flatten()) else {
        return (Discounts::default(), None);
    };
    match Discounts::from_json(&text) {
        Ok(discounts) => (discounts, None),
        Err(error) => (
            Discounts::default(),
            Some(format!("The saved discount table was ignored and the defaults are in use. {error}")),
        ),
    }
}

/// Saves the table; says why when the browser refuses (private mode, full storage).
pub fn save_discounts(discounts: &Discounts) -> Result<(), String> {
    let storage = local_storage().ok_or("this browser does not allow saving settings")?;
    storage
        .set_item(DISCOUNTS_KEY, &discounts.to_json())
        .map_err(|_| "the browser refused to save the discount table (storage full or disabled)".to_owned())
}

/// Forgets the saved table, so the defaults apply from now on.
pub fn forget_discounts() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(DISCOUNTS_KEY);
    }
}
