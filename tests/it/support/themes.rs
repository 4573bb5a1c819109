//! A copy of the repository's themes to edit, as a user edits their themes folder.

use std::path::Path;

/// A temporary folder holding a copy of `themes/`.
pub fn copy_of_themes() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    for entry in std::fs::read_dir(themes).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// Replaces the first `from` in the theme folder's `file` by `to`, as a saved edit.
pub fn edit(themes: &Path, file: &str, from: &str, to: &str) {
    let path = themes.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}
