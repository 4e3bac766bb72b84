//! How the window is drawn on a Linux machine without a GPU (a thin client, a terminal
//! server, a virtual desktop): WebKitGTK would composite every frame with Mesa's software
//! OpenGL (llvmpipe), and on two cores each frame of the app costs 150–220 ms — a grid
//! scrolls at 5 frames a second and every view change waits for two such frames
//! (docs/benchmarks.md, «Without a GPU …»). Without accelerated compositing WebKit paints
//! with the CPU straight into the window: 10–20 ms a frame, 34–37 ms a scroll step.
//!
//! The rule (docs/decisions.md): when the machine has no DRM render node
//! (`/dev/dri/renderD*`, what a GPU's OpenGL needs), the app sets
//! `WEBKIT_DISABLE_COMPOSITING_MODE=1` before GTK starts, unless the person has set it
//! (any value: `0` keeps compositing, WebKit's own meaning). A machine with a GPU is left
//! as it is.

use std::ffi::OsStr;
use std::path::Path;

/// WebKitGTK's switch for accelerated compositing (`1`: off; `0` or unset: WebKit decides).
pub const COMPOSITING_VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Where Linux lists the GPUs' device nodes.
const DRI: &str = "/dev/dri";

/// Whether `dri` holds a render node (`renderD128`, …): a GPU whose OpenGL WebKit can use.
/// No folder, or only display nodes (`card0` of a framebuffer with no 3D), is none.
pub fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Whether to turn accelerated compositing off: no render node, and the person has not
/// chosen for themselves.
pub fn compositing_off(already_set: Option<&OsStr>, render_node: bool) -> bool {
    already_set.is_none() && !render_node
}

/// Applies the rule to this process. Called first thing in `run()`, while the process has
/// one thread (the environment is changed before anything else reads it).
pub fn choose_for_this_machine() {
    if cfg!(target_os = "linux")
        && compositing_off(
            std::env::var_os(COMPOSITING_VAR).as_deref(),
            has_render_node(Path::new(DRI)),
        )
    {
        std::env::set_var(COMPOSITING_VAR, "1");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("malkart-dri-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_render_node_is_a_gpu_and_a_display_node_alone_is_not() {
        let none = temp_dir("none").join("missing");
        assert!(!has_render_node(&none));

        let display_only = temp_dir("card");
        std::fs::write(display_only.join("card0"), "").unwrap();
        assert!(!has_render_node(&display_only));

        let gpu = temp_dir("gpu");
        std::fs::write(gpu.join("card1"), "").unwrap();
        std::fs::write(gpu.join("renderD128"), "").unwrap();
        assert!(has_render_node(&gpu));

        for dir in [display_only, gpu] {
            std::fs::remove_dir_all(dir).unwrap();
        }
    }

    #[test]
    fn compositing_is_turned_off_only_without_a_gpu_and_without_the_persons_own_choice() {
        assert!(compositing_off(None, false));
        assert!(!compositing_off(None, true));
        // The person's own value wins either way, `0` included.
        assert!(!compositing_off(Some(OsStr::new("0")), false));
        assert!(!compositing_off(Some(OsStr::new("1")), true));
    }
}
