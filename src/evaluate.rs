//! Inference judged against reports a person labelled: how often the holder and the work
//! year come out right, on texts nobody wrote for the program.
//!
//! A labelled set is a folder of reports with one or more `labels*.toml` files beside
//! them, each a list of `[[report]]` tables (`file`, `district`, `code`, `level`, `year`,
//! `kind`, `notes` …; see `tests/fixtures/real/README.md`). The whole pipeline runs on the
//! folder as on any corpus, and every report is compared with its label.

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use crate::analysis::{Loader, MeasuredMeeting};
use crate::error::Error;
use crate::gazetteer::{Gazetteer, Level, UnitRef};
use crate::ingest::Options;
use crate::measure::Measurer;
use crate::meeting::{MeetingKind, Office};
use crate::taxonomy::Taxonomy;

/// What a person read in one report: the columns of a `[[report]]` table the evaluation
/// compares with. The others (`url`, `level`, `notes`, `chair` …) are for the people
/// who read the labels.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    /// The report's path relative to the set's folder.
    pub file: String,
    /// The holder the text names, canonical full form; "" when the text names none.
    pub district: String,
    /// Its current code; "" for a zone without one (or no holder).
    #[serde(default)]
    pub code: String,
    /// The holder's prefecture, "" when it is none or not known.
    #[serde(default)]
    pub prefecture: String,
    /// The work year; 0 when the text prints none.
    pub year: i32,
    /// The meeting kind as the text calls it.
    #[serde(default)]
    kind: String,
    /// What makes the report hard: `no-year`, `parent-named`, `same-name` ….
    #[serde(default)]
    tags: Vec<String>,
    /// The holder's party secretary named in office, "" when none is.
    #[serde(default)]
    secretary: String,
    /// The holder's government head named in office (an acting one with the office
    /// before the name: `代县长 王华`), "" when none is.
    #[serde(default)]
    head: String,
    /// The three themes a careful reader finds most emphasised, strongest first.
    #[serde(default)]
    themes: Vec<String>,
}

/// The labels' names for two themes the taxonomy names otherwise.
const THEME_ALIASES: [(&str, &str); 2] = [("党的建设", "党建作风"), ("财政金融", "金融财政")];

/// A theme as the taxonomy names it.
fn theme_name(label: &str) -> &str {
    THEME_ALIASES
        .iter()
        .find(|(alias, _)| *alias == label)
        .map_or(label, |(_, name)| name)
}

impl Label {
    /// The name labelled in `office`, without an acting office before it.
    fn leader(&self, office: Office) -> Option<&str> {
        let stated = match office {
            Office::Secretary => &self.secretary,
            Office::Head => &self.head,
        };
        stated.split_whitespace().next_back()
    }
}

#[derive(Deserialize)]
struct LabelFile {
    report: Vec<Label>,
}

/// The labels of a set: every `labels*.toml` in `dir`, in file order.
pub fn load_labels(dir: &Path) -> Result<Vec<Label>, Error> {
    let labels_error = |file: &Path, reason: String| Error::Labels {
        file: file.to_path_buf(),
        reason,
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| labels_error(dir, e.to_string()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("labels") && n.ends_with(".toml"))
        })
        .collect();
    files.sort();
    let mut labels = Vec::new();
    for path in files {
        let text =
            std::fs::read_to_string(&path).map_err(|e| labels_error(&path, e.to_string()))?;
        let file: LabelFile =
            toml::from_str(&text).map_err(|e| labels_error(&path, e.to_string()))?;
        labels.extend(file.report);
    }
    Ok(labels)
}

/// One report's label beside what the program read.
#[derive(Debug, Clone)]
pub struct Outcome {
    label: Label,
    /// The unit read, None when unknown.
    pub holder: Option<UnitRef>,
    /// The units listed when the holder's name fit several: (code or id, name).
    pub candidates: Vec<(String, String)>,
    year: Option<i32>,
    kind: MeetingKind,
    /// The secretary and head read: (office, name).
    leaders: Vec<(Office, String)>,
    /// The three themes the meeting weighs most (those with any hit), strongest first.
    top_themes: Vec<String>,
}

impl Outcome {
    /// Whether the reader's strongest theme is among the program's three strongest;
    /// None when the label names no theme.
    fn top_theme_found(&self) -> Option<bool> {
        let first = theme_name(self.label.themes.first()?);
        Some(self.top_themes.iter().any(|t| t == first))
    }

    /// The leaders read that the label does not name in that office.
    fn leaders_wrong(&self) -> impl Iterator<Item = &(Office, String)> {
        self.leaders
            .iter()
            .filter(|(office, name)| self.label.leader(*office) != Some(name.as_str()))
    }

    /// The labelled leaders not read: (office, name).
    fn leaders_missed(&self) -> impl Iterator<Item = (Office, &str)> {
        Office::ALL.into_iter().filter_map(|office| {
            let name = self.label.leader(office)?;
            let read = self.leaders.iter().any(|(o, n)| *o == office && n == name);
            (!read).then_some((office, name))
        })
    }

    /// Whether the holder read is the labelled one, by id: the code, or for a zone
    /// without one its canonical name.
    pub fn holder_right(&self) -> bool {
        match &self.holder {
            Some(unit) if self.label.code.is_empty() => {
                let prefecture = unit.prefecture.as_deref().unwrap_or("");
                unit.code.is_none()
                    && (self.label.prefecture.is_empty() || self.label.prefecture == prefecture)
                    && zone_key(&unit.name, prefecture)
                        == zone_key(&self.label.district, prefecture)
            }
            Some(unit) => unit.code.as_deref() == Some(self.label.code.as_str()),
            None => false,
        }
    }

    /// Whether an ambiguous holder's candidates include the labelled unit: the text
    /// named it, and nothing in the text decided between it and its namesakes.
    pub fn lists_label(&self) -> bool {
        self.candidates.iter().any(|(code, name)| {
            if self.label.code.is_empty() {
                *name == self.label.district
            } else {
                *code == self.label.code
            }
        })
    }

    /// Whether the holder is left open between namesakes of the labelled unit only, on a
    /// page that names no parent: what the rules ask for when the text cannot decide
    /// (the labeller's code came from the url).
    pub fn rightly_ambiguous(&self) -> bool {
        self.lists_label()
            && self
                .candidates
                .iter()
                .all(|(_, name)| *name == self.label.district)
            && !self.label.tags.iter().any(|t| t == "parent-named")
    }

    /// Whether the labelled text names its holder.
    pub fn names_holder(&self) -> bool {
        !self.label.district.is_empty()
    }
}

/// A zone's name without what labellers and code lists add or leave out: a province
/// or its own prefecture before it (山东沾化经济开发区, 锦州松山新区 for 松山新区 under
/// 锦州市), 国家 (武进国家高新技术产业开发区).
fn zone_key(name: &str, prefecture: &str) -> String {
    let g = Gazetteer::shared();
    let mut rest = name.replace("国家级", "").replace("国家", "");
    while let Some(m) = g.mentions(&rest).next() {
        let parent = m.start == 0
            && m.end < rest.len()
            && m.forms.iter().any(|f| {
                let unit = g.unit(f.unit);
                unit.level == Level::Province || unit.name == prefecture
            });
        if !parent {
            break;
        }
        rest = rest[m.end..].to_owned();
    }
    rest
}

/// The figures the set gives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Labelled reports.
    pub reports: usize,
    /// Reports whose text names the holder, and how many of those came out right.
    pub named: usize,
    holder_right: usize,
    /// Reports whose text names no holder, and how many were given one anyway.
    pub unnamed: usize,
    holder_invented: usize,
    /// Holders read that are neither a unit of the gazetteer nor a recognised zone.
    pub outside_gazetteer: usize,
    /// Ambiguous holders (candidates listed, none chosen), and how many of those list
    /// the labelled unit.
    pub ambiguous: usize,
    ambiguous_listing_label: usize,
    /// Reports naming their holder whose holder is right or rightly ambiguous.
    pub holder_right_or_open: usize,
    years_read: usize,
    years_right: usize,
    /// Reports whose text prints the work year.
    pub years_printed: usize,
    kind_other: usize,
    /// Reports whose labelled kind names a kind the program knows, and how many of those
    /// it read as that kind.
    pub kinds_known: usize,
    kinds_right: usize,
    /// Secretaries and heads read, and how many of those the label names in that office.
    pub leaders_read: usize,
    leaders_right: usize,
    /// Secretaries and heads labelled, and how many of those were read.
    pub leaders_labelled: usize,
    leaders_found: usize,
    /// Reports whose label names their themes, and how many of those have the reader's
    /// strongest theme among the program's three strongest.
    pub themes_labelled: usize,
    top_theme_found: usize,
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

impl Figures {
    /// Holders right, of the reports naming theirs.
    pub fn holder_accuracy(&self) -> f64 {
        share(self.holder_right, self.named)
    }
    /// Holders right or open between namesakes only, of the reports naming theirs.
    pub fn holder_right_or_open_rate(&self) -> f64 {
        share(self.holder_right_or_open, self.named)
    }
    /// Holders given, of the reports naming none.
    pub fn invented_rate(&self) -> f64 {
        share(self.holder_invented, self.unnamed)
    }
    /// Work years right, of those read.
    pub fn year_precision(&self) -> f64 {
        share(self.years_right, self.years_read)
    }
    /// Work years right, of the reports printing theirs.
    pub fn year_recall(&self) -> f64 {
        share(self.years_right, self.years_printed)
    }
    /// Secretaries and heads right (office and name), of those read.
    pub fn leader_precision(&self) -> f64 {
        share(self.leaders_right, self.leaders_read)
    }
    /// Secretaries and heads read, of those labelled.
    pub fn leader_recall(&self) -> f64 {
        share(self.leaders_found, self.leaders_labelled)
    }
    /// The reader's strongest theme among the program's three, of the labels naming one.
    pub fn top_theme_rate(&self) -> f64 {
        share(self.top_theme_found, self.themes_labelled)
    }
    /// Reports of kind `other`, of all.
    pub fn other_rate(&self) -> f64 {
        share(self.kind_other, self.reports)
    }
}

/// Runs the pipeline on the set in `dir` with the built-in taxonomy and compares every
/// report with its label.
pub fn run(dir: &Path) -> Result<(Figures, Vec<Outcome>), Error> {
    // Compiled in and checked by its own tests: its failing to load is a bug.
    let taxonomy = Taxonomy::built_in().expect("the built-in taxonomy loads");
    run_with(dir, taxonomy)
}

/// Runs the pipeline on the set in `dir`, measuring themes with `taxonomy` (say, an
/// edited copy of the themes folder read by [`Taxonomy::load`]), and compares every
/// report with its label.
pub fn run_with(dir: &Path, taxonomy: Taxonomy) -> Result<(Figures, Vec<Outcome>), Error> {
    let labels = load_labels(dir)?;
    let themes: Vec<String> = taxonomy.themes.iter().map(|t| t.name.clone()).collect();
    let analysis = Loader::new(dir, &Options::default()).load(Measurer::new(taxonomy))?;
    let by_file: rustc_hash::FxHashMap<&str, &MeasuredMeeting> = analysis
        .meetings
        .iter()
        .map(|m| (m.meeting.file.as_str(), m))
        .collect();
    let gazetteer = Gazetteer::shared();
    let mut figures = Figures::default();
    let mut outcomes = Vec::with_capacity(labels.len());
    for label in labels {
        let measured = by_file
            .get(label.file.as_str())
            .ok_or_else(|| Error::LabelledNotRead {
                file: label.file.clone(),
            })?;
        let meeting = &measured.meeting;
        let mut ranked: Vec<(usize, f64)> = measured
            .measures
            .themes
            .iter()
            .map(|t| t.hits)
            .enumerate()
            .filter(|&(_, hits)| hits > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let holder = meeting.district.as_ref().map(|d| d.value.unit.clone());
        let outcome = Outcome {
            holder,
            candidates: meeting
                .candidates
                .iter()
                .map(|c| {
                    (
                        c.code.clone().unwrap_or_else(|| c.id.clone()),
                        c.name.clone(),
                    )
                })
                .collect(),
            year: meeting.year.as_ref().map(|y| y.value),
            kind: meeting.kind,
            leaders: meeting
                .leaders
                .iter()
                .map(|l| (l.office, l.name.clone()))
                .collect(),
            top_themes: ranked
                .iter()
                .take(3)
                .map(|&(t, _)| themes[t].clone())
                .collect(),
            label,
        };
        figures.reports += 1;
        if let Some(unit) = &outcome.holder {
            if gazetteer.by_id(&unit.id).is_none() && unit.level != Level::Zone {
                figures.outside_gazetteer += 1;
            }
        }
        if !outcome.candidates.is_empty() {
            figures.ambiguous += 1;
            figures.ambiguous_listing_label += usize::from(outcome.lists_label());
        }
        if outcome.names_holder() {
            figures.named += 1;
            figures.holder_right += usize::from(outcome.holder_right());
            figures.holder_right_or_open +=
                usize::from(outcome.holder_right() || outcome.rightly_ambiguous());
        } else {
            figures.unnamed += 1;
            figures.holder_invented += usize::from(outcome.holder.is_some());
        }
        let printed = outcome.label.year != 0;
        figures.years_printed += usize::from(printed);
        if let Some(year) = outcome.year {
            figures.years_read += 1;
            figures.years_right += usize::from(printed && year == outcome.label.year);
        }
        figures.kind_other += usize::from(outcome.kind == MeetingKind::Other);
        if let Some(kind) = crate::infer::kind_named_in(&outcome.label.kind) {
            figures.kinds_known += 1;
            figures.kinds_right += usize::from(kind == outcome.kind);
        }
        let wrong = outcome.leaders_wrong().count();
        figures.leaders_read += outcome.leaders.len();
        figures.leaders_right += outcome.leaders.len() - wrong;
        let missed = outcome.leaders_missed().count();
        let labelled = Office::ALL
            .into_iter()
            .filter(|&o| outcome.label.leader(o).is_some())
            .count();
        figures.leaders_labelled += labelled;
        figures.leaders_found += labelled - missed;
        if let Some(found) = outcome.top_theme_found() {
            figures.themes_labelled += 1;
            figures.top_theme_found += usize::from(found);
        }
        outcomes.push(outcome);
    }
    Ok((figures, outcomes))
}

/// The figures as a table, then every miss: what a person needs to judge a change.
pub fn render(figures: &Figures, outcomes: &[Outcome]) -> String {
    let f = figures;
    let mut out = String::new();
    let _ = writeln!(out, "{} labelled reports", f.reports);
    let shares = [
        (
            "holder right (by id), of those naming it",
            f.holder_right,
            f.named,
        ),
        (
            "  or open between namesakes only",
            f.holder_right_or_open,
            f.named,
        ),
        (
            "holder named where the text names none",
            f.holder_invented,
            f.unnamed,
        ),
        ("work year precision", f.years_right, f.years_read),
        (
            "work year recall, of those printing it",
            f.years_right,
            f.years_printed,
        ),
        ("kind `other`", f.kind_other, f.reports),
        (
            "kind as labelled, of labels naming one",
            f.kinds_right,
            f.kinds_known,
        ),
        (
            "reader's top theme in the program's three",
            f.top_theme_found,
            f.themes_labelled,
        ),
        (
            "secretary and head right, of those read",
            f.leaders_right,
            f.leaders_read,
        ),
        (
            "secretary and head read, of those labelled",
            f.leaders_found,
            f.leaders_labelled,
        ),
    ];
    for (what, part, whole) in shares {
        let pct = 100.0 * share(part, whole);
        let _ = writeln!(out, "{what:<42}{pct:5.1}%  ({part}/{whole})");
    }
    let _ = writeln!(
        out,
        "{:<42}{}",
        "holders outside the gazetteer and zones", f.outside_gazetteer
    );
    let _ = writeln!(
        out,
        "{:<42}{}  ({} listing the labelled unit)",
        "ambiguous (candidates listed)", f.ambiguous, f.ambiguous_listing_label
    );
    let shown = |h: &Option<UnitRef>| {
        h.as_ref()
            .map_or("—".to_owned(), |u| format!("{} {}", u.name, u.id))
    };
    let _ = writeln!(out, "\nholder misses:");
    for o in outcomes {
        let wrong = if o.names_holder() {
            !o.holder_right()
        } else {
            o.holder.is_some()
        };
        if wrong {
            let _ = writeln!(
                out,
                "  {}  label {} {}  read {}{}",
                o.label.file,
                if o.label.district.is_empty() {
                    "—"
                } else {
                    &o.label.district
                },
                o.label.code,
                shown(&o.holder),
                if o.candidates.is_empty() {
                    String::new()
                } else {
                    let listed: Vec<String> = o
                        .candidates
                        .iter()
                        .map(|(c, n)| format!("{n} {c}"))
                        .collect();
                    format!(" (candidates: {})", listed.join(", "))
                }
            );
        }
    }
    let _ = writeln!(out, "\ntop theme misses:");
    for o in outcomes {
        if o.top_theme_found() == Some(false) {
            let _ = writeln!(
                out,
                "  {}  reader [{}]  program [{}]",
                o.label.file,
                o.label.themes.join(", "),
                o.top_themes.join(", ")
            );
        }
    }
    let _ = writeln!(out, "\nleader misses:");
    for o in outcomes {
        let wrong: Vec<String> = o
            .leaders_wrong()
            .map(|(office, name)| format!("{office} {name}"))
            .collect();
        let missed: Vec<String> = o
            .leaders_missed()
            .map(|(office, name)| format!("{office} {name}"))
            .collect();
        if !wrong.is_empty() || !missed.is_empty() {
            let _ = writeln!(
                out,
                "  {}  wrong [{}]  missed [{}]",
                o.label.file,
                wrong.join(", "),
                missed.join(", ")
            );
        }
    }
    let _ = writeln!(out, "\nyear misses:");
    for o in outcomes {
        let label = o.label.year;
        let wrong = match o.year {
            Some(y) => y != label,
            None => label != 0,
        };
        if wrong {
            let _ = writeln!(
                out,
                "  {}  label {}  read {}",
                o.label.file,
                if label == 0 {
                    "—".to_owned()
                } else {
                    label.to_string()
                },
                o.year.map_or("—".to_owned(), |y| y.to_string())
            );
        }
    }
    out
}
