//! The page's entry point (built by trunk as `ducks-web`).

#[cfg(target_arch = "wasm32")]
fn main() {
    ducks::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
