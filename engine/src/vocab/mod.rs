//! The engine's vocabulary, on the ground floor: the words every room above
//! shares (dates, the dimensions and measures of a question, how figures are
//! written for people). It imports nothing of the engine but the schema's
//! column roles.

pub mod dates;
pub mod dimension;
pub mod format;
