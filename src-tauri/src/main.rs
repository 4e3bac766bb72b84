// The release build on Windows has no console window; on Linux this attribute does nothing.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    malkart_app::run();
}
