//! The themes issue's measure definitions, pinned on small hand-made texts.

use zhongdian::aggregate::{self, entropy, log_likelihood, YearKey};
use zhongdian::clean::StepCounts;
use zhongdian::infer::Holder;
use zhongdian::measure::{per_10k, Measure, Measured, Measurer, MeetingMeasures, ThemeCount};
use zhongdian::meeting::Meeting;
use zhongdian::meeting::{MeetingKind, Provenance, Sourced};
use zhongdian::taxonomy::Taxonomy;
use zhongdian::vocabulary::Vocabulary;

fn theme(name: &str, keywords: &str, exclude: &str) -> String {
    format!("name = \"{name}\"\nlabel = \"{name}\"\ncolor = \"red\"\ndescription = \"test\"\nkeywords = [{keywords}]\nexclude = [{exclude}]\n")
}

fn measurer(themes: &[String]) -> Measurer {
    let files: Vec<(String, String)> = themes
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("{i}.toml"), t.clone()))
        .chain([("stopwords.txt".to_owned(), "我们\n".to_owned())])
        .collect();
    Measurer::new(Taxonomy::from_files("test", "test", &files).expect("test taxonomy"))
}

#[test]
fn density_is_hits_per_10k_han_characters() {
    let a = measurer(&[theme("招商引资", "\"招商引资\"", "")]);
    // 9 Han characters; ASCII, digits and punctuation do not count.
    let m = a.measure("我们要抓好招商引资。ABC 2026!").measures;
    assert_eq!(m.chars, 9);
    assert_eq!(m.themes[0].hits, 1.0);
    assert!((per_10k(m.themes[0].hits, m.chars) - 10_000.0 / 9.0).abs() < 1e-9);
    assert_eq!(Measure::Per10k.value(1.0, 9, 3), 10_000.0 / 9.0);
    assert_eq!(Measure::TokenShare.value(1.0, 9, 4), 25.0);
    assert_eq!(Measure::Hits.value(1.5, 9, 4), 1.5);
    assert_eq!(
        per_10k(3.0, 0),
        0.0,
        "an empty text has no density, not infinity"
    );
}

#[test]
fn weights_count_and_sentences_are_counted_once() {
    let a = measurer(&[theme(
        "招商引资",
        "\"招商引资\", { word = \"客商\", weight = 0.5 }",
        "",
    )]);
    let m = a.measure("招商引资，招商引资。吸引客商。").measures;
    assert_eq!(m.themes[0].hits, 2.5);
    assert_eq!(m.themes[0].sentences, 2);
    let keywords = a.keyword_counts(0, &m);
    assert_eq!(keywords["招商引资"], 2);
    assert_eq!(keywords["客商"], 1);
}

#[test]
fn the_longest_keyword_wins_and_consumes_its_words() {
    let a = measurer(&[
        theme("项目", "\"项目\"", ""),
        theme("项目建设", "\"项目建设\"", ""),
    ]);
    let m = a.measure("加快项目建设，做好项目。").measures;
    assert_eq!(m.themes[0].hits, 1.0, "项目 alone, once");
    assert_eq!(m.themes[1].hits, 1.0, "项目建设 once, not also 项目");
}

#[test]
fn an_excluded_phrase_counts_for_nothing() {
    let a = measurer(&[
        theme("招商引资", "\"招商\"", "\"招商银行\""),
        theme("金融财政", "\"金融\"", ""),
    ]);
    let m = a.measure("招商银行支持招商。").measures;
    assert_eq!(m.themes[0].hits, 1.0);
    assert_eq!(m.themes[1].hits, 0.0);
}

#[test]
fn stopwords_and_single_characters_stay_out_of_the_keyword_counts() {
    let a = measurer(&[theme("招商引资", "\"招商引资\"", "")]);
    let m = a.measure("我们要抓好招商引资，我们要抓好招商引资。");
    let words: Vec<&str> = m.words.iter().map(|(w, _)| w).collect();
    assert!(words.contains(&"招商引资"));
    assert!(!words.contains(&"我们"), "stopword");
    assert!(!words.contains(&"要"), "single character");
    // 我们 要 抓好 招商引资 twice: punctuation is not a token.
    assert_eq!(m.measures.tokens, 8);
}

fn meeting(file: &str, district: &str, year: Option<i32>) -> Meeting {
    Meeting {
        file: file.into(),
        district: Some(Sourced::new(
            Holder::stated(district).expect("a unit of the gazetteer"),
            Provenance::FrontMatter,
        )),
        candidates: Vec::new(),
        year: year.map(|y| Sourced::new(y, Provenance::FrontMatter)),
        date: None,
        title: None,
        kind: MeetingKind::Other,
        speakers: Vec::new(),
        leaders: Vec::new(),
        chars: 0,
        encoding: "UTF-8".into(),
        was_traditional: false,
        steps: StepCounts::default(),
        source: None,
        note: None,
        warnings: Vec::new(),
    }
}

fn measures(hits: f64, chars: usize, words: &[(&str, u32)]) -> Measured {
    Measured {
        measures: MeetingMeasures {
            chars,
            tokens: chars / 2,
            themes: vec![ThemeCount {
                hits,
                ..ThemeCount::default()
            }],
            keywords: Vec::new(),
        },
        words: words.iter().copied().collect(),
        cut: Vec::new(),
    }
}

#[test]
fn groups_pool_hits_over_characters_and_keep_undated_meetings() {
    let ms = [
        (
            meeting("a", "红旗区", Some(2024)),
            measures(1.0, 100, &[("项目", 10)]),
        ),
        (
            meeting("b", "红旗区", Some(2024)),
            measures(1.0, 1000, &[("项目", 10)]),
        ),
        (
            meeting("c", "红旗区", None),
            measures(4.0, 100, &[("招商", 2)]),
        ),
        (
            meeting("d", "丰泽区", Some(2018)),
            measures(0.0, 500, &[("民生", 40)]),
        ),
    ];
    let pairs: Vec<(&Meeting, &MeetingMeasures)> =
        ms.iter().map(|(m, x)| (m, &x.measures)).collect();
    let mut vocabulary = Vocabulary::default();
    let words: Vec<_> = ms
        .iter()
        .map(|(_, x)| vocabulary.intern(&x.words))
        .collect();
    let groups = aggregate::group(&pairs, &words, &vocabulary, 1);
    let find = |d: &str, y: YearKey| {
        groups
            .iter()
            .find(|g| g.district.unit().map(|u| u.name.as_str()) == Some(d) && g.year == y)
            .unwrap()
    };

    let g2024 = find("红旗区", YearKey::Year(2024));
    assert_eq!(g2024.meetings.len(), 2);
    let pooled = g2024.value(0, Measure::Per10k);
    assert!(
        (pooled - 2.0 * 10_000.0 / 1100.0).abs() < 1e-9,
        "pooled, got {pooled}"
    );
    assert!(
        (pooled - 55.0).abs() > 1.0,
        "not the mean of the ratios (55)"
    );

    let undated = find("红旗区", YearKey::Undated);
    assert_eq!(undated.meetings, vec![2]);
    let all = find("红旗区", YearKey::AllYears);
    assert_eq!(all.meetings.len(), 3);
    assert_eq!(all.chars, 1200);
    assert_eq!(all.hits[0], 6.0);

    let order: Vec<(Option<&str>, YearKey)> = groups
        .iter()
        .map(|g| (g.district.unit().map(|u| u.name.as_str()), g.year))
        .collect();
    assert_eq!(
        order,
        vec![
            (Some("丰泽区"), YearKey::Year(2018)),
            (Some("丰泽区"), YearKey::AllYears),
            (Some("红旗区"), YearKey::Year(2024)),
            (Some("红旗区"), YearKey::Undated),
            (Some("红旗区"), YearKey::AllYears),
        ]
    );
    // 项目 is 20 of 20 words in 红旗区 2024 and absent elsewhere: distinctive there.
    assert_eq!(vocabulary.word(g2024.distinctive[0].word), "项目");
    assert!(g2024.distinctive[0].score > 0.0);
    assert!(!g2024.distinctive[0].low_count);
    assert!(
        undated.distinctive[0].low_count,
        "2 occurrences are too few to mean much"
    );
}

#[test]
fn keyness_is_signed_by_direction() {
    assert!(
        log_likelihood(20.0, 5.0, 1000.0, 10_000.0) > 0.0,
        "overused in the group"
    );
    assert!(
        log_likelihood(1.0, 100.0, 1000.0, 1000.0) < 0.0,
        "underused in the group"
    );
    assert!(
        log_likelihood(10.0, 10.0, 1000.0, 1000.0).abs() < 1e-9,
        "same rate"
    );
    // Textbook value: a=10, b=0, c=d=100 gives G² = 2·10·ln(2) ≈ 13.86.
    assert!((log_likelihood(10.0, 0.0, 100.0, 100.0) - 20.0 * 2f64.ln()).abs() < 1e-9);
}

#[test]
fn entropy_measures_agenda_breadth_in_bits() {
    assert_eq!(entropy(&[5.0, 0.0, 0.0]), 0.0);
    assert!((entropy(&[1.0, 1.0]) - 1.0).abs() < 1e-12);
    assert!((entropy(&[2.0, 2.0, 2.0, 2.0]) - 2.0).abs() < 1e-12);
    assert_eq!(entropy(&[0.0, 0.0]), 0.0);
    assert!(entropy(&[9.0, 1.0]) < entropy(&[5.0, 5.0]));
}

#[test]
fn no_value_up_to_the_largest_prints_wider_than_widest() {
    for measure in [Measure::Per10k, Measure::TokenShare, Measure::Hits] {
        for largest in [0.0, 0.5, 9.0, 9.96, 10.0, 99.5, 123.45, 1000.0] {
            let widest = measure.widest(largest);
            for step in 0..=1000 {
                let value = largest * f64::from(step) / 1000.0;
                let shown = measure.format(value);
                assert!(
                    shown.chars().count() <= widest,
                    "{measure:?}: {shown} is wider than {widest} (largest {largest})"
                );
            }
        }
    }
}

#[test]
fn a_theme_without_hits_has_zero_hits_not_minus_zero() {
    let a = measurer(&[
        theme("招商引资", "\"招商引资\"", ""),
        theme("金融财政", "\"金融\"", ""),
    ]);
    let m = a.measure("我们要抓好招商引资。").measures;
    assert_eq!(m.themes[0].hits, 1.0);
    let none = m.themes[1].hits;
    assert!(
        none == 0.0 && none.is_sign_positive(),
        "{none:?} prints as -0 in the exports"
    );
}

/// The measures count characters from the segmenter's words and sentences from the words
/// between hits; the text counted directly, and the sentences the evidence view shows,
/// must agree with them on every real report.
#[test]
fn characters_and_sentences_agree_with_the_text_and_its_evidence() {
    let measurer = Measurer::new(Taxonomy::built_in().expect("built-in taxonomy"));
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let reports = zhongdian::ingest::load(&data, &Default::default()).expect("data/");
    assert!(reports.reports.len() >= 5);
    let texts = reports
        .reports
        .iter()
        .map(|r| r.text.as_str())
        .chain(["“要抓好招商引资。”项目建设\n\n招商引资！安全生产；安全生产?招商引资"]);
    for text in texts {
        let m = measurer.measure(text).measures;
        assert_eq!(m.chars, zhongdian::text::han_count(text));
        for (t, count) in m.themes.iter().enumerate() {
            assert_eq!(
                count.sentences as usize,
                measurer.passages(text, t).len(),
                "theme {t} in {text:.40}"
            );
        }
    }
}
