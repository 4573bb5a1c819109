//! Where a command's data goes: standard output, or the file given with `-o FILE`,
//! written whole or not at all, and never inside the folders zhongdian reads.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::ExportFormat;
use crate::error::Error;

/// A command's data: text (a table, CSV, JSON, a manual page, an SVG figure), or binary
/// data (a Parquet file, a PNG figure), which never goes to standard output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Text for a terminal, a pipe or a file.
    Text(String),
    /// A Parquet file or a PNG image, for a file only.
    Binary(Vec<u8>),
}

impl From<String> for Output {
    fn from(text: String) -> Self {
        Output::Text(text)
    }
}

/// Where the data goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Standard output.
    Stdout,
    /// This file, replaced whole.
    File(PathBuf),
}

impl Destination {
    /// `file` if one is given, else standard output; refused before any work is done:
    /// Parquet without a file (binary data is never written to a terminal or a pipe by
    /// mistake), and a file inside one of `read`, the folders the command reads (its
    /// corpus and taxonomy), which zhongdian never writes into.
    pub fn choose(
        file: Option<&Path>,
        format: Option<ExportFormat>,
        read: &[PathBuf],
    ) -> Result<Destination, Error> {
        let Some(file) = file else {
            if format == Some(ExportFormat::Parquet) {
                return Err(Error::ParquetNeedsFile);
            }
            return Ok(Destination::Stdout);
        };
        if let Some(inside) = crate::cache::folder_holding(file, read.iter().map(PathBuf::as_path))
        {
            return Err(Error::OutputInside {
                file: file.to_path_buf(),
                inside: inside.to_path_buf(),
            });
        }
        Ok(Destination::File(file.to_path_buf()))
    }

    /// Writes `output` after `mark` (the byte order mark, when one was asked for), as
    /// [`Destination::stream`] does.
    pub fn write(&self, mark: &str, output: &Output) -> Result<(), Error> {
        let bytes: &[u8] = match output {
            Output::Text(text) => text.as_bytes(),
            Output::Binary(bytes) => bytes,
        };
        if matches!(output, Output::Binary(_)) && *self == Destination::Stdout {
            return Err(Error::ParquetNeedsFile);
        }
        self.stream(mark, |out| out.write_all(bytes)).map(drop)
    }

    /// Writes `mark`, then what `write` writes as it writes it, so that a large output
    /// is never held whole. On standard output, a reader that stops early (`| head`) has
    /// all it wanted: a closed pipe ends the write quietly, as it does for other Unix
    /// tools, and the answer is none. A file is written beside its place and then moved
    /// there, so a failed write leaves the old file (or none), never half of one.
    pub fn stream<T>(
        &self,
        mark: &str,
        write: impl FnOnce(&mut dyn Write) -> io::Result<T>,
    ) -> Result<Option<T>, Error> {
        let marked = |out: &mut dyn Write| -> io::Result<T> {
            out.write_all(mark.as_bytes())?;
            let answer = write(out)?;
            out.flush()?;
            Ok(answer)
        };
        match self {
            Destination::Stdout => {
                let mut out = io::BufWriter::new(io::stdout().lock());
                match marked(&mut out) {
                    Ok(answer) => Ok(Some(answer)),
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(None),
                    Err(e) => Err(Error::OutputUnwritable {
                        file: None,
                        reason: e.to_string(),
                    }),
                }
            }
            Destination::File(file) => {
                write_whole(file, marked)
                    .map(Some)
                    .map_err(|e| Error::OutputUnwritable {
                        file: Some(file.clone()),
                        reason: e.to_string(),
                    })
            }
        }
    }
}

/// Writes with `write` to a hidden file beside `file`, then renames it to `file`.
fn write_whole<T>(
    file: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> io::Result<T> {
    let name = file
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut partial_name = std::ffi::OsString::from(".");
    partial_name.push(name);
    partial_name.push(format!(".{}.partial", std::process::id()));
    let partial = file.with_file_name(partial_name);
    let written = (|| {
        let mut out = io::BufWriter::new(std::fs::File::create(&partial)?);
        let answer = write(&mut out)?;
        out.into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .sync_all()?;
        std::fs::rename(&partial, file)?;
        Ok(answer)
    })();
    if written.is_err() {
        // Nothing to add if the partial file cannot be removed either: the write's own
        // error is the one to report.
        let _ = std::fs::remove_file(&partial);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parquet_is_refused_without_a_file() {
        assert_eq!(
            Destination::choose(None, Some(ExportFormat::Parquet), &[]),
            Err(Error::ParquetNeedsFile)
        );
        assert_eq!(
            Destination::choose(None, Some(ExportFormat::Csv), &[]),
            Ok(Destination::Stdout)
        );
        assert_eq!(
            Destination::Stdout.write("", &Output::Binary(b"PAR1".to_vec())),
            Err(Error::ParquetNeedsFile)
        );
    }

    #[test]
    fn a_file_inside_a_read_folder_is_refused_and_one_outside_is_written_whole() {
        let corpus = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let read = [corpus.path().to_path_buf()];
        let inside = corpus.path().join("sub").join("out.csv");
        assert_eq!(
            Destination::choose(Some(&inside), None, &read),
            Err(Error::OutputInside {
                file: inside.clone(),
                inside: corpus.path().to_path_buf(),
            })
        );
        let file = elsewhere.path().join("out.csv");
        let destination = Destination::choose(Some(&file), None, &read).unwrap();
        std::fs::write(&file, "old").unwrap();
        destination
            .write("\u{feff}", &Output::Text("a,b\n".into()))
            .unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "\u{feff}a,b\n");
        // Only the file itself is left: the partial file was moved into its place.
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_partial_one() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should be: the rename fails.
        let file = dir.path().join("out.parquet");
        std::fs::create_dir(&file).unwrap();
        std::fs::write(file.join("kept"), "kept").unwrap();
        let failed = Destination::File(file.clone()).write("", &Output::Binary(vec![1, 2]));
        assert!(
            matches!(&failed, Err(Error::OutputUnwritable { file: Some(f), .. }) if *f == file),
            "{failed:?}"
        );
        assert_eq!(std::fs::read_to_string(file.join("kept")).unwrap(), "kept");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
