//! What a person chooses and keeps: discounts, the usage rule, workspaces,
//! account names. (The view, which names a question, sits above the answers: `view.rs`.)

pub mod account_names;
pub mod discounts;
pub mod usage;
pub mod workspaces;
