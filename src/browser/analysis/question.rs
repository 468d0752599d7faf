//! A question of more groups than the page can hold (millions of resources):
//! the workers scan the pieces as for any on-demand read, but cut each part
//! of their cubes by the question's labels into parts of fixed numbers
//! (`CubeColumns::split`) and send them as bytes, which the page keeps in
//! `Blob`s, outside wasm memory. Then one worker per number merges that
//! number's parts (each group is whole in one number) and answers with its
//! largest groups, the total and the count; the page merges those few answers.
//! The parts stay, so a search among all the groups asks the workers again
//! without reading the files.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use web_sys::Blob;

use super::explore::Explored;
use super::pieces::{OnPart, Part, failure, scan_pieces};
use super::{Analysis, Progress, Stopped};
use crate::browser::pool::{Done, JobError, Pool};
use crate::browser::protocol::{Reply, Request};
use crate::engine::question::{Asked, Sized};
use crate::engine::{Column, DetailScan, Piece};

/// The parts of one number, each with its file.
type Numbered = Vec<(usize, Blob)>;

/// What a question answered in parts gave.
#[derive(Debug, Clone)]
pub struct Answered {
    /// The answer.
    pub sized: Sized,
    /// Per file left out, why.
    pub problems: Vec<String>,
    /// Per number, its parts as one `Blob` (each part after its length),
    /// to answer again (a search) without reading the files.
    pub parts: Vec<Blob>,
}

/// Answers `asked` from the files of `analysis` the explorer read, each file's
/// detail from `columns[file]`, the rest as `scan` says.
pub async fn answer_in_parts(
    pool: &Pool,
    (analysis, explored): (&Analysis, &Explored),
    columns: Vec<Option<Column>>,
    scan: DetailScan,
    asked: &Asked,
    on_progress: Rc<dyn Fn(Progress)>,
    wanted: impl Fn() -> bool,
) -> Result<Answered, Stopped> {
    let pool = &pool.in_new_group();
    let (pieces, state) = analysis.rescan();
    // Each number's answer is one worker's memory: many small numbers keep
    // it low (5M resources in 4 numbers took a worker to 1.2 GB).
    let numbers = pool.size() * 8;
    let slots = asked.slots();
    // Per number, each part with its file.
    let kept: Rc<RefCell<Vec<Numbered>>> = Rc::new(RefCell::new(vec![Vec::new(); numbers]));
    let keep = {
        let kept = Rc::clone(&kept);
        move |file: usize, blobs: Vec<Blob>| {
            for (number, blob) in blobs.into_iter().enumerate() {
                if let Some(list) = kept.borrow_mut().get_mut(number) {
                    list.push((file, blob));
                }
            }
        }
    };
    let on_part: OnPart = {
        let keep = keep.clone();
        Rc::new(move |file, part| {
            if let Part::Split(split) = part {
                keep(file, split.blobs);
            }
        })
    };
    let problems = RefCell::new(vec![None::<String>; analysis.files.len()]);
    let request =
        |piece: &Piece| Request::Split(piece.slice, columns[piece.file].clone(), scan.clone(), slots.clone(), numbers);
    let (problems_ref, keep) = (&problems, &keep);
    let replies = scan_pieces(
        pool,
        &analysis.chosen,
        &analysis.keys,
        &pieces,
        request,
        state,
        on_progress,
        Some(on_part),
        |piece: Piece, reply| async move {
            match reply {
                Ok(Done { reply: Reply::Split(last), .. }) => keep(piece.file, last.blobs),
                other => problems_ref.borrow_mut()[piece.file] = Some(failure(other)?),
            }
            Ok(())
        },
    )
    .await;
    replies.into_iter().collect::<Result<(), Stopped>>()?;
    if !wanted() {
        return Err(Stopped::Cancelled);
    }
    let problems = problems.into_inner();
    // A file that failed anywhere is left out whole, as the explorer does.
    let parts: Vec<Blob> = kept
        .borrow()
        .iter()
        .map(|list| {
            let sequence = js_sys::Array::new();
            for (file, blob) in list {
                if problems[*file].is_none() && explored.read(analysis, *file) {
                    sequence.push(&js_sys::Uint8Array::from(&(blob.size() as u64).to_le_bytes()[..]));
                    sequence.push(blob);
                }
            }
            Blob::new_with_blob_sequence(&sequence).map_err(|error| unavailable(&error))
        })
        .collect::<Result<_, _>>()?;
    let sized = ask(pool, &parts, asked, &wanted).await?;
    let problems = analysis
        .files
        .iter()
        .zip(problems)
        .filter(|(file, _)| file.result.is_ok())
        .filter_map(|(file, problem)| Some(format!("{}: {}", file.name, problem?)))
        .collect();
    Ok(Answered { sized, problems, parts })
}

/// Answers `asked` again from the parts kept (a search, another size). A
/// number whose worker died is asked once more (of the worker that replaced it).
pub async fn ask(pool: &Pool, parts: &[Blob], asked: &Asked, wanted: &impl Fn() -> bool) -> Result<Sized, Stopped> {
    let once = |blob: &Blob| {
        let blob = blob.clone();
        async move {
            let request = || Request::Answer(asked.clone());
            match pool.run(pool.new_file_key(), blob.clone(), request(), None).await {
                Err(JobError::Crashed(_)) => pool.run(pool.new_file_key(), blob, request(), None).await,
                reply => reply,
            }
        }
    };
    let mut answers = Vec::new();
    for reply in futures::future::join_all(parts.iter().map(once)).await {
        match reply {
            Ok(Done { reply: Reply::Answer(sized), .. }) => answers.push(*sized),
            Err(JobError::Cancelled) => return Err(Stopped::Cancelled),
            other => {
                let why = failure(other)?;
                return Err(Stopped::Unavailable(crate::browser::error::Error::Internal(why)));
            }
        }
    }
    if !wanted() {
        return Err(Stopped::Cancelled);
    }
    Ok(Sized::merge(answers, asked.top))
}

/// Every group of the question, a number at a time (each number's groups
/// handed to `each` and let go before the next is asked), for an export.
pub async fn every_group(
    pool: &Pool,
    parts: &[Blob],
    asked: &Asked,
    wanted: &impl Fn() -> bool,
    mut each: impl FnMut(Sized),
) -> Result<(), Stopped> {
    let all = Asked { top: usize::MAX, ..asked.clone() };
    for number in parts {
        each(ask(pool, std::slice::from_ref(number), &all, wanted).await?);
    }
    Ok(())
}

fn unavailable(error: &JsValue) -> Stopped {
    Stopped::Unavailable(crate::browser::error::Error::Internal(crate::browser::error::js_message(error)))
}
