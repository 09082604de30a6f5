//! Helpers shared by the integration tests.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The binary, run in `dir`, in a fixed environment: no painmap variables,
/// no colour, and a table `columns` wide, so output does not depend on
/// the shell the tests run from.
pub fn painmap_in(dir: &Path, columns: u16) -> Command {
    let mut cmd = Command::cargo_bin("painmap").unwrap();
    cmd.current_dir(dir)
        .env_remove("PAINMAP_ROADMAP")
        .env_remove("PAINMAP_AS_OF")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("TERM")
        .env("NO_COLOR", "1")
        .env("COLUMNS", columns.to_string());
    cmd
}
