//! The scan worker's entry point (built by trunk as a Web Worker).

#[cfg(target_arch = "wasm32")]
fn main() {
    ducks::browser::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
