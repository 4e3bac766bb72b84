//! The app's command lists agree: the `#[tauri::command]` functions in `commands.rs`, the
//! `generate_handler!` list in `lib.rs`, the app manifest's `COMMANDS` in `build.rs`, the
//! permissions granted in `capabilities/main.json`, and the `invoke`s of
//! `ui/src/lib/backend/tauri.ts` — names and argument names (Tauri maps the UI's camelCase
//! to the commands' snake_case). A command added in one place and forgotten in another fails
//! here, not in the running app. The files are read as text.
//!
//! The commands and their arguments are also written to `ui/src/bindings/commands.json`
//! (like the generated types, the test script fails when it differs from what is
//! committed), so that the UI's unit tests check `tauri.ts` against the Rust side too.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn app_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `dry_run` → `dryRun`: how Tauri names a command's argument on the JavaScript side.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The text from just after `open` (an opening bracket at `start`) to its matching close.
fn bracketed(text: &str, start: usize, open: char, close: char) -> &str {
    let mut depth = 0usize;
    for (i, c) in text[start..].char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return &text[start + open.len_utf8()..start + i];
            }
        }
    }
    panic!("unbalanced {open}{close} from byte {start}");
}

/// Splits at commas that are not inside brackets.
fn top_level_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut from) = (0i32, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[from..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Every `#[tauri::command]` in `commands.rs`: its name and its arguments as the UI names
/// them (the managed `backend` state is not an argument).
fn rust_commands() -> BTreeMap<String, Vec<String>> {
    let text = read(&app_dir().join("src/commands.rs"));
    let mut out = BTreeMap::new();
    for (at, _) in text.match_indices("#[tauri::command]") {
        let rest = &text[at..];
        let fn_at = rest.find("fn ").expect("a fn after #[tauri::command]") + 3;
        let open = rest[fn_at..].find('(').expect("parameters") + fn_at;
        let name = rest[fn_at..open].trim().to_string();
        let args = top_level_parts(bracketed(rest, open, '(', ')'))
            .into_iter()
            .filter_map(|p| p.split_once(':').map(|(n, _)| n.trim()))
            .filter(|n| *n != "backend")
            .map(camel)
            .collect();
        assert!(
            out.insert(name.clone(), args).is_none(),
            "{name} twice in commands.rs"
        );
    }
    out
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// `commands::x,` inside `generate_handler![…]` in `lib.rs`.
fn handler_list() -> Vec<String> {
    let text = read(&app_dir().join("src/lib.rs"));
    let at = text
        .find("generate_handler!")
        .expect("generate_handler! in lib.rs");
    let open = text[at..].find('[').expect("[") + at;
    top_level_parts(bracketed(&text, open, '[', ']'))
        .into_iter()
        .map(|p| p.trim_start_matches("commands::").to_string())
        .collect()
}

/// The strings of `const COMMANDS` in `build.rs`.
fn manifest_list() -> Vec<String> {
    let text = read(&app_dir().join("build.rs"));
    let at = text.find("const COMMANDS").expect("COMMANDS in build.rs");
    let open = text[at..].find("= &[").expect("= &[") + at + 3;
    top_level_parts(bracketed(&text, open, '[', ']'))
        .into_iter()
        .map(|p| p.trim_matches('"').to_string())
        .collect()
}

/// The app's own permissions in `capabilities/main.json` (`allow-x-y` → `x_y`); the core's
/// and the dialog plugin's are named with a `:`.
fn capability_list() -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&read(&app_dir().join("capabilities/main.json"))).expect("JSON");
    json["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.contains(':'))
        .map(|p| {
            p.strip_prefix("allow-")
                .unwrap_or_else(|| panic!("«{p}»: only allow-… permissions are granted"))
                .replace('-', "_")
        })
        .collect()
}

/// Every `call("x")` / `call("x", { a, b: … })` in `tauri.ts`: the command and the keys of
/// its arguments.
fn ui_invokes() -> BTreeMap<String, Vec<String>> {
    let text = read(&app_dir().join("../ui/src/lib/backend/tauri.ts"));
    let mut out = BTreeMap::new();
    for (at, _) in text.match_indices("call(\"") {
        let name_at = at + "call(\"".len();
        let end = text[name_at..].find('"').expect("closing quote") + name_at;
        let name = text[name_at..end].to_string();
        let after = text[end + 1..].trim_start();
        let args = match after.strip_prefix(',') {
            Some(rest) => {
                let rest = rest.trim_start();
                assert!(
                    rest.starts_with('{'),
                    "{name}: arguments must be an object literal"
                );
                let start = text.len() - rest.len();
                top_level_parts(bracketed(&text, start, '{', '}'))
                    .into_iter()
                    .map(|p| p.split(':').next().unwrap_or(p).trim().to_string())
                    .collect()
            }
            None => Vec::new(),
        };
        assert!(
            out.insert(name.clone(), args).is_none(),
            "{name} invoked twice in tauri.ts"
        );
    }
    out
}

#[test]
fn every_list_names_the_same_commands() {
    let commands: Vec<String> = rust_commands().into_keys().collect();
    assert!(commands.len() > 20, "found only {commands:?}");
    assert_eq!(sorted(handler_list()), commands, "lib.rs generate_handler!");
    assert_eq!(sorted(manifest_list()), commands, "build.rs COMMANDS");
    assert_eq!(
        sorted(capability_list()),
        commands,
        "capabilities/main.json"
    );
    let invoked: Vec<String> = ui_invokes().into_keys().collect();
    assert_eq!(invoked, commands, "ui/src/lib/backend/tauri.ts");
}

#[test]
fn the_ui_sends_each_command_exactly_its_arguments() {
    let rust = rust_commands();
    for (name, args) in ui_invokes() {
        let want = rust
            .get(&name)
            .unwrap_or_else(|| panic!("tauri.ts invokes {name}, which is no command"));
        assert_eq!(
            sorted(args),
            sorted(want.clone()),
            "arguments of {name} in tauri.ts"
        );
    }
}

#[test]
fn the_command_list_for_the_ui_tests_is_written() {
    let commands = rust_commands();
    let mut json = serde_json::to_string_pretty(&commands).expect("JSON");
    json.push('\n');
    let path = app_dir().join("../ui/src/bindings/commands.json");
    // Written only when it changed, like the generated types.
    if std::fs::read_to_string(&path).ok().as_deref() != Some(json.as_str()) {
        std::fs::write(&path, json).expect("ui/src/bindings/commands.json written");
    }
}

#[test]
fn the_parsers_find_what_they_are_given() {
    assert_eq!(camel("min_employees"), "minEmployees");
    assert_eq!(
        top_level_parts("a, b: f(x, y), c: { d, e }"),
        ["a", "b: f(x, y)", "c: { d, e }"]
    );
    assert_eq!(bracketed("x(a(b)c)d", 1, '(', ')'), "a(b)c");
}
