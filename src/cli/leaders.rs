//! `zhongdian leaders` and `zhongdian shift`. Leaders: one row per tenure, keyed as officials databases key theirs
//! (unit code, office, name, years), so that the table joins with them. Shift: each
//! theme before and after a change of holder, or on average over many changes.

use serde::Serialize;

use super::export::{self, push_csv_row, to_json, Column, Row, Value};
use super::report::{date_cell, header_line, round};
use super::table::Table;
use crate::analysis::Analysis;
use crate::meeting::{Date, Office};
use crate::shift::{Pool, Shift, MIN_CHARS, MIN_MEETINGS, YEAR_DAYS};
use crate::tenure::Tenure;

/// A tenure as exported.
#[derive(Serialize)]
struct TenureRow<'a> {
    unit_code: Option<&'a str>,
    unit: &'a str,
    prefecture: Option<&'a str>,
    province: Option<&'a str>,
    office: Office,
    name: &'a str,
    acting: bool,
    acting_until: Option<Date>,
    first_seen: Option<Date>,
    last_seen: Option<Date>,
    meetings: usize,
    /// The files of the meetings that show the holder.
    files: Vec<&'a str>,
    flags: Vec<String>,
}

fn rows(analysis: &Analysis) -> impl Iterator<Item = TenureRow<'_>> {
    analysis.tenures().iter().map(|t| row(analysis, t))
}

fn row<'a>(analysis: &'a Analysis, t: &'a Tenure) -> TenureRow<'a> {
    let file = |m: usize| analysis.meetings[m].meeting.file.as_str();
    TenureRow {
        unit_code: t.unit.code.as_deref(),
        unit: &t.unit.name,
        prefecture: t.unit.prefecture.as_deref(),
        province: t.unit.province.as_deref(),
        office: t.office,
        name: &t.name,
        acting: t.acting,
        acting_until: t.acting_until,
        first_seen: t.first_seen,
        last_seen: t.last_seen,
        meetings: t.meetings.len(),
        files: t.meetings.iter().map(|&m| file(m)).collect(),
        flags: t
            .flags
            .iter()
            .map(|f| f.describe(|m| file(m).to_owned()))
            .collect(),
    }
}

const COLUMNS: [&str; 12] = [
    "unit_code",
    "unit",
    "prefecture",
    "province",
    "office",
    "name",
    "acting",
    "acting_until",
    "first_seen",
    "last_seen",
    "meetings",
    "flags",
];

fn cells(r: &TenureRow) -> Vec<String> {
    let text = |v: Option<&str>| v.unwrap_or_default().to_owned();
    vec![
        text(r.unit_code),
        r.unit.to_owned(),
        text(r.prefecture),
        text(r.province),
        r.office.to_string(),
        r.name.to_owned(),
        r.acting.to_string(),
        date_cell(r.acting_until),
        date_cell(r.first_seen),
        date_cell(r.last_seen),
        r.meetings.to_string(),
        r.flags.join("; "),
    ]
}

/// Every tenure as JSON, with the files of its meetings.
pub fn json(analysis: &Analysis) -> String {
    to_json(&rows(analysis).collect::<Vec<_>>())
}

/// Every tenure, one CSV row each.
pub fn csv(analysis: &Analysis) -> String {
    let mut out = COLUMNS.join(",") + "\n";
    for r in rows(analysis) {
        push_csv_row(&mut out, &cells(&r));
    }
    out
}

/// Every tenure, aligned for a terminal; the time between two holders is unknown and is
/// shown as a gap, never filled.
pub fn table(analysis: &Analysis) -> String {
    let mut table = Table::new(COLUMNS).right_align(&[10]);
    for r in rows(analysis) {
        let mut cells = cells(&r);
        for cell in &mut cells {
            if cell.is_empty() {
                "—".clone_into(cell);
            }
        }
        table.push(cells);
    }
    let mut out = table.render();
    out.push_str(&format!(
        "\n{} tenures of {} units, from the secretaries and heads the meetings name; \
         first_seen–last_seen are sightings, not appointments\n",
        analysis.tenures().len(),
        {
            let mut units: Vec<&str> = analysis
                .tenures()
                .iter()
                .map(|t| t.unit.id.as_str())
                .collect();
            units.sort_unstable();
            units.dedup();
            units.len()
        }
    ));
    out
}

// ---- shift ----------------------------------------------------------------------------

const SHIFT_TEST: &str = "signed log-likelihood G2 (Dunning; Rayson and Garside) of the theme's weighted hits after vs before, expected from each side's characters; p from chi-square with 1 df";
const SHIFT_SIDES: &str = "the unit's meetings dated within each tenure (first to last sighting); meetings between the two, or on a day both holders are seen, are on neither side";

#[derive(Serialize)]
struct SideReport<'a> {
    name: &'a str,
    first_seen: Option<Date>,
    last_seen: Option<Date>,
    meetings: usize,
    chars: usize,
}

#[derive(Serialize)]
pub(crate) struct ThemeShiftReport<'a> {
    theme: &'a str,
    before_per_10k: f64,
    after_per_10k: f64,
    difference: f64,
    g2: f64,
    p: f64,
    low_count: bool,
}

#[derive(Serialize)]
pub(crate) struct ShiftReport<'a> {
    unit_code: Option<&'a str>,
    unit: &'a str,
    office: Office,
    before: SideReport<'a>,
    after: SideReport<'a>,
    /// Either side has fewer than MIN_MEETINGS meetings or MIN_CHARS characters.
    thin: bool,
    themes: Vec<ThemeShiftReport<'a>>,
}

pub(crate) fn shift_report<'a>(analysis: &'a Analysis, shift: &'a Shift) -> ShiftReport<'a> {
    let tenures = &analysis.tenures();
    let (old, new) = (&tenures[shift.change.before], &tenures[shift.change.after]);
    let side = |t: &'a Tenure, pool: &Pool| SideReport {
        name: &t.name,
        first_seen: t.first_seen,
        last_seen: t.last_seen,
        meetings: pool.meetings.len(),
        chars: pool.chars,
    };
    let names = &analysis.measurer.taxonomy.themes;
    ShiftReport {
        unit_code: old.unit.code.as_deref(),
        unit: &old.unit.name,
        office: old.office,
        before: side(old, &shift.before),
        after: side(new, &shift.after),
        thin: shift.thin(),
        themes: shift
            .themes
            .iter()
            .map(|t| ThemeShiftReport {
                theme: &names[t.theme].name,
                before_per_10k: round(t.before),
                after_per_10k: round(t.after),
                difference: round(t.difference()),
                g2: round(t.g2),
                p: round(t.p),
                low_count: t.low_count,
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct ShiftsExport<'a> {
    test: &'static str,
    sides: &'static str,
    shifts: Vec<ShiftReport<'a>>,
}

/// The before/after of every change in `shifts`, as JSON.
pub fn shifts_json(analysis: &Analysis, shifts: &[Shift]) -> String {
    to_json(&ShiftsExport {
        test: SHIFT_TEST,
        sides: SHIFT_SIDES,
        shifts: shifts.iter().map(|s| shift_report(analysis, s)).collect(),
    })
}

/// A change's one theme before and after: a row of `shift --format csv`, and of a shift
/// figure's data.
pub(crate) struct ShiftThemeRow<'a> {
    change: &'a ShiftReport<'a>,
    theme: &'a ThemeShiftReport<'a>,
}

impl Row for ShiftThemeRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::text("unit_code"),
        Column::text("unit"),
        Column::text("office"),
        Column::text("before_name"),
        Column::date("before_first_seen"),
        Column::date("before_last_seen"),
        Column::int64("before_meetings"),
        Column::int64("before_chars"),
        Column::text("after_name"),
        Column::date("after_first_seen"),
        Column::date("after_last_seen"),
        Column::int64("after_meetings"),
        Column::int64("after_chars"),
        Column::bool("thin"),
        Column::text("theme"),
        Column::double("before_per_10k"),
        Column::double("after_per_10k"),
        Column::double("difference"),
        Column::double("g2"),
        Column::double("p"),
        Column::bool("low_count"),
    ];
    const NUMBERS: &'static [usize] = &[6, 7, 11, 12, 15, 16, 17, 18, 19];

    fn values(&self) -> Vec<Value<'_>> {
        let (r, t) = (self.change, self.theme);
        vec![
            r.unit_code.into(),
            r.unit.into(),
            r.office.as_str().into(),
            r.before.name.into(),
            r.before.first_seen.into(),
            r.before.last_seen.into(),
            r.before.meetings.into(),
            r.before.chars.into(),
            r.after.name.into(),
            r.after.first_seen.into(),
            r.after.last_seen.into(),
            r.after.meetings.into(),
            r.after.chars.into(),
            r.thin.into(),
            t.theme.into(),
            t.before_per_10k.into(),
            t.after_per_10k.into(),
            t.difference.into(),
            t.g2.into(),
            t.p.into(),
            t.low_count.into(),
        ]
    }
}

/// The before/after of every change, one CSV row per change and theme.
pub fn shifts_csv(analysis: &Analysis, shifts: &[Shift]) -> String {
    let reports: Vec<ShiftReport<'_>> = shifts.iter().map(|s| shift_report(analysis, s)).collect();
    export::csv(reports.iter().flat_map(|change| {
        change
            .themes
            .iter()
            .map(move |theme| ShiftThemeRow { change, theme })
    }))
}

/// The before/after of every change: a heading per change, then a row per theme.
pub fn shifts_table(analysis: &Analysis, shifts: &[Shift]) -> String {
    let mut out = format!(
        "{}# test: {SHIFT_TEST}\n# sides: {SHIFT_SIDES}\n",
        header_line(analysis)
    );
    if shifts.is_empty() {
        out.push_str("no change of holder in the offices asked for\n");
    }
    for shift in shifts {
        let r = shift_report(analysis, shift);
        let side = |s: &SideReport| {
            format!(
                "{} ({}–{}, {} meetings, {} chars)",
                s.name,
                date_cell(s.first_seen),
                date_cell(s.last_seen),
                s.meetings,
                s.chars
            )
        };
        out.push_str(&crate::text::terminal_safe(&format!(
            "\n{} {}: {} → {}{}\n",
            r.unit,
            r.office,
            side(&r.before),
            side(&r.after),
            if r.thin {
                format!(
                    "  [thin: a side has fewer than {MIN_MEETINGS} meetings or {MIN_CHARS} characters]"
                )
            } else {
                String::new()
            }
        )));
        let mut table = Table::new(["theme", "before", "after", "difference", "G2", "p", ""])
            .right_align(&[1, 2, 3, 4, 5]);
        for t in &r.themes {
            table.push(vec![
                t.theme.to_owned(),
                format!("{:.1}", t.before_per_10k),
                format!("{:.1}", t.after_per_10k),
                format!("{:+.1}", t.difference),
                format!("{:+.2}", t.g2),
                format!("{:.3}", t.p),
                if t.low_count {
                    "low count".into()
                } else {
                    String::new()
                },
            ]);
        }
        out.push_str(&table.render());
    }
    out
}

/// The average shift across units, as a table, CSV or JSON.
pub fn average_shift(analysis: &Analysis, office: Office, format: super::Format) -> String {
    let average = crate::shift::average_shift(analysis, office, |_| true);
    let names = &analysis.measurer.taxonomy.themes;
    let what = format!(
        "mean over {} changes of {office} (per 10k characters, the unit's meetings in the {YEAR_DAYS} days from the new holder's first sighting minus those in the {YEAR_DAYS} days up to the old one's last); {} changes left out with no meeting on a side",
        average.changes, average.left_out
    );
    match format {
        super::Format::Json => {
            #[derive(Serialize)]
            struct Theme<'a> {
                theme: &'a str,
                mean_difference: f64,
                rose: usize,
            }
            #[derive(Serialize)]
            struct Export<'a> {
                office: Office,
                changes: usize,
                left_out: usize,
                what: &'a str,
                themes: Vec<Theme<'a>>,
            }
            to_json(&Export {
                office,
                changes: average.changes,
                left_out: average.left_out,
                what: &what,
                themes: (0..names.len())
                    .map(|t| Theme {
                        theme: &names[t].name,
                        mean_difference: round(average.mean_difference[t]),
                        rose: average.rose[t],
                    })
                    .collect(),
            })
        }
        super::Format::Csv => {
            let mut out = "office,theme,mean_difference,rose,changes,left_out\n".to_owned();
            for (t, theme) in names.iter().enumerate() {
                push_csv_row(
                    &mut out,
                    &[
                        office.to_string(),
                        theme.name.clone(),
                        round(average.mean_difference[t]).to_string(),
                        average.rose[t].to_string(),
                        average.changes.to_string(),
                        average.left_out.to_string(),
                    ],
                );
            }
            out
        }
        super::Format::Table => {
            let mut table =
                Table::new(["theme", "mean difference", "rose in"]).right_align(&[1, 2]);
            for (t, theme) in names.iter().enumerate() {
                table.push(vec![
                    theme.name.clone(),
                    format!("{:+.2}", average.mean_difference[t]),
                    format!("{} of {}", average.rose[t], average.changes),
                ]);
            }
            format!("# {what}\n{}", table.render())
        }
    }
}
