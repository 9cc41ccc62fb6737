//! Running other programs: building `Command`s for cargo, echoing them before
//! they run, turning a non-zero exit into an error message, capturing a tool's
//! `--version`, and finding executables on `PATH` or in cargo's bin folder.

use crate::Result;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A `Command` for the cargo that runs this xtask (`$CARGO`), so nested builds
/// use the same toolchain; plain `cargo` if that is not set.
///
/// Incremental compilation is off (`CARGO_INCREMENTAL=0`) unless the caller's environment sets
/// it: the xtask's builds run once per change of code, where incremental data only fills the
/// disk (1.3 GB of `target/debug/incremental` in a full `cargo xtask test` on a clean clone,
/// and CI has failed once for want of disk).
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    if std::env::var_os("CARGO_INCREMENTAL").is_none() {
        command.env("CARGO_INCREMENTAL", "0");
    }
    command
}

/// Renders a command the way a shell user would type it, for logs and errors.
pub fn describe(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program())
        .to_string_lossy()
        .into_owned();
    let mut text = String::new();
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            text.push_str(&format!("{}={} ", key.to_string_lossy(), quote(value)));
        }
    }
    text.push_str(&program);
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&quote(arg));
    }
    text
}

/// Quotes an argument for display if it holds anything a shell would split on.
fn quote(arg: &OsStr) -> String {
    let text = arg.to_string_lossy();
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=./:,+@%".contains(c))
    {
        text.into_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Echoes `cmd`, runs it with the terminal as its stdin/stdout/stderr, and
/// fails unless it exits with status 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = describe(cmd);
    println!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs `cmd` quietly and returns its trimmed stdout if it exited with status 0.
pub fn stdout_of(cmd: &mut Command) -> Option<String> {
    let output = cmd
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Every folder on `PATH`, in order.
pub fn path_dirs() -> Vec<PathBuf> {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default()
}

/// The first executable file called `name` in the folders on `PATH`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    path_dirs()
        .into_iter()
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The folder `cargo install` puts binaries in: `$CARGO_INSTALL_ROOT/bin`,
/// else `$CARGO_HOME/bin`, else `~/.cargo/bin`.
pub fn cargo_bin_dir() -> Option<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(root) = non_empty("CARGO_INSTALL_ROOT") {
        return Some(PathBuf::from(root).join("bin"));
    }
    if let Some(home) = non_empty("CARGO_HOME") {
        return Some(PathBuf::from(home).join("bin"));
    }
    non_empty("HOME").map(|home| PathBuf::from(home).join(".cargo").join("bin"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_quotes_only_what_needs_it() {
        let mut cmd = Command::new("/usr/bin/cargo");
        cmd.args(["clippy", "--", "-D", "warnings", "two words"])
            .env("A", "b");
        assert_eq!(
            describe(&cmd),
            "A=b cargo clippy -- -D warnings 'two words'"
        );
    }
}
