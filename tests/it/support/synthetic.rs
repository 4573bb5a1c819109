//! A synthetic corpus for benches and scale tests: N meeting files over D districts and
//! Y years, each a recombination of sentences from the seed reports in data/, with front
//! matter saying who and when — and that it is synthetic. The same arguments always
//! write the same bytes (a fixed-seed generator), so a bench on 10k meetings means the
//! same corpus on every machine.
//!
//! Shared by `examples/generate.rs`, the benches and the scale tests.

use std::path::{Path, PathBuf};

use zhongdian::clean::{clean, Format};

/// A small deterministic generator (SplitMix64): no dependency, same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Offices whose holders a sentence may name.
const OFFICES: [&str; 6] = ["书记", "区长", "县长", "市长", "旗长", "主任"];

/// Sentences of the cleaned seed reports, ending in 。！？ (at least a few characters),
/// but for those that name an officer.
pub fn seed_sentences(data: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    files.sort();
    let mut sentences = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let cleaned = clean(&text, Format::PlainText).text;
        let mut current = String::new();
        for c in cleaned.chars() {
            if c == '\n' {
                current.clear();
                continue;
            }
            current.push(c);
            if matches!(c, '。' | '！' | '？') {
                // A sentence naming an officer would make the seeds' leaders every
                // district's; the leaders are planted instead (see `leaders`).
                let names_officer = OFFICES.iter().any(|o| current.contains(o));
                if current.chars().count() >= 8 && !names_officer {
                    sentences.push(std::mem::take(&mut current));
                } else {
                    current.clear();
                }
            }
        }
    }
    sentences
}

/// Synthetic district `i`: the `i`-th unit of the gazetteer below the provinces (cycling
/// past the last), as (code or id, today's name). Real units, so that the corpus is keyed
/// as a real one is; the front matter states it by code, so no name is ambiguous.
pub fn district(i: usize) -> (String, String) {
    use std::sync::LazyLock;
    use zhongdian::gazetteer::{Gazetteer, Level};
    static UNITS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
        Gazetteer::shared()
            .units()
            .filter(|(_, u)| u.level != Level::Province)
            .map(|(_, u)| (u.id.clone(), u.name.to_owned()))
            .collect()
    });
    UNITS[i % UNITS.len()].clone()
}

/// The sentence that names district `d`'s secretary and head in `year`: each office
/// changes hands every three years, the head a year after the secretary, so that the
/// leaders' benches have tenures and changes as a real corpus does (the seed sentences
/// that name officers are left out of the pool). Empty for a unit
/// whose offices no level character names (a zone).
fn leaders(district: &str, d: usize, year: usize) -> String {
    const SURNAMES: [char; 12] = [
        '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙',
    ];
    const GIVEN: [char; 12] = [
        '建', '国', '明', '华', '伟', '军', '平', '强', '文', '海', '志', '林',
    ];
    let Some(level) = district
        .chars()
        .next_back()
        .filter(|c| "区县市旗".contains(*c))
    else {
        return String::new();
    };
    let name = |office: usize, term: usize| {
        let k = d * 7 + office * 3 + term;
        format!(
            "{}{}{}",
            SURNAMES[k % 12],
            GIVEN[(k / 12) % 12],
            GIVEN[(k / 144 + term) % 12]
        )
    };
    let (secretary, head) = (name(0, (year + d) / 3), name(1, (year + d + 1) / 3));
    format!("{level}委书记{secretary}主持会议并讲话。{level}委副书记、{level}长{head}出席会议。\n")
}

/// Writes the corpus; returns the number of bytes written.
pub fn generate(
    out: &Path,
    meetings: usize,
    districts: usize,
    years: usize,
    sentences: &[String],
) -> std::io::Result<u64> {
    write_meetings(out, 0..meetings, districts, years, sentences, FULL)
}

/// Paragraphs of a report as [`generate`] writes them: a district report's length.
pub const FULL: std::ops::Range<usize> = 4..10;

/// [`generate`] with reports of one paragraph: a corpus of as many reports in a fifth
/// of the bytes, for tests whose subject is the number of reports, not their length.
// The tests' alone: the benches and examples that share this file write full reports.
#[allow(dead_code)]
pub fn generate_short(
    out: &Path,
    meetings: usize,
    districts: usize,
    years: usize,
    sentences: &[String],
) -> std::io::Result<u64> {
    write_meetings(out, 0..meetings, districts, years, sentences, 1..2)
}

/// Writes meetings `numbers` (files and districts numbered as [`generate`] numbers
/// them, the text drawn from a sequence of their own), of so many `paragraphs`: reports
/// added to a corpus that [`generate`] wrote with fewer. Returns the number of bytes
/// written.
pub fn write_meetings(
    out: &Path,
    numbers: std::ops::Range<usize>,
    districts: usize,
    years: usize,
    sentences: &[String],
    paragraphs: std::ops::Range<usize>,
) -> std::io::Result<u64> {
    // "zhongdia", and the same sequence for a corpus written from its first meeting.
    let mut rng = Rng(0x7A68_6F6E_6764_6961 ^ numbers.start as u64);
    let mut bytes = 0;
    for i in numbers {
        let (code, district) = district(i % districts.max(1));
        let year = 2016 + (i / districts.max(1)) % years.max(1);
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let mut body = format!("{month}月{day}日，{district}召开{year}年重点工作部署会。\n");
        body.push_str(&leaders(&district, i % districts.max(1), year));
        let paragraphs = paragraphs.start + rng.below(paragraphs.len());
        for _ in 0..paragraphs {
            for _ in 0..3 + rng.below(4) {
                body.push_str(&sentences[rng.below(sentences.len())]);
            }
            body.push('\n');
        }
        let text = format!(
            "+++\ndistrict = \"{code}\"\nyear = {year}\ndate = \"{year}-{month:02}-{day:02}\"\nsource = \"synthetic\"\nnote = \"generated by examples/generate.rs from data/; not a real meeting\"\n+++\n{body}"
        );
        let dir = out.join(format!("{code}/{year}"));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("{i:06}.txt")), &text)?;
        bytes += text.len() as u64;
    }
    Ok(bytes)
}
