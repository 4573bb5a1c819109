//! The policy taxonomy: themes, each a list of keywords, plus the lexicon that teaches the
//! segmenter policy terms and the stopwords a keyword chart leaves out.
//!
//! A taxonomy is a folder (`themes/` by default, `--themes DIR` otherwise) holding one
//! `*.toml` file per theme, `lexicon.txt` and `stopwords.txt`. The default folder is also
//! compiled into the binary so a server with nothing but the binary works. A broken
//! taxonomy is an error naming the file, line and column: every number the program shows
//! depends on it, so it is never half-loaded.

use std::collections::{BTreeMap, HashSet};

use rustc_hash::FxHashSet;
use std::fmt;
use std::path::Path;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use sha2::{Digest, Sha256};

/// A policy theme: what the dashboard draws one bar for.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// The Chinese name, e.g. 招商引资: the theme's identity in every output.
    pub name: String,
    /// The English label.
    pub label: String,
    /// A terminal colour name (`yellow`, `lightblue` …) or `#rrggbb`.
    pub color: String,
    /// What the theme covers, in English.
    description: String,
    /// The words and phrases that count for it, in file order.
    pub keywords: Vec<Keyword>,
    /// Phrases that must not count for this theme; they consume their words.
    pub exclude: Vec<String>,
}

/// A word or phrase that counts for a theme, and how much one hit of it weighs: 1 unless
/// the theme file gives another (less, for a word not always about the theme).
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    /// The word or phrase, as the theme file spells it.
    pub word: String,
    pub(crate) weight: f64,
}

/// A loaded taxonomy and what identifies it in an export.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// The folder's name (`themes`), or `themes (built in)`.
    pub name: String,
    /// SHA-256 of every file's name and content, in name order: a figure in a paper can
    /// name the exact taxonomy it was computed with.
    pub hash: String,
    /// SHA-256 of what decides the words a meeting is cut into and which of them match
    /// which theme: the lexicon, the stopwords, each theme's keywords and exclusions, in
    /// order. Names, colours, descriptions and weights are not in it: a change to those
    /// alone is re-weighed from the cache, not measured again.
    pub words_hash: String,
    /// The themes, in the order of their files: a theme's index is its place here.
    pub themes: Vec<Theme>,
    /// Extra segmenter words: (word, frequency).
    pub lexicon: Vec<(String, Option<usize>)>,
    /// Looked up once per word of every text, hence the fast hash.
    pub stopwords: FxHashSet<String>,
}

/// A taxonomy that cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxonomyError {
    file: String,
    line: usize,
    column: usize,
    message: String,
}

impl fmt::Display for TaxonomyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for TaxonomyError {}

/// The default taxonomy's files, compiled in.
const BUILT_IN: [(&str, &str); 15] = [
    (
        "01-investment.toml",
        include_str!("../themes/01-investment.toml"),
    ),
    (
        "02-projects.toml",
        include_str!("../themes/02-projects.toml"),
    ),
    ("03-safety.toml", include_str!("../themes/03-safety.toml")),
    ("04-economy.toml", include_str!("../themes/04-economy.toml")),
    (
        "05-industry.toml",
        include_str!("../themes/05-industry.toml"),
    ),
    (
        "06-innovation.toml",
        include_str!("../themes/06-innovation.toml"),
    ),
    (
        "07-business-environment.toml",
        include_str!("../themes/07-business-environment.toml"),
    ),
    ("08-urban.toml", include_str!("../themes/08-urban.toml")),
    ("09-rural.toml", include_str!("../themes/09-rural.toml")),
    (
        "10-livelihood.toml",
        include_str!("../themes/10-livelihood.toml"),
    ),
    ("11-ecology.toml", include_str!("../themes/11-ecology.toml")),
    ("12-party.toml", include_str!("../themes/12-party.toml")),
    ("13-finance.toml", include_str!("../themes/13-finance.toml")),
    ("lexicon.txt", include_str!("../themes/lexicon.txt")),
    ("stopwords.txt", include_str!("../themes/stopwords.txt")),
];

const LEXICON_FILE: &str = "lexicon.txt";
const STOPWORDS_FILE: &str = "stopwords.txt";

impl Taxonomy {
    /// The taxonomy compiled into the binary (a copy of the repository's `themes/`).
    pub fn built_in() -> Result<Taxonomy, TaxonomyError> {
        let files: Vec<(String, String)> = BUILT_IN
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        Taxonomy::from_files("themes (built in)", "themes", &files)
    }

    /// Reads a taxonomy folder. Only reads: nothing is written next to it.
    pub fn load(dir: &Path) -> Result<Taxonomy, TaxonomyError> {
        let shown = dir.display().to_string();
        let error = |message: String| TaxonomyError {
            file: shown.clone(),
            line: 0,
            column: 0,
            message,
        };
        let entries = std::fs::read_dir(dir)
            .map_err(|e| error(format!("cannot read the taxonomy folder: {e}")))?;
        let mut files = Vec::new();
        for entry in entries {
            let entry =
                entry.map_err(|e| error(format!("cannot list the taxonomy folder: {e}")))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let wanted = name.ends_with(".toml") || name == LEXICON_FILE || name == STOPWORDS_FILE;
            if !wanted || name.starts_with('.') {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).map_err(|e| TaxonomyError {
                file: format!("{shown}/{name}"),
                line: 0,
                column: 0,
                message: format!("cannot read as UTF-8 text: {e}"),
            })?;
            files.push((name, text));
        }
        files.sort();
        let folder = dir
            .file_name()
            .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
        Taxonomy::from_files(&folder, &shown, &files)
    }

    /// Builds a taxonomy from `(file name, content)` pairs; `shown` prefixes file names in
    /// error messages.
    pub fn from_files(
        name: &str,
        shown: &str,
        files: &[(String, String)],
    ) -> Result<Taxonomy, TaxonomyError> {
        let mut hasher = Sha256::new();
        for (file, text) in files {
            hasher.update(file.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
        }
        let hash: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();

        let mut themes: Vec<Theme> = Vec::new();
        let mut first_file_of: BTreeMap<String, String> = BTreeMap::new();
        let mut lexicon = Vec::new();
        let mut stopwords = FxHashSet::default();
        for (file, text) in files {
            let path = format!("{shown}/{file}");
            if file == LEXICON_FILE {
                lexicon = parse_lexicon(&path, text)?;
            } else if file == STOPWORDS_FILE {
                stopwords = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_owned)
                    .collect();
            } else {
                let theme = parse_theme(&path, text)?;
                if let Some(other) = first_file_of.get(&theme.name) {
                    return Err(TaxonomyError {
                        file: path,
                        line: 1,
                        column: 1,
                        message: format!("theme name `{}` is already used by {other}", theme.name),
                    });
                }
                first_file_of.insert(theme.name.clone(), path);
                themes.push(theme);
            }
        }
        if themes.is_empty() {
            return Err(TaxonomyError {
                file: shown.to_owned(),
                line: 0,
                column: 0,
                message: "holds no theme files (*.toml)".into(),
            });
        }
        Ok(Taxonomy {
            name: name.to_owned(),
            hash,
            words_hash: words_hash(&themes, &lexicon, &stopwords),
            themes,
            lexicon,
            stopwords,
        })
    }

    /// The short form of the hash used in headers: enough to tell taxonomies apart.
    pub fn short_hash(&self) -> &str {
        &self.hash[..12.min(self.hash.len())]
    }

    /// This taxonomy with `word` added to theme `theme` at weight 1, as a saved theme
    /// file would have it (the hashes stay this taxonomy's: nothing is stored under it);
    /// why not, when `word` is empty, spaced or already a keyword or exclusion.
    pub fn with_keyword(&self, theme: usize, word: &str) -> Result<Taxonomy, String> {
        if word.is_empty() {
            return Err("empty; expected a word or phrase".into());
        }
        if let Some(message) = spaced("keyword", word) {
            return Err(message);
        }
        for t in &self.themes {
            if t.keywords.iter().any(|k| k.word == word) {
                return Err(format!("already a keyword of {}", t.name));
            }
            if t.exclude.iter().any(|e| e == word) {
                return Err(format!("already an exclusion of {}", t.name));
            }
        }
        let mut tried = self.clone();
        let theme = tried
            .themes
            .get_mut(theme)
            .ok_or_else(|| format!("no theme number {theme}"))?;
        theme.keywords.push(Keyword {
            word: word.to_owned(),
            weight: 1.0,
        });
        Ok(tried)
    }

    /// The index of the theme named `name`: its Chinese name, or its English label in
    /// any case.
    pub fn theme_index(&self, name: &str) -> Option<usize> {
        self.themes
            .iter()
            .position(|t| t.name == name || t.label.eq_ignore_ascii_case(name))
    }

    /// [`Taxonomy::theme_index`], or an error that lists the themes there are.
    pub fn theme_named(&self, name: &str) -> Result<usize, crate::error::Error> {
        self.theme_index(name)
            .ok_or_else(|| crate::error::Error::NoTheme {
                name: name.to_owned(),
                taxonomy: self.name.clone(),
                themes: self.themes.iter().map(|t| t.name.clone()).collect(),
            })
    }
}

fn words_hash(
    themes: &[Theme],
    lexicon: &[(String, Option<usize>)],
    stopwords: &FxHashSet<String>,
) -> String {
    let mut hasher = Sha256::new();
    let mut field = |text: &str| {
        hasher.update(text.as_bytes());
        hasher.update([0]);
    };
    for (word, frequency) in lexicon {
        field(word);
        field(&format!("{frequency:?}"));
    }
    field("\u{1}stopwords");
    let mut stopwords: Vec<&String> = stopwords.iter().collect();
    stopwords.sort();
    stopwords.iter().for_each(|w| field(w));
    for theme in themes {
        field("\u{1}theme");
        theme.keywords.iter().for_each(|k| field(&k.word));
        field("\u{1}exclude");
        theme.exclude.iter().for_each(|e| field(e));
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A theme file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    label: String,
    color: String,
    description: String,
    keywords: Vec<toml::Spanned<KeywordSpec>>,
    #[serde(default)]
    exclude: Vec<toml::Spanned<String>>,
}

/// `"招商引资"` or `{ word = "招商", weight = 0.5 }`.
struct KeywordSpec {
    word: String,
    weight: f64,
}

impl<'de> Deserialize<'de> for KeywordSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct SpecVisitor;
        impl<'de> Visitor<'de> for SpecVisitor {
            type Value = KeywordSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a keyword: a string, or { word = \"…\", weight = 0.5 }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeywordSpec, E> {
                Ok(KeywordSpec {
                    word: v.to_owned(),
                    weight: 1.0,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeywordSpec, A::Error> {
                let (mut word, mut weight) = (None, 1.0);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "word" => word = Some(map.next_value::<String>()?),
                        "weight" => weight = map.next_value::<f64>()?,
                        other => return Err(de::Error::unknown_field(other, &["word", "weight"])),
                    }
                }
                let word = word.ok_or_else(|| de::Error::missing_field("word"))?;
                if !(weight.is_finite() && weight > 0.0) {
                    return Err(de::Error::custom(format!(
                        "weight of `{word}` must be a positive number, found {weight}"
                    )));
                }
                Ok(KeywordSpec { word, weight })
            }
        }
        d.deserialize_any(SpecVisitor)
    }
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn parse_theme(path: &str, text: &str) -> Result<Theme, TaxonomyError> {
    let at = |offset: usize, message: String| {
        let (line, column) = position(text, offset);
        TaxonomyError {
            file: path.to_owned(),
            line,
            column,
            message,
        }
    };
    let file: ThemeFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        at(offset, e.message().trim().to_owned())
    })?;
    if file.name.trim().is_empty() {
        return Err(at(
            0,
            "`name` is empty; expected the theme's Chinese name".into(),
        ));
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut keywords = Vec::with_capacity(file.keywords.len());
    for spanned in &file.keywords {
        let offset = spanned.span().start;
        let spec = spanned.get_ref();
        let word = spec.word.trim();
        if word.is_empty() {
            return Err(at(
                offset,
                "empty keyword; expected a word or phrase".into(),
            ));
        }
        if let Some(message) = spaced("keyword", word) {
            return Err(at(offset, message));
        }
        if !seen.insert(word.to_owned()) {
            return Err(at(offset, format!("duplicate keyword `{word}`")));
        }
        keywords.push(Keyword {
            word: word.to_owned(),
            weight: spec.weight,
        });
    }
    if keywords.is_empty() {
        return Err(at(
            0,
            "`keywords` is empty; a theme needs at least one".into(),
        ));
    }
    let mut exclude = Vec::with_capacity(file.exclude.len());
    for spanned in &file.exclude {
        let phrase = spanned.get_ref().trim();
        if phrase.is_empty() {
            return Err(at(spanned.span().start, "empty exclude phrase".into()));
        }
        if let Some(message) = spaced("exclude phrase", phrase) {
            return Err(at(spanned.span().start, message));
        }
        exclude.push(phrase.to_owned());
    }
    Ok(Theme {
        name: file.name.trim().to_owned(),
        label: file.label,
        color: file.color,
        description: file.description,
        keywords,
        exclude,
    })
}

/// Why a phrase with a space inside is refused: texts are cut into words and spaces are
/// no words, so the phrase could never match and its theme would silently count
/// nothing. A researcher who wrote `招商 引资` means `招商引资`, and is told so.
fn spaced(what: &str, phrase: &str) -> Option<String> {
    phrase.contains(char::is_whitespace).then(|| {
        let joined: String = phrase.split_whitespace().collect();
        format!(
            "{what} `{phrase}` contains a space, which no word of a text can match; write it without spaces: `{joined}`"
        )
    })
}

/// jieba's user-dictionary format: `word [freq] [tag]` per line.
fn parse_lexicon(path: &str, text: &str) -> Result<Vec<(String, Option<usize>)>, TaxonomyError> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let word = parts.next().unwrap_or_default();
        let freq = match parts.next() {
            Some(f) => Some(f.parse::<usize>().map_err(|_| TaxonomyError {
                file: path.to_owned(),
                line: i + 1,
                column: line.find(f).map_or(1, |c| line[..c].chars().count() + 1),
                message: format!(
                    "expected a frequency (a whole number) after `{word}`, found `{f}`"
                ),
            })?),
            None => None,
        };
        entries.push((word.to_owned(), freq));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme_files(toml: &str) -> Vec<(String, String)> {
        vec![("a.toml".to_owned(), toml.to_owned())]
    }

    const GOOD: &str = "name = \"招商引资\"\nlabel = \"Investment\"\ncolor = \"yellow\"\ndescription = \"d\"\nkeywords = [\"招商引资\", { word = \"招商\", weight = 0.5 }]\nexclude = [\"招商银行\"]\n";

    #[test]
    fn a_theme_file_reads() {
        let t = Taxonomy::from_files("t", "t", &theme_files(GOOD)).unwrap();
        let theme = &t.themes[0];
        assert_eq!(
            theme.keywords[1],
            Keyword {
                word: "招商".into(),
                weight: 0.5
            }
        );
        assert_eq!(theme.exclude, ["招商银行"]);
        assert_eq!(t.hash.len(), 64);
    }

    fn error_of(toml: &str) -> String {
        Taxonomy::from_files("t", "themes", &theme_files(toml))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn broken_theme_files_say_where_and_what() {
        assert!(error_of("name = \"x\"\nlabel = = \"y\"\n").starts_with("themes/a.toml:2:9: "));
        let unknown = error_of(&GOOD.replace("exclude", "excludes"));
        assert!(
            unknown.starts_with("themes/a.toml:6:1: unknown field `excludes`"),
            "{unknown}"
        );
        let empty = error_of(&GOOD.replace("\"招商引资\", {", "\"招商引资\", \"\", {"));
        assert_eq!(
            empty,
            "themes/a.toml:5:21: empty keyword; expected a word or phrase"
        );
        let dup = error_of(&GOOD.replace("word = \"招商\"", "word = \"招商引资\""));
        assert_eq!(dup, "themes/a.toml:5:21: duplicate keyword `招商引资`");
        let missing = error_of(&GOOD.replace("color = \"yellow\"\n", ""));
        assert!(missing.contains("missing field `color`"), "{missing}");
    }

    #[test]
    fn a_keyword_or_exclude_phrase_with_a_space_is_refused_with_a_hint() {
        let keyword = error_of(&GOOD.replace("[\"招商引资\", {", "[\"招商 引资\", {"));
        assert_eq!(
            keyword,
            "themes/a.toml:5:13: keyword `招商 引资` contains a space, which no word of a text can match; write it without spaces: `招商引资`"
        );
        let wide = error_of(&GOOD.replace("word = \"招商\"", "word = \"招\u{3000}商\""));
        assert!(
            wide.starts_with("themes/a.toml:5:21: keyword `招\u{3000}商` contains a space"),
            "{wide}"
        );
        let exclude = error_of(&GOOD.replace("[\"招商银行\"]", "[\"招商 银行\"]"));
        assert!(
            exclude.starts_with("themes/a.toml:6:12: exclude phrase `招商 银行` contains a space"),
            "{exclude}"
        );
    }

    #[test]
    fn two_themes_with_one_name_are_refused() {
        let files = vec![
            ("a.toml".to_owned(), GOOD.to_owned()),
            ("b.toml".to_owned(), GOOD.to_owned()),
        ];
        let err = Taxonomy::from_files("t", "themes", &files)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "themes/b.toml:1:1: theme name `招商引资` is already used by themes/a.toml"
        );
    }

    #[test]
    fn a_bad_lexicon_line_is_located() {
        let files = vec![
            ("a.toml".to_owned(), GOOD.to_owned()),
            (
                "lexicon.txt".to_owned(),
                "营商环境 20000 n\n开门红 many n\n".to_owned(),
            ),
        ];
        let err = Taxonomy::from_files("t", "themes", &files)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "themes/lexicon.txt:2:5: expected a frequency (a whole number) after `开门红`, found `many`");
    }
}
