//! Stages 1–3 together: a corpus folder in, meeting records out, each fact with where it
//! came from. Stated metadata outranks inference: front matter, then `meetings.toml`, then
//! what the text says, then nothing.

use std::path::Path;

use crate::clean::{self, Cleaned, Format};
use crate::corpus::{self, ReportFile, ReportKind, Skipped};
use crate::decode;
use crate::error::Error;
use crate::gazetteer::{Gazetteer, UnitRef};
use crate::infer::{self, Holder, Inferred, Officer, Page};
use crate::meeting::{Leader, Meeting, Office, Provenance, Sourced, Speaker, LEVEL_CHARS};
use crate::metadata::{self, Manifest, StatedFields, StatedLeader};
use crate::table::{Columns, Fields, RowParts};
use crate::text::han_count;

/// How to read a corpus.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files larger than this are skipped unread (default
    /// [`corpus::DEFAULT_MAX_FILE_BYTES`]); so are a table's rows.
    pub max_file_bytes: u64,
    /// Which columns of a table hold which part of a report, where not the common names.
    pub columns: Columns,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_bytes: corpus::DEFAULT_MAX_FILE_BYTES,
            columns: Columns::default(),
        }
    }
}

/// Whether an office printed as `title` (区委书记, 党工委副书记, 县长), with the place
/// printed before it if any, is the holder's own. A place decides: 江宁区委书记 is
/// 江宁区's, 郑州市委书记 is 郑州市's whoever holds the meeting. Without one the office
/// must be of the holder's level (a bare 书记 or 主任 is the holder's; a lettered one must
/// agree), and a zone's are its 党工委 and 管委会.
fn is_holders_office(title: &str, place: Option<&str>, holder: &Holder) -> bool {
    let unit = &holder.unit;
    if unit.level == crate::gazetteer::Level::Zone {
        return title.contains("党工委") || title.contains("管委会");
    }
    if title.contains("党工委") || title.contains("管委会") {
        // A zone's or a street's body, not the county's, whose office char it borrows.
        return false;
    }
    if let Some(place) = place {
        let g = Gazetteer::shared();
        return g.forms(place).iter().any(|f| g.unit(f.unit).id == unit.id);
    }
    if title.starts_with("自治区") {
        // 自治区党委书记: a region's, whatever 区 the meeting's unit is.
        return unit.name.ends_with("自治区");
    }
    let level_char = holder.as_printed.chars().next_back();
    let office_char = title.chars().find(|c| LEVEL_CHARS.contains(*c));
    office_char.is_none_or(|c| Some(c) == level_char || unit.name.ends_with(c))
}

/// The speakers with the holder's id on those whose office is the holder's; the place
/// printed with a speaker's office is the officer's of the same name and office.
fn speakers_of(
    mut speakers: Vec<Speaker>,
    officers: &[Officer],
    holder: Option<&Holder>,
) -> Vec<Speaker> {
    let Some(holder) = holder else {
        return speakers;
    };
    for speaker in &mut speakers {
        let place = officers
            .iter()
            .find(|o| o.name == speaker.name && o.titles.contains(&speaker.role))
            .and_then(|o| o.place.as_deref());
        if is_holders_office(&speaker.role, place, holder) {
            speaker.unit = Some(holder.unit.id.clone());
        }
    }
    speakers
}

/// The holder's secretary and head: those a person states, and for an office nobody
/// states, the officers the text names in it. No holder, no leaders: an office is a
/// unit's.
fn leaders_of(
    officers: &[Officer],
    holder: Option<&Holder>,
    stated: [(Office, Option<(StatedLeader, Provenance)>); 2],
) -> Vec<Leader> {
    let Some(holder) = holder else {
        return Vec::new();
    };
    let mut leaders = Vec::new();
    for (office, stated) in stated {
        if let Some((person, provenance)) = stated {
            leaders.push(Leader {
                office,
                name: person.name,
                acting: person.acting,
                provenance,
            });
            continue;
        }
        for officer in officers {
            let held = officer.titles.iter().find_map(|title| {
                Office::of_title(title).filter(|&(o, _)| {
                    o == office && is_holders_office(title, officer.place.as_deref(), holder)
                })
            });
            let Some((_, acting)) = held else { continue };
            if !leaders
                .iter()
                .any(|l: &Leader| l.office == office && l.name == officer.name)
            {
                leaders.push(Leader {
                    office,
                    name: officer.name.clone(),
                    acting,
                    provenance: Provenance::Body,
                });
            }
        }
    }
    leaders
}

/// A meeting and its cleaned text, as the analysis stages need it.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The meeting record.
    pub meeting: Meeting,
    /// The cleaned text: plain, simplified prose.
    pub text: String,
}

/// A corpus as read: its reports in path order, and what could not be read.
#[derive(Debug)]
pub struct Corpus {
    /// The reports read, in path order.
    pub reports: Vec<Report>,
    /// The files that could not be listed or read, and why.
    pub skipped: Vec<Skipped>,
    /// Problems that belong to no single report: the manifest's own.
    pub notices: Vec<String>,
}

/// The files of a corpus and the manifest that goes with them: everything needed to read
/// any one report.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The report files, in path order.
    pub files: Vec<ReportFile>,
    manifest: Manifest,
    /// What the listing found but could not take in, and why.
    pub skipped: Vec<Skipped>,
    /// Problems of the manifest itself, a line each.
    pub notices: Vec<String>,
}

impl Plan {
    /// Lists `root` and reads its manifest. Fails only if `root` cannot be read.
    pub fn new(root: &Path) -> Result<Plan, Error> {
        Ok(Plan::from_listing(root, corpus::list(root)?))
    }

    /// The plan for files already listed (by an earlier run, say), with the manifest as it
    /// is now.
    pub fn from_listing(root: &Path, listing: corpus::Listing) -> Plan {
        let manifest_path = root.join(metadata::MANIFEST_FILE);
        let manifest = match read_manifest(&manifest_path) {
            Ok(Some(bytes)) => match decode::decode(&bytes) {
                Ok(decoded) => Manifest::parse(&decoded.text),
                Err(why) => Manifest {
                    warnings: vec![format!("{}: {}", metadata::MANIFEST_FILE, why.0)],
                    ..Manifest::default()
                },
            },
            Ok(None) => Manifest::default(),
            Err(why) => Manifest {
                warnings: vec![format!("{}: {why}", metadata::MANIFEST_FILE)],
                ..Manifest::default()
            },
        };
        let mut notices = manifest.warnings.clone();
        // A table is named for all its rows.
        let listed: std::collections::HashSet<&str> = listing
            .files
            .iter()
            .flat_map(|f| {
                let table = corpus::row_of(&f.rel).map(|(table, _)| table);
                std::iter::once(f.rel.as_str()).chain(table)
            })
            .collect();
        for (path, entry) in &manifest.entries {
            if !listed.contains(path.as_str()) {
                notices.push(format!(
                    "{} line {}: names `{path}`, which is not a report in the corpus",
                    metadata::MANIFEST_FILE,
                    entry.line
                ));
            }
        }
        Plan {
            files: listing.files,
            manifest,
            skipped: listing.skipped,
            notices,
        }
    }

    /// Reads, cleans and describes one report of the plan.
    pub fn read(&self, file: &ReportFile, options: &Options) -> Result<Report, Skipped> {
        let bytes = self.read_bytes(file, options)?;
        self.report_from(file, &bytes, options)
    }

    /// A report's bytes, within the size limit.
    pub fn read_bytes(&self, file: &ReportFile, options: &Options) -> Result<Vec<u8>, Skipped> {
        corpus::read(file, options.max_file_bytes)
    }

    /// Decodes, cleans and describes a report read already: a file's bytes, or a row's.
    pub fn report_from(
        &self,
        file: &ReportFile,
        bytes: &[u8],
        options: &Options,
    ) -> Result<Report, Skipped> {
        let skipped = |reason| Skipped {
            file: file.rel.clone(),
            reason,
        };
        match &file.kind {
            ReportKind::File(format) => {
                let decoded = decode::decode(bytes).map_err(|e| skipped(e.0))?;
                Ok(build_report(file, *format, &decoded, self.stated(file)))
            }
            ReportKind::Row(row) => {
                let fields = row.table.fields(bytes).map_err(skipped)?;
                let columns = self.columns(file, options).unwrap_or_default();
                let parts = columns.pick(&fields).map_err(skipped)?;
                Ok(row_report(file, &fields, &parts, self.stated(file)))
            }
        }
    }

    /// For a row, which columns of its table hold which part of a report: as its
    /// table's entry in `meetings.toml` names them, else as `options` do. None for a file.
    pub fn columns(&self, file: &ReportFile, options: &Options) -> Option<Columns> {
        let (table, _) = corpus::row_of(&file.rel)?;
        Some(match self.manifest.entries.get(table) {
            Some(entry) => entry.columns.or(&options.columns),
            None => options.columns.clone(),
        })
    }

    /// What `meetings.toml` states about a report: a row's own entry before its table's.
    pub fn stated(&self, file: &ReportFile) -> StatedFields {
        let of = |rel: &str| {
            self.manifest
                .entries
                .get(rel)
                .map(|entry| entry.fields.clone())
                .unwrap_or_default()
        };
        match corpus::row_of(&file.rel) {
            Some((table, _)) => of(&file.rel).or(of(table)),
            None => of(&file.rel),
        }
    }
}

/// The manifest's bytes, or None when there is none. Like a report, it must be a regular
/// file (a FIFO would block the read forever) within the size limit of a report.
fn read_manifest(path: &Path) -> Result<Option<Vec<u8>>, String> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read: {e}")),
    };
    if !meta.is_file() {
        return Err("not a regular file; ignored".into());
    }
    let limit = corpus::DEFAULT_MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "larger than {} MiB; ignored",
            limit / (1024 * 1024)
        ));
    }
    Ok(Some(bytes))
}

/// Every report of `plan` as its meeting record, handed to `each` in the corpus's order
/// as it comes (or why it was skipped): a chunk of files read on every core at a time,
/// or taken from `cached` — a cache file's entries, in its order — where the file is as
/// the cache saw it (the same size, time and manifest statements, within `options`'
/// size limit). What is held is one chunk and one cache part, however large the corpus.
/// Returns how many came from the cache, or the first error of `each` (a closed output).
pub fn each_meeting<E>(
    plan: &Plan,
    options: &Options,
    cached: Option<crate::cache::Entries>,
    mut each: impl FnMut(Result<Meeting, Skipped>) -> Result<(), E>,
) -> Result<usize, E> {
    use rayon::prelude::*;
    /// Files read together: enough to keep every core busy, few enough that their
    /// records are a few megabytes.
    const CHUNK: usize = 1024;
    let mut cached = cached.into_iter().flatten().peekable();
    let mut from_cache = 0;
    for files in plan.files.chunks(CHUNK) {
        // The cache's meeting for each file that stands, by a walk of both in order.
        let known: Vec<Option<Meeting>> = files
            .iter()
            .map(|file| {
                while cached
                    .next_if(|e| corpus::in_order(&e.meeting.file, &file.rel).is_lt())
                    .is_some()
                {}
                let entry = cached.next_if(|e| e.meeting.file == file.rel)?;
                let stated = crate::cache::stated_hash(
                    &plan.stated(file),
                    plan.columns(file, options).as_ref(),
                );
                crate::analysis::stands(
                    entry.size,
                    entry.modified,
                    entry.stated == stated,
                    file,
                    options.max_file_bytes,
                )
                .then_some(entry.meeting)
            })
            .collect();
        from_cache += known.iter().flatten().count();
        let meetings: Vec<Result<Meeting, Skipped>> = files
            .par_iter()
            .zip(known)
            .map(|(file, known)| match known {
                Some(meeting) => Ok(meeting),
                None => plan.read(file, options).map(|report| report.meeting),
            })
            .collect();
        for meeting in meetings {
            each(meeting)?;
        }
    }
    Ok(from_cache)
}

/// Reads a whole corpus, one report after another.
pub fn load(root: &Path, options: &Options) -> Result<Corpus, Error> {
    let plan = Plan::new(root)?;
    let mut reports = Vec::with_capacity(plan.files.len());
    let mut skipped = plan.skipped.clone();
    for file in &plan.files {
        match plan.read(file, options) {
            Ok(report) => reports.push(report),
            Err(skip) => skipped.push(skip),
        }
    }
    Ok(Corpus {
        reports,
        skipped,
        notices: plan.notices,
    })
}

fn build_report(
    file: &ReportFile,
    format: Format,
    decoded: &decode::Decoded,
    manifest: StatedFields,
) -> Report {
    let front = metadata::split_front_matter(&decoded.text);
    let cleaned = clean::clean(front.body, format);
    let file_name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    let inferred = infer::infer(&Page {
        text: &cleaned.text,
        header_date: cleaned.header_date,
        furniture: &cleaned.furniture,
        file_name,
        title: None,
    });

    let mut warnings: Vec<String> = decoded.warnings.clone();
    warnings.extend(front.warnings.iter().cloned());
    warnings.extend(emptiness(front.body, &cleaned.text));
    let stated = [
        (front.fields, Provenance::FrontMatter),
        (manifest, Provenance::Manifest),
    ];
    let meeting = merge(
        file,
        &stated,
        inferred,
        &cleaned,
        decoded.encoding,
        warnings,
    );
    Report {
        meeting,
        text: cleaned.text,
    }
}

/// Why a report measures nothing, if it does not. A blank file is read, not skipped (it
/// is a report, if a useless one: its stated metadata still counts), but the user should
/// know why it counts nothing.
fn emptiness(raw: &str, cleaned: &str) -> Option<String> {
    if !cleaned.trim().is_empty() {
        return None;
    }
    Some(if raw.trim().is_empty() {
        "empty: no text".to_owned()
    } else {
        "empty: no text left after cleaning".to_owned()
    })
}

/// A row's report, read as the page it was scraped from: its text cleaned as a file's
/// (HTML in the cell as an HTML file), its title column the headline above it, its date
/// column the page header's date and its source column a `来源：` line of the page
/// header. Its district and year columns are stated facts, after `meetings.toml`'s, and
/// its url where the record comes from.
fn row_report(
    file: &ReportFile,
    fields: &Fields,
    parts: &RowParts<'_>,
    manifest: StatedFields,
) -> Report {
    let format = if looks_like_html(parts.text) {
        Format::Html
    } else {
        Format::PlainText
    };
    let title = parts
        .title
        .map(|title| clean::clean(title, Format::PlainText).text)
        .filter(|title| !title.trim().is_empty());
    // The headline stands above the text, as on the page, unless the text starts with it.
    let headed;
    let page = match parts.title {
        Some(t) if parts.text.lines().next().map(str::trim) != Some(t) => {
            headed = format!("{t}\n{}", parts.text);
            &headed
        }
        _ => parts.text,
    };
    let cleaned = clean::clean(page, format);
    let mut warnings = fields.warnings.clone();
    let header_date = match parts.date {
        Some(cell) => {
            let date = clean::header_date_of(cell);
            if date.is_none() {
                warnings.push(format!(
                    "date column: `{cell}` is not a day (expected one like 2018-01-12)"
                ));
            }
            date.or(cleaned.header_date)
        }
        None => cleaned.header_date,
    };
    let furniture = match parts.source {
        Some(source) if cleaned.furniture.is_empty() => format!("来源：{source}"),
        Some(source) => format!("{}\n来源：{source}", cleaned.furniture),
        None => cleaned.furniture.clone(),
    };
    let table = corpus::row_of(&file.rel).map_or(file.rel.as_str(), |(table, _)| table);
    let inferred = infer::infer(&Page {
        text: &cleaned.text,
        header_date,
        furniture: &furniture,
        file_name: table.rsplit('/').next().unwrap_or(table),
        title: title.as_deref().map(str::trim),
    });
    warnings.extend(emptiness(parts.text, &cleaned.text));
    let year = parts.year.and_then(|cell| match cell.parse::<i32>() {
        Ok(year) if crate::meeting::PLAUSIBLE_YEARS.contains(&year) => Some(year),
        _ => {
            warnings.push(format!(
                "year column: `{cell}` is not a year in {}–{}",
                crate::meeting::PLAUSIBLE_YEARS.start(),
                crate::meeting::PLAUSIBLE_YEARS.end()
            ));
            None
        }
    });
    let columns = StatedFields {
        district: parts.district.map(str::to_owned),
        year,
        source: parts.url.map(str::to_owned),
        ..StatedFields::default()
    };
    let stated = [
        (manifest, Provenance::Manifest),
        (columns, Provenance::Table),
    ];
    let meeting = merge(file, &stated, inferred, &cleaned, fields.encoding, warnings);
    Report {
        meeting,
        text: cleaned.text,
    }
}

/// Whether a table's text cell holds HTML: a tag, opening or closing, or a comment.
fn looks_like_html(text: &str) -> bool {
    static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"<(?:/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?|!--[^>]*)>")
            .expect("literal regex")
    });
    text.contains('<') && TAG.is_match(text)
}

/// The first of the `stated` sources that states a fact (`field` of it), and which.
fn first_stated<T: Clone>(
    stated: &[(StatedFields, Provenance)],
    field: impl Fn(&StatedFields) -> &Option<T>,
) -> Option<(T, Provenance)> {
    stated
        .iter()
        .find_map(|(fields, provenance)| field(fields).clone().map(|v| (v, *provenance)))
}

/// Puts the sources together, strongest first — the `stated` ones in their order, then
/// the `inferred` — and says what is still unknown.
fn merge(
    file: &ReportFile,
    stated: &[(StatedFields, Provenance)],
    inferred: Inferred,
    cleaned: &Cleaned,
    encoding: &str,
    mut warnings: Vec<String>,
) -> Meeting {
    let mut candidates = inferred.candidates;
    let district = match first_stated(stated, |f| &f.district) {
        Some((district, provenance)) => match Holder::stated(&district) {
            Ok(holder) => {
                candidates.clear();
                Some(Sourced::new(holder, provenance))
            }
            Err(why) => {
                warnings.push(why.to_string());
                inferred.district
            }
        },
        None => inferred.district,
    };
    let year = first_stated(stated, |f| &f.year)
        .map(|(y, p)| Sourced::new(y, p))
        .or(inferred.year);
    let date = first_stated(stated, |f| &f.date)
        .map(|(d, p)| Sourced::new(d, p))
        .or(inferred.date);

    if district.is_none() && !candidates.is_empty() {
        let names: Vec<String> = candidates.iter().map(UnitRef::with_parent).collect();
        warnings.push(format!(
            "ambiguous district: the name fits {}; nothing in the text decides",
            names.join(", ")
        ));
    } else if district.is_none() {
        warnings.push("unknown district".into());
    }
    if year.is_none() {
        warnings.push("unknown year".into());
    }
    if cleaned.steps.damaged_readings > 0 {
        warnings.push(format!(
            "mojibake: {} pinyin reading(s) damaged by a bad re-encoding; the text around them is garbled",
            cleaned.steps.damaged_readings
        ));
    }
    if cleaned.masked {
        warnings.push("masked: names hidden as ** or _".into());
    }
    if cleaned.truncated {
        warnings.push("truncated: the text ends cut off".into());
    }
    let holder = district.as_ref().map(|d| &d.value);
    let stated_leaders = [
        (Office::Secretary, first_stated(stated, |f| &f.secretary)),
        (Office::Head, first_stated(stated, |f| &f.head)),
    ];
    let leaders = leaders_of(&inferred.officers, holder, stated_leaders);
    let speakers = speakers_of(inferred.speakers, &inferred.officers, holder);
    let value =
        |field: fn(&StatedFields) -> &Option<String>| first_stated(stated, field).map(|(v, _)| v);
    Meeting {
        file: file.rel.clone(),
        district,
        candidates,
        year,
        date,
        title: value(|f| &f.title).or(inferred.title),
        kind: first_stated(stated, |f| &f.kind).map_or(inferred.kind, |(k, _)| k),
        speakers,
        leaders,
        chars: han_count(&cleaned.text),
        encoding: encoding.to_owned(),
        was_traditional: cleaned.was_traditional,
        steps: cleaned.steps,
        source: value(|f| &f.source),
        note: value(|f| &f.note),
        warnings,
    }
}
