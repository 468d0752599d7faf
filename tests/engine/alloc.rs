//! A global allocator that counts, per thread, the bytes in use, their peak and
//! the largest single allocation, so a test can tell how much memory reading a
//! file took.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    static IN_USE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

/// Counts what the current thread allocates.
pub struct Counting;

fn allocated(size: usize) {
    let _ = IN_USE.try_with(|in_use| {
        in_use.set(in_use.get() + size as isize);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(in_use.get())));
    });
    let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(size)));
}

fn freed(size: usize) {
    let _ = IN_USE.try_with(|in_use| in_use.set(in_use.get() - size as isize));
}

// SAFETY: every call is passed to the system allocator unchanged; the counting
// touches only const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            allocated(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            allocated(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        freed(layout.size());
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            freed(layout.size());
            allocated(new_size);
        }
        moved
    }
}

/// What the current thread allocated while `work` ran: (peak bytes in use above
/// the starting point, largest single allocation).
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, usize, usize) {
    let start = IN_USE.with(Cell::get);
    PEAK.with(|peak| peak.set(start));
    LARGEST.with(|largest| largest.set(0));
    let result = work();
    let peak = (PEAK.with(Cell::get) - start).max(0) as usize;
    (result, peak, LARGEST.with(Cell::get))
}
