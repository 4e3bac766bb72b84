//! The `malkart` command line (cli.md): a thin layer over the core.
fn main() {}
