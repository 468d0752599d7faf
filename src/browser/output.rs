//! Handing results to the person: a download of a file made in the page, and
//! the clipboard. Nothing leaves the machine.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::error::{Error, Result};

/// Offers `text` as a file named `name` (a download; no request is made).
pub fn download(name: &str, mime: &str, text: &str) -> Result<()> {
    download_parts(name, mime, &js_sys::Array::of1(&text.into()))
}

/// Offers the texts `parts`, one after the other, as a file named `name`:
/// a file made in parts never lies whole in wasm memory.
pub fn download_parts(name: &str, mime: &str, parts: &js_sys::Array) -> Result<()> {
    let failed = |_| Error::Refused("the browser did not offer the download");
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(parts, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let document =
        web_sys::window().and_then(|w| w.document()).ok_or(Error::Internal("the page has no document".into()))?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(failed)?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Puts `text` on the clipboard.
pub async fn copy(text: &str) -> Result<()> {
    let clipboard = web_sys::window().ok_or(Error::Internal("the page has no window".into()))?.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| Error::Refused("the browser did not allow copying; select the text and copy it by hand"))
}
