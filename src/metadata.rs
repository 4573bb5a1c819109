//! Stated metadata: what a person wrote down about a report, in TOML front matter at the
//! top of the file or in a `meetings.toml` beside the corpus. Stated facts outrank anything
//! inferred from the text.
//!
//! Both sources are read leniently: a bad field is a warning naming the file and line, and
//! the other fields still count.

use std::collections::BTreeMap;

use crate::meeting::{Date, MeetingKind, PLAUSIBLE_YEARS};
use crate::table::{Columns, TableKind};

/// The file name of the corpus-level metadata.
pub const MANIFEST_FILE: &str = "meetings.toml";

/// The fields a person may state about a meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatedFields {
    /// The holder, as a name in any printed form or a code.
    pub district: Option<String>,
    /// The work year the meeting is about.
    pub year: Option<i32>,
    /// The day it met.
    pub date: Option<Date>,
    /// Its headline.
    pub title: Option<String>,
    /// What kind of meeting it was.
    pub kind: Option<MeetingKind>,
    /// Where the person's knowledge comes from (a URL, an archive, "the PDF's cover").
    pub source: Option<String>,
    /// Anything else the person wants a reader of the record to know.
    pub note: Option<String>,
    /// The holder's party secretary at the meeting.
    pub secretary: Option<StatedLeader>,
    /// The holder's government head at the meeting.
    pub head: Option<StatedLeader>,
}

/// A leader as a person states one: `secretary = "涂晓晖"`, or with the office when it
/// is held acting, `head = "代区长 李婷"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedLeader {
    /// The name.
    pub name: String,
    /// Whether the stated office says acting (代…).
    pub acting: bool,
}

fn leader(value: &toml::Value) -> Result<StatedLeader, String> {
    let value = text(value)?;
    let parts: Vec<&str> = value.split_whitespace().collect();
    match parts[..] {
        [name] => Ok(StatedLeader {
            name: name.to_owned(),
            acting: false,
        }),
        [office, name] => Ok(StatedLeader {
            name: name.to_owned(),
            acting: office.starts_with('代'),
        }),
        _ => Err(format!(
            "`{value}`: expected a name, or an office and a name (\"代区长 李婷\")"
        )),
    }
}

impl StatedFields {
    /// Reads the fields of one TOML table. `line_of` maps a key to its line in the
    /// source so warnings can point at it.
    fn from_table(table: &toml::Table, line_of: impl Fn(&str) -> usize) -> (Self, Vec<String>) {
        let mut fields = StatedFields::default();
        let mut warnings = Vec::new();
        for (key, value) in table {
            let line = line_of(key);
            let result = match key.as_str() {
                "district" => text(value).map(|v| fields.district = Some(v)),
                "title" => text(value).map(|v| fields.title = Some(v)),
                "source" => text(value).map(|v| fields.source = Some(v)),
                "note" => text(value).map(|v| fields.note = Some(v)),
                "secretary" => leader(value).map(|v| fields.secretary = Some(v)),
                "head" => leader(value).map(|v| fields.head = Some(v)),
                "year" => year(value).map(|v| fields.year = Some(v)),
                "date" => date(value).map(|v| fields.date = Some(v)),
                "kind" => text(value)
                    .and_then(|v| v.parse::<MeetingKind>())
                    .map(|v| fields.kind = Some(v)),
                _ => Err(format!(
                    "unknown key `{key}`; expected district, year, date, title, kind, secretary, head, source or note"
                )),
            };
            if let Err(why) = result {
                warnings.push(format!("line {line}: {why}"));
            }
        }
        (fields, warnings)
    }

    /// `self` where it has a value, `weaker` elsewhere.
    pub fn or(self, weaker: StatedFields) -> StatedFields {
        StatedFields {
            district: self.district.or(weaker.district),
            year: self.year.or(weaker.year),
            date: self.date.or(weaker.date),
            title: self.title.or(weaker.title),
            kind: self.kind.or(weaker.kind),
            source: self.source.or(weaker.source),
            note: self.note.or(weaker.note),
            secretary: self.secretary.or(weaker.secretary),
            head: self.head.or(weaker.head),
        }
    }
}

fn text(value: &toml::Value) -> Result<String, String> {
    match value.as_str().map(str::trim) {
        Some("") => Err("expected a non-empty string, found \"\"".into()),
        Some(s) => Ok(s.to_owned()),
        None => Err(format!("expected a string, found {}", value.type_str())),
    }
}

fn year(value: &toml::Value) -> Result<i32, String> {
    let year = value
        .as_integer()
        .ok_or_else(|| format!("year: expected an integer, found {}", value.type_str()))?;
    i32::try_from(year)
        .ok()
        .filter(|y| PLAUSIBLE_YEARS.contains(y))
        .ok_or_else(|| {
            format!(
                "year {year} is outside {}–{}",
                PLAUSIBLE_YEARS.start(),
                PLAUSIBLE_YEARS.end()
            )
        })
}

fn date(value: &toml::Value) -> Result<Date, String> {
    match value {
        toml::Value::String(s) => s.parse(),
        toml::Value::Datetime(dt) => {
            let day = dt
                .date
                .ok_or_else(|| format!("date: expected a day, found the time {dt}"))?;
            Date::new(
                i32::from(day.year),
                u32::from(day.month),
                u32::from(day.day),
            )
            .ok_or_else(|| format!("date {dt} is not a plausible day"))
        }
        other => Err(format!(
            "date: expected \"YYYY-MM-DD\", found {}",
            other.type_str()
        )),
    }
}

/// The 1-based line on which `key` is assigned, searching from `from_line`; falls back to
/// `from_line` when the key cannot be found (e.g. it was written as a dotted key).
fn line_of_key(source: &str, from_line: usize, key: &str) -> usize {
    source
        .lines()
        .enumerate()
        .skip(from_line.saturating_sub(1))
        .find(|(_, line)| {
            let line = line.trim_start().trim_start_matches('"');
            line.strip_prefix(key).is_some_and(|rest| {
                rest.trim_start()
                    .trim_start_matches('"')
                    .trim_start()
                    .starts_with('=')
            })
        })
        .map_or(from_line, |(i, _)| i + 1)
}

/// The 1-based line of a byte offset.
fn line_at(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// A file split into its front matter (if any) and the report text after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// The fields the front matter states.
    pub fields: StatedFields,
    /// Its problems, each naming its line: a bad field, malformed TOML, no closing `+++`.
    pub warnings: Vec<String>,
    /// The report text, after the closing `+++`.
    pub body: &'a str,
    /// How many lines the front matter took, so body line numbers can be reported.
    pub lines: usize,
}

/// Splits TOML front matter between `+++` lines off the top of a report. A file without
/// front matter is all body; a malformed block is a warning and its fields are ignored.
pub fn split_front_matter(text: &str) -> FrontMatter<'_> {
    let no_front_matter = FrontMatter {
        fields: StatedFields::default(),
        warnings: Vec::new(),
        body: text,
        lines: 0,
    };
    let Some(rest) = text.strip_prefix("+++") else {
        return no_front_matter;
    };
    let Some(rest) = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
    else {
        return no_front_matter;
    };
    let Some((toml_src, body)) = find_closing_fence(rest) else {
        return FrontMatter {
            warnings: vec![
                "line 1: front matter opened with +++ is never closed; read as text".into(),
            ],
            ..no_front_matter
        };
    };
    let lines = toml_src.lines().count() + 2;
    let (fields, warnings) = match toml_src.parse::<toml::Table>() {
        Ok(table) => {
            let (fields, warnings) =
                StatedFields::from_table(&table, |key| line_of_key(toml_src, 1, key) + 1);
            (
                fields,
                warnings
                    .into_iter()
                    .map(|w| format!("front matter {w}"))
                    .collect(),
            )
        }
        Err(e) => {
            let line = e.span().map_or(1, |span| line_at(toml_src, span.start)) + 1;
            (
                StatedFields::default(),
                vec![format!(
                    "front matter line {line}: malformed TOML ({}); its fields are ignored",
                    e.message()
                )],
            )
        }
    };
    FrontMatter {
        fields,
        warnings,
        body,
        lines,
    }
}

/// The TOML before a line that is exactly `+++`, and the text after that line.
fn find_closing_fence(rest: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// `meetings.toml`: stated fields for files named by their path relative to the corpus
/// root, one table per file:
///
/// ```toml
/// ["2018/003_0c41b430a93a6d9e.txt"]
/// year = 2018
/// source = "泉州市丰泽区人民政府网, 2018-01-12"
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The entries, by the file's path relative to the corpus root.
    pub entries: BTreeMap<String, ManifestEntry>,
    /// Problems with the manifest itself, each naming its line.
    pub warnings: Vec<String>,
}

/// What `meetings.toml` states about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    /// The fields its table states.
    pub fields: StatedFields,
    /// For a table of reports, which of its columns hold which part of a report
    /// (`text-column = "article"` …).
    pub columns: Columns,
    /// The line of the entry's header, for "names a file that does not exist".
    pub line: usize,
}

impl Manifest {
    /// Parses a manifest. Malformed TOML makes the whole manifest unusable (one warning);
    /// a bad entry or field only loses that entry or field.
    pub fn parse(source: &str) -> Manifest {
        let table = match source.parse::<toml::Table>() {
            Ok(table) => table,
            Err(e) => {
                let line = e.span().map_or(1, |span| line_at(source, span.start));
                return Manifest {
                    entries: BTreeMap::new(),
                    warnings: vec![format!(
                        "{MANIFEST_FILE} line {line}: malformed TOML ({}); the whole file is ignored",
                        e.message()
                    )],
                };
            }
        };
        // toml::Table forgets positions; the spanned parse of the same text remembers
        // where each entry starts.
        let entry_lines: BTreeMap<String, usize> = toml::de::DeTable::parse(source)
            .map(|doc| {
                doc.get_ref()
                    .iter()
                    .map(|(key, _)| (key.get_ref().to_string(), line_at(source, key.span().start)))
                    .collect()
            })
            .unwrap_or_default();
        let mut manifest = Manifest::default();
        for (key, value) in &table {
            let line = entry_lines.get(key).copied().unwrap_or(1);
            let path = normalize_path(key);
            let toml::Value::Table(fields_table) = value else {
                manifest.warnings.push(format!(
                    "{MANIFEST_FILE} line {line}: `{path}` should be a table of fields, like [\"{path}\"] year = 2026"
                ));
                continue;
            };
            let line_of = |field: &str| line_of_key(source, line + 1, field);
            let (columns, fields_table, mut warnings) = columns_of(fields_table, line_of);
            let (fields, stated_warnings) = StatedFields::from_table(&fields_table, line_of);
            warnings.extend(stated_warnings);
            if columns != Columns::default() && TableKind::of(std::path::Path::new(&path)).is_none()
            {
                warnings.push(format!(
                    "line {line}: names columns, but `{path}` is not a table (.jsonl, .ndjson, .csv, .tsv)"
                ));
            }
            manifest.warnings.extend(
                warnings
                    .into_iter()
                    .map(|w| format!("{MANIFEST_FILE} {w} (entry `{path}`)")),
            );
            manifest.entries.insert(
                path,
                ManifestEntry {
                    fields,
                    columns,
                    line,
                },
            );
        }
        manifest
    }
}

/// The columns an entry names (`text-column = "article"`), its other keys, and the
/// problems of the columns' keys, each naming its line (`line_of` a key's).
fn columns_of(
    entry: &toml::Table,
    line_of: impl Fn(&str) -> usize,
) -> (Columns, toml::Table, Vec<String>) {
    let mut columns = Columns::default();
    let mut rest = toml::Table::new();
    let mut warnings = Vec::new();
    for (key, value) in entry {
        let slot = match key.as_str() {
            "text-column" => &mut columns.text,
            "title-column" => &mut columns.title,
            "date-column" => &mut columns.date,
            "url-column" => &mut columns.url,
            "source-column" => &mut columns.source,
            "district-column" => &mut columns.district,
            "year-column" => &mut columns.year,
            _ => {
                rest.insert(key.clone(), value.clone());
                continue;
            }
        };
        match text(value) {
            Ok(name) => *slot = Some(name),
            Err(why) => warnings.push(format!("line {}: {key}: {why}", line_of(key))),
        }
    }
    (columns, rest, warnings)
}

/// Paths in the manifest are compared with '/' separators and no leading `./`.
pub fn normalize_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.trim_start_matches("./").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fields_are_read() {
        let file = "+++\ndistrict = \"丰泽区\"\nyear = 2018\ndate = 2018-01-11\nkind = \"政府全体会议\"\nsource = \"archive\"\n+++\n11日上午，会议召开。";
        let fm = split_front_matter(file);
        assert_eq!(fm.body, "11日上午，会议召开。");
        assert_eq!(fm.fields.district.as_deref(), Some("丰泽区"));
        assert_eq!(fm.fields.year, Some(2018));
        assert_eq!(fm.fields.date, Date::new(2018, 1, 11));
        assert_eq!(fm.fields.kind, Some(MeetingKind::GovernmentPlenary));
        assert!(fm.warnings.is_empty(), "{:?}", fm.warnings);
        assert_eq!(fm.lines, 7);
    }

    #[test]
    fn bad_front_matter_fields_are_warnings_naming_their_line() {
        let file = "+++\ndistrict = \"丰泽区\"\nyear = 99999\ndate = \"2026-02-30\"\ncolour = \"red\"\n+++\n正文";
        let fm = split_front_matter(file);
        assert_eq!(fm.fields.district.as_deref(), Some("丰泽区"));
        assert_eq!(fm.fields.year, None);
        assert_eq!(fm.fields.date, None);
        let all = fm.warnings.join("\n");
        assert!(all.contains("line 3: year 99999 is outside"), "{all}");
        assert!(all.contains("line 4: \"2026-02-30\" is not a day"), "{all}");
        assert!(all.contains("line 5: unknown key `colour`"), "{all}");
    }

    #[test]
    fn malformed_front_matter_is_one_warning() {
        let fm = split_front_matter("+++\nyear = = 2\n+++\n正文");
        assert_eq!(fm.body, "正文");
        assert_eq!(fm.fields, StatedFields::default());
        assert!(
            fm.warnings[0].starts_with("front matter line 2: malformed TOML"),
            "{:?}",
            fm.warnings
        );
        let unclosed = split_front_matter("+++\nyear = 2026\n正文");
        assert_eq!(unclosed.body, "+++\nyear = 2026\n正文");
        assert_eq!(unclosed.warnings.len(), 1);
    }

    #[test]
    fn text_without_front_matter_is_all_body() {
        let fm = split_front_matter("+++ 不是 front matter\n正文");
        assert_eq!(fm.lines, 0);
        assert!(fm.warnings.is_empty());
    }

    #[test]
    fn manifest_entries_and_their_problems() {
        let source = "stray = 1\n\n[\"a/003.txt\"]\nyear = 2018\nsource = \"site\"\n\n[\"./004.txt\"]\nyear = 0\ndistrict = \"红旗区\"\n\n[\"005.txt\"]\ndistrikt = \"x\"\n";
        let manifest = Manifest::parse(source);
        assert_eq!(manifest.entries["a/003.txt"].fields.year, Some(2018));
        let e4 = &manifest.entries["004.txt"];
        assert_eq!(
            (e4.fields.year, e4.fields.district.as_deref()),
            (None, Some("红旗区"))
        );
        assert_eq!(e4.line, 7);
        let all = manifest.warnings.join("\n");
        assert!(
            all.contains("meetings.toml line 8: year 0 is outside"),
            "{all}"
        );
        assert!(
            all.contains("meetings.toml line 12: unknown key `distrikt`"),
            "{all}"
        );
        assert!(all.contains("line 1: `stray` should be a table"), "{all}");
    }

    #[test]
    fn malformed_manifest_is_ignored_with_its_line() {
        let manifest = Manifest::parse("[\"a.txt\"]\nyear = 2018\n[\"b.txt\"\n");
        assert!(manifest.entries.is_empty());
        assert!(
            manifest.warnings[0].starts_with("meetings.toml line 3: malformed TOML"),
            "{:?}",
            manifest.warnings
        );
    }
}
