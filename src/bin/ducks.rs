//! The `ducks` command line; see `ducks --help`.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    // Panics inside the decoder are caught and reported as errors naming the file;
    // the default hook would also print a backtrace-style message.
    std::panic::set_hook(Box::new(|_| {}));
    let args = std::env::args().skip(1).collect();
    ducks::cli::main(args, &mut std::io::stdout().lock(), &mut std::io::stderr().lock())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
