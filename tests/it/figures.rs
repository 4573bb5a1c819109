//! `plot` and the dashboard's `e`: each kind of figure drawn from a hand-made corpus, its
//! SVG parsed as XML with every label found as text and no control character, its CSV
//! held against the numbers of the command that computes them (`report`, `trend`,
//! `adoption --curve`, `shift`); the refusals; the PNG, rendered where a font has the
//! glyphs and otherwise written as SVG with a message.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use zhongdian::figure::{self, svg, BarSeries, Body, Figure, Kind, LineSeries, Number};

use crate::support::binary::{run, zhongdian, Run};
use crate::trends::corpus;

fn zhongdian_run(args: &[&str]) -> Run {
    run(zhongdian().args(args).arg("--no-cache"))
}

/// `plot ARGS -o FILE`.
fn plot_into(file: &Path, args: &[&str]) -> Run {
    zhongdian_run(&[&["plot"], args, &["-o", file.to_str().unwrap()]].concat())
}

/// A CSV's records as header-keyed maps, its `# ` lines apart.
fn records(csv: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let comments: Vec<String> = csv
        .lines()
        .take_while(|l| l.starts_with("# "))
        .map(str::to_owned)
        .collect();
    let mut lines = csv.lines().skip_while(|l| l.starts_with("# "));
    let header: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split(',')
        .map(str::to_owned)
        .collect();
    let rows = lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_owned))
                .collect()
        })
        .collect();
    (comments, rows)
}

/// The texts of an SVG, parsed as XML: each `<text>` element's content.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

/// Draws `args` into `file` in a fresh folder; returns the run, the SVG's texts and the
/// CSV's comments and records.
struct Plotted {
    svg: String,
    texts: Vec<String>,
    comments: Vec<String>,
    rows: Vec<HashMap<String, String>>,
}

fn plot(args: &[&str]) -> Plotted {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("figure.svg");
    let ran = plot_into(&file, args);
    assert_eq!(ran.code, Some(0), "{args:?}: {}", ran.stderr);
    assert!(ran.stdout.is_empty(), "a figure goes to its file only");
    let svg = std::fs::read_to_string(&file).unwrap();
    let (comments, rows) = records(&std::fs::read_to_string(figure::data_file(&file)).unwrap());
    assert!(
        !svg.chars().any(|c| c.is_control() && c != '\n'),
        "no control character in the SVG"
    );
    Plotted {
        texts: texts(&svg),
        svg,
        comments,
        rows,
    }
}

/// The records of a command's CSV on standard output.
fn command_rows(args: &[&str]) -> Vec<HashMap<String, String>> {
    let ran = zhongdian_run(args);
    assert_eq!(ran.code, Some(0), "{args:?}: {}", ran.stderr);
    records(&ran.stdout).1
}

/// The record of `rows` for (district, year, theme).
fn cell<'a>(
    rows: &'a [HashMap<String, String>],
    district: &str,
    year: &str,
    theme: &str,
) -> Option<&'a HashMap<String, String>> {
    rows.iter()
        .find(|r| r["district"] == district && r["year"] == year && r["theme"] == theme)
}

/// Every row of a group figure's data is `report --by district-year`'s row of the same
/// cell, column for column, and its value the per-10k value.
fn same_as_report(corpus: &str, rows: &[HashMap<String, String>]) {
    let report = command_rows(&["report", corpus, "--format", "csv"]);
    assert!(!rows.is_empty());
    for row in rows {
        let reported = cell(&report, &row["district"], &row["year"], &row["theme"])
            .unwrap_or_else(|| panic!("no report row for {row:?}"));
        for (column, value) in reported {
            assert_eq!(&row[column], value, "{column} of {row:?}");
        }
        assert_eq!(row["measure"], "per10k");
        assert_eq!(row["value"], row["per_10k"]);
    }
}

fn stamped(comments: &[String], corpus: &Path) {
    let corpus = std::fs::canonicalize(corpus).unwrap();
    for wanted in [
        "# taxonomy: themes (built in)".to_owned(),
        format!("# corpus: {}", corpus.display()),
    ] {
        assert!(comments.contains(&wanted), "{wanted} in {comments:?}");
    }
    assert!(
        comments
            .iter()
            .any(|c| c.starts_with("# taxonomy_sha256: ") && c.len() == 19 + 64),
        "{comments:?}"
    );
}

fn has_text(texts: &[String], wanted: &str) {
    assert!(
        texts.iter().any(|t| t == wanted),
        "no <text> {wanted:?} in {texts:?}"
    );
}

#[test]
fn bars_draw_a_unit_years_themes_with_report_s_numbers() {
    let dir = corpus();
    let corpus = dir.path().to_str().unwrap();
    let p = plot(&[corpus, "bars", "--unit", "安远县", "--year", "2021"]);
    for label in [
        "安远县 赣州市 · 2021",
        "1 meeting, 26 Han characters",
        "hits per 10,000 Han characters",
        "生态环保",
        "项目建设",
    ] {
        has_text(&p.texts, label);
    }
    assert_eq!(p.rows.len(), 13, "a row a theme");
    same_as_report(corpus, &p.rows);
    stamped(&p.comments, dir.path());
    assert!(p.svg.contains("font-family=\"'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif\""));
    assert!(p.svg.contains("width=\"8.0cm\""), "8 cm wide");
    assert!(p.svg.contains("<metadata>") && p.svg.contains("taxonomy_sha256="));
}

#[test]
fn heatmap_timeline_draw_report_s_numbers_for_the_cells_shown() {
    let dir = corpus();
    let corpus = dir.path().to_str().unwrap();
    let heat = plot(&[corpus, "heatmap", "--year", "2021"]);
    for label in [
        "安远县",
        "丰泽区",
        "红旗区",
        "招商引资",
        "hits per 10,000 Han characters",
    ] {
        has_text(&heat.texts, label);
    }
    assert_eq!(
        heat.rows.len(),
        3 * 13,
        "three units of 2021, a row a theme each"
    );
    same_as_report(corpus, &heat.rows);
    assert!(heat.svg.contains("linearGradient"), "a legend of the scale");

    let timeline = plot(&[
        corpus,
        "timeline",
        "--theme",
        "项目建设",
        "--unit",
        "安远县",
        "--unit",
        "丰泽区",
    ]);
    for label in ["项目建设 over the years", "安远县", "丰泽区", "year"] {
        has_text(&timeline.texts, label);
    }
    // 安远县 2019–2021, 丰泽区 2019 and 2021: a row a point.
    assert_eq!(timeline.rows.len(), 5);
    assert!(timeline.rows.iter().all(|r| r["theme"] == "项目建设"));
    same_as_report(corpus, &timeline.rows);
}

#[test]
fn trend_and_adoption_draw_what_trend_and_adoption_compute() {
    let dir = corpus();
    let corpus = dir.path().to_str().unwrap();
    let trend = plot(&[corpus, "trend", "河长制", "湖长制"]);
    for label in ["河长制, 湖长制 over the years", "河长制", "湖长制"] {
        has_text(&trend.texts, label);
    }
    assert_eq!(
        trend.rows,
        command_rows(&["trend", corpus, "河长制", "湖长制", "--format", "csv"])
    );

    let units = plot(&[
        corpus,
        "trend",
        "河长制",
        "--unit",
        "安远县",
        "--unit",
        "丰泽区",
        "--smooth",
        "1",
    ]);
    has_text(&units.texts, "安远县");
    has_text(&units.texts, "丰泽区");
    let by_unit = command_rows(&[
        "trend",
        corpus,
        "河长制",
        "--by",
        "district-year",
        "--smooth",
        "1",
        "--format",
        "csv",
    ]);
    let wanted: Vec<_> = by_unit
        .into_iter()
        .filter(|r| r["unit"] == "安远县" || r["unit"] == "丰泽区")
        .collect();
    assert_eq!(units.rows, wanted);

    let adoption = plot(&[corpus, "adoption", "河长制"]);
    assert_eq!(
        adoption.rows,
        command_rows(&["adoption", corpus, "河长制", "--curve", "--format", "csv"])
    );
    // Each point says how many of the reporting units had said it: 2021, 2 of 3.
    has_text(&adoption.texts, "2/3");
    stamped(&adoption.comments, dir.path());
}

#[test]
fn shift_draws_the_before_and_after_of_shift() {
    let dir = crate::support::planted::planted();
    let corpus = dir.path().to_str().unwrap();
    let p = plot(&[corpus, "shift", "--unit", "360726", "--office", "secretary"]);
    assert!(
        p.texts.iter().any(|t| t.starts_with("before: 陈明远"))
            && p.texts.iter().any(|t| t.starts_with("after: 刘强")),
        "{:?}",
        p.texts
    );
    has_text(&p.texts, "安远县 赣州市 secretary: 陈明远 → 刘强");
    let shift = command_rows(&[
        "shift",
        corpus,
        "--unit",
        "360726",
        "--office",
        "secretary",
        "--format",
        "csv",
    ]);
    assert_eq!(p.rows, shift);
}

#[test]
fn plot_without_a_figure_file_or_with_a_wrong_one_is_refused_in_one_line() {
    let dir = corpus();
    let corpus = dir.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("f.pdf");
    let inside = dir.path().join("f.svg");
    for (args, says) in [
        (
            vec!["plot", corpus, "bars", "--unit", "安远县"],
            "-o FILE.svg",
        ),
        (
            vec![
                "plot",
                corpus,
                "bars",
                "--unit",
                "安远县",
                "-o",
                pdf.to_str().unwrap(),
            ],
            ".svg or .png",
        ),
        (
            vec!["plot", corpus, "pie", "-o", pdf.to_str().unwrap()],
            "the kinds are bars, heatmap",
        ),
        (
            vec!["plot", corpus, "trend", "-o", inside.to_str().unwrap()],
            "never writes into",
        ),
        (
            vec![
                "plot",
                corpus,
                "bars",
                "河长制",
                "-o",
                pdf.to_str().unwrap(),
            ],
            "takes no terms",
        ),
        (
            vec![
                "plot",
                corpus,
                "bars",
                "--top",
                "5",
                "-o",
                pdf.to_str().unwrap(),
            ],
            "--top means nothing to bars: it is for heatmap",
        ),
    ] {
        let ran = zhongdian_run(&args);
        assert_eq!(ran.code, Some(2), "{args:?}: {}", ran.stderr);
        assert_eq!(ran.stderr.lines().count(), 1, "{}", ran.stderr);
        assert!(ran.stderr.contains(says), "{args:?}: {}", ran.stderr);
    }
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 6);
}

#[test]
fn an_unknown_or_missing_unit_is_named_with_the_closest_ones() {
    let dir = corpus();
    let corpus = dir.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("f.svg");
    let ran = plot_into(&file, &[corpus, "bars", "--unit", "安远区"]);
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("no meetings of a district named \"安远区\"")
            && ran.stderr.contains("closest: 安远县 (360726, 赣州市)"),
        "{}",
        ran.stderr
    );
    let ran = plot_into(&file, &[corpus, "timeline"]);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(ran.stderr.contains("--theme NAME"), "{}", ran.stderr);
    assert!(!file.exists());
}

#[test]
fn a_png_is_drawn_with_a_font_that_has_the_glyphs_or_the_svg_is_written_and_said() {
    let dir = corpus();
    let corpus = dir.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("bars.png");
    let ran = plot_into(&file, &[corpus, "bars", "--unit", "安远县"]);
    let svg = out.path().join("bars.svg");
    let csv = out.path().join("bars.csv");
    assert!(csv.exists(), "the data is written either way");
    match figure::png::find_font("安远县赣州市项目建设生态环保") {
        Ok(font) => {
            assert_eq!(
                ran.code,
                Some(0),
                "{} has the glyphs: {}",
                font.family,
                ran.stderr
            );
            let png = std::fs::read(&file).unwrap();
            let decoder = png::Decoder::new(std::io::Cursor::new(&png));
            let reader = decoder.read_info().unwrap();
            let info = reader.info();
            assert_eq!(info.width, 945, "8 cm at 300 dpi");
            assert!(info
                .utf8_text
                .iter()
                .any(|t| t.keyword == "taxonomy" && t.get_text().unwrap() == "themes (built in)"));
            assert!(!svg.exists());
        }
        Err(why) => {
            assert_eq!(ran.code, Some(1), "{}", ran.stderr);
            assert!(!file.exists(), "no PNG with boxes for the labels");
            let said: Vec<&str> = ran.stderr.lines().collect();
            assert_eq!(said.len(), 2, "{}", ran.stderr);
            assert_eq!(said[0], format!("zhongdian: {why}"));
            assert!(said[0].contains("no font with Chinese glyphs found (tried Noto Sans CJK SC"));
            assert!(
                said[0].contains("apt install fonts-noto-cjk"),
                "{}",
                said[0]
            );
            assert!(said[1].contains(&svg.display().to_string()), "{}", said[1]);
            texts(&std::fs::read_to_string(&svg).unwrap());
        }
    }
}

/// A figure of Latin labels only, which any text font can draw.
fn latin_figure() -> Figure {
    Figure {
        kind: Kind::Bars,
        title: "Themes <of> A & B".into(),
        subtitle: "2 meetings".into(),
        value_label: "hits per 10,000 Han characters".into(),
        number: Number::Decimals(1),
        body: Body::Bars {
            categories: vec!["growth".into(), "safety".into()],
            series: vec![BarSeries {
                name: String::new(),
                values: vec![12.5, 3.25],
            }],
        },
        stamp: vec![("taxonomy", "test".into()), ("corpus", "/c".into())],
        data: "theme,value\ngrowth,12.5\nsafety,3.25\n".into(),
    }
}

#[test]
fn a_figure_s_svg_is_a_snapshot() {
    insta::assert_snapshot!(svg::render(&latin_figure()));
}

#[test]
fn every_label_of_every_body_is_drawn_as_text() {
    let lines = Figure {
        kind: Kind::Trend,
        body: Body::Lines {
            series: (0..13)
                .map(|i| LineSeries {
                    name: format!("线{i}"),
                    points: vec![(2019, f64::from(i)), (2021, 1.0)],
                    labels: vec![format!("{i}/13"), String::new()],
                })
                .collect(),
        },
        ..latin_figure()
    };
    let heat = Figure {
        kind: Kind::Heatmap,
        body: Body::Heatmap {
            rows: vec!["红旗区".into(), "县\u{7}区".into()],
            columns: vec!["项目建设".into(), "招商引资".into()],
            cells: vec![vec![1.0, 2.0], vec![0.0, 120.0]],
        },
        ..latin_figure()
    };
    for figure in [latin_figure(), lines, heat] {
        let drawn = svg::render(&figure);
        let texts = texts(&drawn);
        for label in figure.labels() {
            has_text(&texts, &figure::one_line(label));
        }
        assert!(!drawn.contains('\u{7}'), "control characters are left out");
        // The data file names the figure's provenance above its rows.
        assert!(figure
            .csv()
            .starts_with("# taxonomy: test\n# corpus: /c\n# figure: "));
    }
}

#[test]
fn a_png_of_latin_labels_is_drawn_with_a_system_font() {
    let figure = latin_figure();
    let drawn = svg::render(&figure);
    match figure::png::find_font(&svg::drawn_text(&drawn)) {
        Ok(font) => {
            let png = figure::png::render(&drawn, font, &figure.title, &figure.stamp).unwrap();
            let decoder = png::Decoder::new(std::io::Cursor::new(&png));
            let mut reader = decoder.read_info().unwrap();
            let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
            let frame = reader.next_frame(&mut pixels).unwrap();
            assert_eq!(frame.width, 945);
            // The title's row is inked: text was drawn, not left out.
            let row = (frame.width * 4) as usize;
            let title_rows = &pixels[row * 30..row * 60];
            let dark = title_rows.chunks(4).filter(|p| p[0] < 100).count();
            assert!(dark > 200, "{dark} dark pixels where the title is");
            let texts = &reader.info().utf8_text;
            assert!(texts
                .iter()
                .any(|t| t.keyword == "corpus" && t.get_text().unwrap() == "/c"));
        }
        // A machine without any font: the error says what was looked at.
        Err(why) => assert!(why.to_string().contains("tried Noto Sans CJK SC"), "{why}"),
    }
}

#[test]
fn the_dashboard_exports_the_chart_in_view_and_says_where() {
    use crate::support::dashboard::{key, load, resize};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use std::sync::Arc;
    use zhongdian::ingest::Options;
    use zhongdian::tui::app::App;
    use zhongdian::tui::message::Source;

    let dir = corpus();
    let out = tempfile::tempdir().unwrap();
    let analysis = Arc::new(crate::support::analysis::analysis_of(dir.path()));
    let source = Source {
        corpus: dir.path().to_path_buf(),
        options: Options::default(),
        cache: None,
        themes: None,
    };
    let mut app = App::new(Options::default()).with_source(source);
    app.export_dir = out.path().to_path_buf();
    resize(&mut app, 120, 40);
    load(&mut app, analysis);
    let press =
        |app: &mut App, c: char| key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    press(&mut app, 'e');
    let svg = out.path().join("zhongdian-bars-丰泽区-1.svg");
    assert_eq!(
        app.status.as_deref(),
        Some(
            format!(
                "figure written: {} (its data: {})",
                svg.display(),
                figure::data_file(&svg).display()
            )
            .as_str()
        )
    );
    texts(&std::fs::read_to_string(&svg).unwrap());
    let (comments, rows) = records(&std::fs::read_to_string(figure::data_file(&svg)).unwrap());
    stamped(&comments, dir.path());
    assert!(rows
        .iter()
        .all(|r| r["district"] == "丰泽区" && r["year"] == "2021"));
    // Again: a new file, never the old one replaced.
    press(&mut app, 'e');
    assert!(out.path().join("zhongdian-bars-丰泽区-2.svg").exists());
    press(&mut app, '2');
    press(&mut app, 'e');
    assert!(
        out.path()
            .join("zhongdian-heatmap-all_years-1.svg")
            .exists(),
        "{:?}",
        app.status
    );
    press(&mut app, '4');
    press(&mut app, 'e');
    assert_eq!(app.status, None, "the Evidence view has no chart, and no e");
    // The Trends view's lines: the rows `trend` writes for them.
    crate::tui_app::press(&mut app, "7/河长制⏎e");
    let trend = out.path().join("zhongdian-trend-河长制-1.svg");
    let (_, rows) = records(&std::fs::read_to_string(figure::data_file(&trend)).unwrap());
    let corpus = dir.path().to_str().unwrap();
    assert_eq!(
        rows,
        command_rows(&["trend", corpus, "河长制", "--format", "csv"])
    );

    // The current directory inside the corpus: nothing is written there.
    let inside: PathBuf = dir.path().join("figures");
    std::fs::create_dir(&inside).unwrap();
    app.export_dir = inside.clone();
    press(&mut app, '3');
    press(&mut app, 'e');
    let status = app.status.clone().unwrap_or_default();
    assert!(
        status.starts_with("nothing exported: the current directory")
            && status.contains("never writes into"),
        "{status}"
    );
    assert_eq!(std::fs::read_dir(&inside).unwrap().count(), 0);
}

#[test]
fn the_dashboard_exports_an_open_before_and_after() {
    let (mut app, dir) = crate::tui_app::planted_app(120, 40);
    let out = tempfile::tempdir().unwrap();
    app.export_dir = out.path().to_path_buf();
    crate::tui_app::press(&mut app, "6e");
    assert_eq!(
        app.status.as_deref(),
        Some("e exports a before and after: open one with b first")
    );
    crate::tui_app::press(&mut app, "jjbe");
    let svg = out.path().join("zhongdian-shift-安远县-1.svg");
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.starts_with("figure written: ")),
        "{:?}",
        app.status
    );
    let (_, rows) = records(&std::fs::read_to_string(figure::data_file(&svg)).unwrap());
    let corpus = dir.path().to_str().unwrap();
    let shift = command_rows(&["shift", corpus, "--unit", "360726", "--format", "csv"]);
    assert!(
        !rows.is_empty() && rows.iter().all(|r| shift.contains(r)),
        "{rows:?}"
    );
}
