//! What a person chooses: discounts, the usage rule, workspaces, the view.

pub mod account_names;
pub mod discounts;
pub mod usage;
pub mod view;
pub mod workspaces;
