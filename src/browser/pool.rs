//! The page's side of the scan workers: a pool sized to the machine's cores.
//!
//! Jobs queue until a worker is free. A worker that crashes (a panic in the
//! engine aborts its wasm instance) fails only the job it was running and is
//! replaced by a fresh one; Cancel terminates busy workers, which stops their
//! work at once, and replaces them too. No `SharedArrayBuffer` is needed, so this
//! runs on any static host.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ErrorEvent, MessageEvent, Response, Worker};

use super::error::Error;
use super::now;
use super::protocol::{self, FileKey, Received, Reply, Request, SplitBytes, decode_reply, encode_request};
use crate::engine::CubeColumns;

/// The worker's loader (`worker_loader.js`, copied by trunk): it waits for the
/// compiled engine, then starts it.
const WORKER_SCRIPT: &str = "worker_loader.js";

/// The worker binary's wasm, as trunk writes it (workers' names are not hashed).
const WORKER_WASM: &str = "ducks-worker_bg.wasm";

/// A busy worker silent for this long is stuck (a scan reports progress ten times
/// a second), and is treated like one that crashed.
const SILENCE_MS: f64 = 20_000.0;

/// How often the watchdog looks.
const WATCHDOG_EVERY_MS: i32 = 5_000;

/// Why a job gave no reply.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JobError {
    /// The worker died running it; the text says how, as far as the browser told.
    #[error("the worker stopped: {0}")]
    Crashed(String),
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
    /// No worker could be started at all.
    #[error(transparent)]
    Unavailable(Error),
}

/// A worker's final reply to a job, and how long the worker spent on it.
#[derive(Debug)]
pub struct Done {
    /// The reply.
    pub reply: Reply,
    /// Milliseconds from the worker receiving the job to its reply.
    pub elapsed: f64,
}

/// What a running job tells before its final reply.
pub enum Partial {
    /// Rows scanned since the last report.
    Rows(u64),
    /// A part of an explorer scan's cube.
    Cube(Box<CubeColumns>),
    /// A part of a split scan's cube, as a `Blob` per part.
    Split(Box<SplitBytes>),
}

/// Called with what a job tells before its final reply.
pub type OnPartial = Rc<dyn Fn(Partial)>;

struct Job {
    /// The worker that must run it, if it matters.
    worker: Option<usize>,
    key: FileKey,
    file: Blob,
    request: Request,
    done: oneshot::Sender<Result<Done, JobError>>,
    partial: Option<OnPartial>,
    /// The group it was queued in (see [`Pool::in_new_group`]).
    group: Option<u64>,
}

struct Slot {
    worker: Worker,
    ready: bool,
    job: Option<(u32, Job)>,
    /// When the worker last said anything (`Date.now()`), for the watchdog.
    heard: f64,
    /// Kept so the handlers live as long as the worker.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

struct Inner {
    slots: Vec<Slot>,
    queue: VecDeque<Job>,
    next_job: u32,
    next_key: FileKey,
    next_group: u64,
    /// Set when workers die before they ever become ready: the engine cannot run here.
    broken: Option<Error>,
    ever_ready: bool,
    /// The largest wasm memory any worker has reported.
    peak_memory: f64,
    /// The workers' engine, compiled once on the page: resolves with the
    /// `WebAssembly.Module`, or with null if it could not be compiled here.
    engine: js_sys::Promise,
    /// When the engine was compiled and each worker first became ready, in ms
    /// since the page opened (the diagnostics show where a first file's wait goes).
    startup: Startup,
    /// Kept so the watchdog's timer lives as long as the pool.
    _watchdog: Option<Closure<dyn FnMut()>>,
}

/// A pool of scan workers. Cheap to clone; all clones share the workers. A
/// handle made by [`Pool::in_new_group`] queues its jobs in a group of their
/// own, which it can cancel without touching the others'.
#[derive(Clone)]
pub struct Pool(Rc<RefCell<Inner>>, Option<u64>);

impl Pool {
    /// Starts `size` workers (they load the engine in the background).
    pub fn new(size: usize) -> Pool {
        let pool = Pool(
            Rc::new(RefCell::new(Inner {
                slots: Vec::new(),
                queue: VecDeque::new(),
                next_job: 1,
                next_key: 1,
                next_group: 1,
                broken: None,
                ever_ready: false,
                peak_memory: 0.0,
                engine: compile_engine(),
                startup: Startup::default(),
                _watchdog: None,
            })),
            None,
        );
        {
            let weak = Rc::downgrade(&pool.0);
            let engine = pool.0.borrow().engine.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let compiled = JsFuture::from(engine).await.is_ok_and(|module| !module.is_null());
                if let Some(pool) = weak.upgrade() {
                    pool.borrow_mut().startup.compiled = compiled.then(now);
                }
            });
        }
        for index in 0..size.max(1) {
            let engine = pool.0.borrow().engine.clone();
            match spawn(Rc::downgrade(&pool.0), index, engine, index == 0) {
                Ok(slot) => pool.0.borrow_mut().slots.push(slot),
                Err(problem) => {
                    pool.0.borrow_mut().broken = Some(problem);
                    break;
                }
            }
        }
        let weak = Rc::downgrade(&pool.0);
        let watchdog = Closure::<dyn FnMut()>::new(move || {
            if let Some(pool) = weak.upgrade() {
                unresponsive(&pool);
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
                watchdog.as_ref().unchecked_ref(),
                WATCHDOG_EVERY_MS,
            );
        }
        pool.0.borrow_mut()._watchdog = Some(watchdog);
        pool
    }

    /// A pool sized to `navigator.hardwareConcurrency`.
    pub fn for_this_machine() -> Pool {
        let cores = web_sys::window().map_or(1.0, |window| window.navigator().hardware_concurrency());
        Pool::new((cores as usize).clamp(1, 16))
    }

    /// How many workers share the work.
    pub fn size(&self) -> usize {
        self.0.borrow().slots.len().max(1)
    }

    /// The largest wasm memory (bytes) a worker of this pool has had.
    pub fn peak_memory(&self) -> u64 {
        self.0.borrow().peak_memory as u64
    }

    /// When the engine was compiled and the workers became ready.
    pub fn startup(&self) -> Startup {
        self.0.borrow().startup.clone()
    }

    /// A key no other file sent to this pool has had.
    pub fn new_file_key(&self) -> FileKey {
        let mut inner = self.0.borrow_mut();
        inner.next_key += 1;
        inner.next_key
    }

    /// Queues `request` on `file` and resolves with the worker's final reply.
    pub async fn run(
        &self,
        key: FileKey,
        file: Blob,
        request: Request,
        partial: Option<OnPartial>,
    ) -> Result<Done, JobError> {
        self.run_on(None, key, file, request, partial).await
    }

    /// Runs `request` on every worker at once, so each has the file open (its
    /// footer read and parsed) before the work on it is shared out; resolves with
    /// the first worker's reply, or another's if the first one crashed.
    pub async fn run_everywhere(&self, key: FileKey, file: Blob, request: Request) -> Result<Done, JobError> {
        let runs = (0..self.size()).map(|worker| self.run_on(Some(worker), key, file.clone(), request.clone(), None));
        let replies = futures::future::join_all(runs).await;
        let alive = replies.iter().position(|reply| !matches!(reply, Err(JobError::Crashed(_))));
        replies.into_iter().nth(alive.unwrap_or(0)).unwrap_or(Err(JobError::Cancelled))
    }

    async fn run_on(
        &self,
        worker: Option<usize>,
        key: FileKey,
        file: Blob,
        request: Request,
        partial: Option<OnPartial>,
    ) -> Result<Done, JobError> {
        let (done, reply) = oneshot::channel();
        {
            let mut inner = self.0.borrow_mut();
            if let Some(problem) = &inner.broken {
                return Err(JobError::Unavailable(problem.clone()));
            }
            inner.queue.push_back(Job { worker, key, file, request, done, partial, group: self.1 });
        }
        dispatch(&self.0);
        reply.await.unwrap_or(Err(JobError::Cancelled))
    }

    /// Drops every queued job; running ones finish (their replies go to whoever
    /// still waits for them). A new analysis does this rather than stopping
    /// workers, which would have to load and warm up again.
    pub fn cancel_queued(&self) {
        let dropped: Vec<Job> = self.0.borrow_mut().queue.drain(..).collect();
        for job in dropped {
            let _ = job.done.send(Err(JobError::Cancelled));
        }
    }

    /// Stops every queued and running job: busy workers are terminated (their work
    /// stops at once) and replaced.
    pub fn cancel_all(&self) {
        self.cancel_where(|_| true);
    }

    /// This handle's jobs in a group of their own: cancelling the group stops
    /// them and leaves the other jobs be.
    pub fn in_new_group(&self) -> Pool {
        let mut inner = self.0.borrow_mut();
        inner.next_group += 1;
        Pool(Rc::clone(&self.0), Some(inner.next_group))
    }

    /// Stops the queued and running jobs of this handle's group (a handle of no
    /// group stops nothing), as [`Pool::cancel_all`] does: a scan found not
    /// worth finishing frees the workers for the next one at once.
    pub fn cancel_group(&self) {
        if let Some(group) = self.1 {
            self.cancel_where(|job| job.group == Some(group));
            dispatch(&self.0);
        }
    }

    fn cancel_where(&self, which: impl Fn(&Job) -> bool) {
        let mut failed = Vec::new();
        {
            let mut inner = self.0.borrow_mut();
            let (stopped, kept): (VecDeque<Job>, VecDeque<Job>) = inner.queue.drain(..).partition(|job| which(job));
            inner.queue = kept;
            failed.extend(stopped);
            let busy: Vec<usize> = (0..inner.slots.len())
                .filter(|&i| inner.slots[i].job.as_ref().is_some_and(|(_, job)| which(job)))
                .collect();
            for index in busy {
                if let Some((_, job)) = inner.slots[index].job.take() {
                    failed.push(job);
                }
                replace(&self.0, &mut inner, index);
            }
        }
        for job in failed {
            let _ = job.done.send(Err(JobError::Cancelled));
        }
    }
}

/// When the pool's engine was compiled and its first workers became ready, in ms
/// since the page opened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Startup {
    /// When the page had the compiled engine; `None` if each worker compiled its own.
    pub compiled: Option<f64>,
    /// When each of the first workers said it was ready, earliest first.
    pub ready: Vec<f64>,
}

/// Fetches and compiles the workers' wasm. Each worker compiling its own copy
/// costs a download and a compilation apiece (about 1.5 s before WebKit's first
/// scan), and the code one worker's warm-up gets optimised would not serve the
/// others. Null where it fails: each worker then loads the wasm itself, and says
/// what went wrong if that fails too.
fn compile_engine() -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async { Ok(compiled_engine().await.unwrap_or(JsValue::NULL)) })
}

async fn compiled_engine() -> Result<JsValue, JsValue> {
    use js_sys::WebAssembly;
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    // Streaming compiles while the bytes arrive; it needs the host to serve
    // `application/wasm`, so any other answer is compiled from the whole bytes.
    if let Ok(module) = JsFuture::from(WebAssembly::compile_streaming(&window.fetch_with_str(WORKER_WASM))).await {
        return Ok(module);
    }
    let response: Response = JsFuture::from(window.fetch_with_str(WORKER_WASM)).await?.unchecked_into();
    if !response.ok() {
        return Err(JsValue::NULL);
    }
    let bytes = JsFuture::from(response.array_buffer()?).await?;
    JsFuture::from(WebAssembly::compile(&bytes)).await
}

/// Starts the worker for slot `index`; `warm_up` for the pool's first one.
fn spawn(pool: Weak<RefCell<Inner>>, index: usize, engine: js_sys::Promise, warm_up: bool) -> Result<Slot, Error> {
    let worker = Worker::new(WORKER_SCRIPT)
        .map_err(|error| Error::Unstartable(format!("a worker could not be created: {error:?}")))?;
    {
        // The loader's first message: the compiled engine (or null), and whether to
        // warm it up. The workers share the engine's code, optimised code included,
        // so one warm-up serves them all: only the pool's first worker runs it, and
        // the others' start (a replacement's too) costs no CPU the first file could
        // use. A worker that compiled its own engine warms up its own.
        let worker = worker.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let module = JsFuture::from(engine).await.unwrap_or(JsValue::NULL);
            let warm_up = warm_up || module.is_null();
            let _ = worker.post_message(&protocol::boot::message(&module, warm_up));
        });
    }
    let on_message = {
        let pool = pool.clone();
        let worker = worker.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(pool) = pool.upgrade() {
                received(&pool, index, &worker, &event.data());
            }
        })
    };
    let on_error = {
        let worker = worker.clone();
        Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            if let Some(pool) = pool.upgrade() {
                died(&pool, index, &worker, event.message());
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Slot {
        worker,
        ready: false,
        job: None,
        heard: js_sys::Date::now(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Replaces the worker in slot `index` by a fresh one.
fn replace(pool: &Rc<RefCell<Inner>>, inner: &mut Inner, index: usize) {
    inner.slots[index].worker.terminate();
    match spawn(Rc::downgrade(pool), index, inner.engine.clone(), false) {
        Ok(slot) => inner.slots[index] = slot,
        Err(problem) => inner.broken = Some(problem),
    }
}

/// Sends queued jobs to idle, ready workers.
fn dispatch(pool: &Rc<RefCell<Inner>>) {
    let mut inner = pool.borrow_mut();
    let inner = &mut *inner;
    for (index, slot) in inner.slots.iter_mut().enumerate().filter(|(_, slot)| slot.ready && slot.job.is_none()) {
        let Some(position) = inner.queue.iter().position(|job| job.worker.is_none_or(|worker| worker == index)) else {
            continue;
        };
        let Some(job) = inner.queue.remove(position) else { continue };
        let id = inner.next_job;
        inner.next_job = inner.next_job.wrapping_add(1).max(1);
        let message = encode_request(id, job.key, &job.file, &job.request);
        match slot.worker.post_message(&message) {
            Ok(()) => {
                slot.job = Some((id, job));
                slot.heard = js_sys::Date::now();
            }
            Err(error) => {
                let _ = job
                    .done
                    .send(Err(JobError::Crashed(format!("the file could not be sent to a worker ({error:?})"))));
            }
        }
    }
}

/// Whether `worker` is still the one in slot `index` (events of a replaced worker are stale).
fn current(inner: &Inner, index: usize, worker: &Worker) -> bool {
    inner.slots.get(index).is_some_and(|slot| &slot.worker == worker)
}

fn received(pool: &Rc<RefCell<Inner>>, index: usize, worker: &Worker, message: &JsValue) {
    let Received { id, reply, memory, elapsed } = decode_reply(message);
    let mut finished = None;
    let mut partial = None;
    {
        let mut inner = pool.borrow_mut();
        if !current(&inner, index, worker) {
            return;
        }
        inner.peak_memory = inner.peak_memory.max(memory);
        inner.slots[index].heard = js_sys::Date::now();
        match reply {
            Reply::Ready => {
                if inner.startup.ready.len() < inner.slots.len() {
                    inner.startup.ready.push(now());
                }
                inner.slots[index].ready = true;
                inner.ever_ready = true;
            }
            Reply::Progress(rows) => partial = running_job(&inner, index, id).map(|c| (c, Partial::Rows(rows))),
            Reply::CubePart(columns) => partial = running_job(&inner, index, id).map(|c| (c, Partial::Cube(columns))),
            Reply::SplitPart(split) => partial = running_job(&inner, index, id).map(|c| (c, Partial::Split(split))),
            Reply::Crashed(message) => {
                if let Some((_, job)) = inner.slots[index].job.take() {
                    finished = Some((job, Err(JobError::Crashed(message))));
                }
                replace(pool, &mut inner, index);
            }
            reply => {
                if inner.slots[index].job.as_ref().is_some_and(|(running, _)| *running == id) {
                    let (_, job) = inner.slots[index].job.take().expect("checked above");
                    finished = Some((job, Ok(Done { reply, elapsed })));
                }
            }
        }
    }
    if let Some((callback, told)) = partial {
        callback(told);
    }
    if let Some((job, outcome)) = finished {
        let _ = job.done.send(outcome);
    }
    dispatch(pool);
}

/// The callback of job `id`, if it is the one running in slot `index` and wants
/// to hear before it is done.
fn running_job(inner: &Inner, index: usize, id: u32) -> Option<OnPartial> {
    inner.slots[index].job.as_ref().filter(|(running, _)| *running == id).and_then(|(_, job)| job.partial.clone())
}

fn died(pool: &Rc<RefCell<Inner>>, index: usize, worker: &Worker, message: String) {
    let mut failed = Vec::new();
    {
        let mut inner = pool.borrow_mut();
        if !current(&inner, index, worker) {
            return;
        }
        if !inner.ever_ready && !inner.slots[index].ready {
            // The engine never started: replacing the worker would fail the same way.
            let problem =
                Error::Unstartable(if message.is_empty() { "its worker failed to load".into() } else { message });
            inner.broken = Some(problem.clone());
            failed.extend(inner.queue.drain(..).map(|job| (job, JobError::Unavailable(problem.clone()))));
        } else {
            if let Some((_, job)) = inner.slots[index].job.take() {
                let reason =
                    if message.is_empty() { "it stopped without saying why (out of memory?)".into() } else { message };
                failed.push((job, JobError::Crashed(reason)));
            }
            replace(pool, &mut inner, index);
        }
    }
    for (job, error) in failed {
        let _ = job.done.send(Err(error));
    }
    dispatch(pool);
}

/// Replaces busy workers that have said nothing for [`SILENCE_MS`]: stuck in a
/// loop, or gone without an error event.
fn unresponsive(pool: &Rc<RefCell<Inner>>) {
    let now = js_sys::Date::now();
    let stuck: Vec<(usize, Worker)> = pool
        .borrow()
        .slots
        .iter()
        .enumerate()
        .filter(|(_, slot)| slot.job.is_some() && now - slot.heard > SILENCE_MS)
        .map(|(index, slot)| (index, slot.worker.clone()))
        .collect();
    for (index, worker) in stuck {
        died(pool, index, &worker, format!("it stopped responding for {} s", SILENCE_MS / 1000.0));
    }
}
