//! The browser room's one error type: what can go wrong between the page and
//! the web platform, each message written for the person at the page. What the
//! engine says of a file travels from the workers as its text (`Reply::Failed`).

/// Why something the browser was asked to do did not happen.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A file or folder handed over by a drop or a picker could not be read.
    #[error("{0} could not be read")]
    Unreadable(String),
    /// The demo files did not come from the site.
    #[error("The demo data could not be loaded ({path}: {detail})")]
    Demo {
        /// The demo file.
        path: &'static str,
        /// What went wrong.
        detail: String,
    },
    /// The browser would not give the bytes of a file it had handed over.
    #[error(
        "The browser could not read the file ({0}). Was it changed, moved or deleted since it was chosen? \
         Choose it again."
    )]
    Vanished(String),
    /// This browser lacks, or refuses, what the page needs here.
    #[error("{0}")]
    Refused(&'static str),
    /// No scan worker could be started, or the workers died before their engine
    /// was ready: the page cannot analyse anything in this browser.
    #[error(
        "The scan engine could not start in this browser ({0}). ducks needs Web Workers and WebAssembly: \
         try a current Chrome, Edge, Firefox or Safari, outside modes or extensions that block them."
    )]
    Unstartable(String),
    /// ducks itself went wrong between the page and its workers.
    #[error("ducks went wrong in the browser (a bug in ducks, not a problem with your files): {0}")]
    Internal(String),
}

/// The browser room's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a thrown or rejected JavaScript value says, for a message (a
/// `DOMException` is an `Error`).
pub fn js_message(error: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    error.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{error:?}"), |error| String::from(error.message()))
}
