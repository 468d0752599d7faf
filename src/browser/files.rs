//! Where files come from: the file picker, a drop (files or whole folders of
//! months), and the demo data bundled with the page.

use std::collections::BTreeMap;

use js_sys::{Array, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, DataTransfer, File, FileList, FileSystemDirectoryEntry, FileSystemDirectoryReader, FileSystemEntry,
    FileSystemFileEntry, Response,
};

use super::error::{Error, Result};
use crate::engine::delivery::{self, Kind, Listed};

/// What a file input offers to choose: the deliveries the engine reads
/// (Parquet, CSV plain, gzip'd or zipped), by extension and by type.
pub const ACCEPT: &str =
    ".parquet,.csv,.gz,.zip,application/vnd.apache.parquet,text/csv,application/gzip,application/zip";

/// A file to analyse and the name to show for it.
#[derive(Debug, Clone)]
pub struct Chosen {
    /// The name, with the path inside a dropped folder when there is one.
    pub name: String,
    /// The bytes (a `File` is a `Blob`).
    pub blob: Blob,
}

/// The demo CUR: three months of a made-up organisation, written by
/// `examples/gen_cur.rs` into `public/demo/`.
pub const DEMO_FILES: [&str; 3] = ["demo/cur-2024-01.parquet", "demo/cur-2024-02.parquet", "demo/cur-2024-03.parquet"];

/// `added` after `current`, without the files `current` already has (the same
/// name and size): adding a month keeps the months read before.
pub fn merged(current: &[Chosen], added: Vec<Chosen>) -> Vec<Chosen> {
    let same = |a: &Chosen, b: &Chosen| a.name == b.name && a.blob.size() == b.blob.size();
    let mut files = current.to_vec();
    for file in added {
        if !files.iter().any(|kept| same(kept, &file)) {
            files.push(file);
        }
    }
    files
}

/// What was picked: the files to read, and the files of folders left out, each
/// with why (for the diagnostics).
#[derive(Debug, Clone, Default)]
pub struct Picked {
    /// The files to read.
    pub files: Vec<Chosen>,
    /// One line per file of a folder that is not read.
    pub skipped: Vec<String>,
}

/// The files of a file input. Files picked from a folder (`webkitdirectory`)
/// are a report folder: chosen so that every billing period counts once.
///
/// The files are taken from the list at once (the input is cleared right after,
/// which empties it); only reading the manifests waits.
pub fn from_list(list: &FileList) -> impl std::future::Future<Output = Result<Picked>> + use<> {
    let mut picked = Picked::default();
    let mut in_folders = Vec::new();
    for index in 0..list.length() {
        let Some(file) = list.item(index) else { continue };
        let relative = js_sys::Reflect::get(&file, &"webkitRelativePath".into()).ok().and_then(|p| p.as_string());
        match relative.filter(|path| !path.is_empty()) {
            Some(path) => in_folders.push((path, file)),
            None => picked.files.push(Chosen { name: file.name(), blob: file.into() }),
        }
    }
    async move {
        let folder = choose(in_folders).await?;
        picked.files.extend(folder.files);
        picked.skipped = folder.skipped;
        Ok(picked)
    }
}

/// Chooses among the files of report folders (paths with their folders) which
/// to read: see [`delivery::select`]. Manifests are read here, as text.
async fn choose(mut files: Vec<(String, File)>) -> Result<Picked> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let listing: Vec<Listed> =
        files.iter().map(|(path, file)| Listed { path: path.clone(), modified: Some(file.last_modified()) }).collect();
    let mut manifests = BTreeMap::new();
    for (index, (path, file)) in files.iter().enumerate() {
        if delivery::kind(path) == Kind::Manifest {
            // A manifest that cannot be read is left out; the folder is chosen from without it.
            if let Ok(text) = JsFuture::from(file.text()).await {
                manifests.insert(index, text.as_string().unwrap_or_default());
            }
        }
    }
    let selection = delivery::select(&listing, &manifests);
    let skipped =
        selection.skipped.iter().map(|(index, why)| format!("Skipped {}: {why}", listing[*index].path)).collect();
    let files = selection
        .counted
        .iter()
        .map(|&index| Chosen { name: files[index].0.clone(), blob: files[index].1.clone().into() })
        .collect();
    Ok(Picked { files, skipped })
}

/// What was dropped, taken while the drop event lasts (the browser empties the
/// `DataTransfer` afterwards).
pub struct Dropped(Vec<FileSystemEntry>, Vec<Chosen>);

/// Takes the entries of a drop.
pub fn dropped(transfer: &DataTransfer) -> Dropped {
    let items = transfer.items();
    let (mut entries, mut plain) = (Vec::new(), Vec::new());
    for index in 0..items.length() {
        let Some(item) = items.get(index) else { continue };
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) => entries.push(entry),
            _ => {
                if let Ok(Some(file)) = item.get_as_file() {
                    plain.push(Chosen { name: file.name(), blob: file.into() });
                }
            }
        }
    }
    Dropped(entries, plain)
}

/// The files of a drop: dropped files as they are, and the data files of
/// dropped folders, searched recursively and chosen so that every billing
/// period counts once.
pub async fn files_of(dropped: Dropped) -> Result<Picked> {
    let Dropped(entries, mut chosen) = dropped;
    let mut folders = Vec::new();
    for entry in entries {
        if entry.is_directory() {
            folders.push(entry.unchecked_into::<FileSystemDirectoryEntry>());
        } else if entry.is_file() {
            let name = entry.name();
            chosen.push(Chosen { name, blob: file_of(entry.unchecked_ref()).await?.into() });
        }
    }
    let mut from_folders = Vec::new();
    while let Some(folder) = folders.pop() {
        let reader = folder.create_reader();
        loop {
            let batch = read_entries(&reader).await?;
            if batch.is_empty() {
                break;
            }
            for entry in batch {
                if entry.is_directory() {
                    folders.push(entry.unchecked_into());
                } else if entry.is_file() {
                    let name = entry.full_path().trim_start_matches('/').to_owned();
                    from_folders.push((name, file_of(entry.unchecked_ref()).await?));
                }
            }
        }
    }
    let folder = choose(from_folders).await?;
    chosen.extend(folder.files);
    Ok(Picked { files: chosen, skipped: folder.skipped })
}

async fn read_entries(reader: &FileSystemDirectoryReader) -> Result<Vec<FileSystemEntry>> {
    let promise = Promise::new(&mut |resolve, reject| {
        if reader.read_entries_with_callback_and_callback(&resolve, &reject).is_err() {
            let _ = reject.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let entries = JsFuture::from(promise).await.map_err(|_| Error::Unreadable("a dropped folder".into()))?;
    Ok(entries.unchecked_into::<Array>().iter().map(|entry| entry.unchecked_into()).collect())
}

async fn file_of(entry: &FileSystemFileEntry) -> Result<File> {
    let promise = Promise::new(&mut |resolve, reject| entry.file_with_callback_and_callback(&resolve, &reject));
    let file = JsFuture::from(promise).await.map_err(|_| Error::Unreadable(entry.name()))?;
    Ok(file.unchecked_into())
}

/// Fetches the demo files from the site (same origin, relative to the page, so it
/// works under any sub-path).
pub async fn demo() -> Result<Vec<Chosen>> {
    let window = web_sys::window().ok_or(Error::Internal("the page has no window".into()))?;
    let mut chosen = Vec::new();
    for path in DEMO_FILES {
        let failed = |detail: String| Error::Demo { path, detail };
        let response = JsFuture::from(window.fetch_with_str(path)).await.map_err(|_| failed("no answer".into()))?;
        let response: Response = response.unchecked_into();
        if !response.ok() {
            return Err(failed(format!("HTTP {}", response.status())));
        }
        let blob = JsFuture::from(response.blob().map_err(|_| failed("no body".into()))?)
            .await
            .map_err(|_| failed("the download broke off".into()))?;
        let name = path.rsplit('/').next().unwrap_or(path).to_owned();
        chosen.push(Chosen { name, blob: blob.unchecked_into() });
    }
    Ok(chosen)
}
