//! Evidence as the front ends show it: a sentence with its keywords marked.

use std::ops::Range;

/// `sentence` cut into pieces in order, each inside a keyword mark (`true`) or not; the
/// pieces put together are the sentence. Marks are byte ranges from the measure, but
/// they are not trusted to fit: unsorted or overlapping marks are merged, a mark past the
/// end is cut to it, and a mark that splits a character takes the whole character. Empty
/// marks mark nothing; touching marks stay apart, one keyword each.
pub fn split_marked<'a>(sentence: &'a str, marks: &[Range<usize>]) -> Vec<(&'a str, bool)> {
    let mut spans: Vec<Range<usize>> = marks
        .iter()
        .map(|m| char_floor(sentence, m.start)..char_ceil(sentence, m.end))
        .filter(|m| m.start < m.end)
        .collect();
    spans.sort_by_key(|m| m.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for m in spans {
        match merged.last_mut() {
            Some(last) if m.start < last.end => last.end = last.end.max(m.end),
            _ => merged.push(m),
        }
    }
    let mut pieces = Vec::with_capacity(2 * merged.len() + 1);
    let mut done = 0;
    for m in merged {
        if done < m.start {
            pieces.push((&sentence[done..m.start], false));
        }
        pieces.push((&sentence[m.clone()], true));
        done = m.end;
    }
    if done < sentence.len() {
        pieces.push((&sentence[done..], false));
    }
    pieces
}

/// The start of the character at byte `at` (the end of `text` if past it).
fn char_floor(text: &str, at: usize) -> usize {
    (0..=at.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// The end of the character at byte `at` (the end of `text` if past it).
fn char_ceil(text: &str, at: usize) -> usize {
    (at.min(text.len())..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCE: &str = "要抓招商引资和项目建设。";

    /// The byte range of `word` in the sentence.
    fn at(word: &str) -> Range<usize> {
        let start = SENTENCE.find(word).unwrap();
        start..start + word.len()
    }

    #[test]
    fn keywords_are_marked_and_the_rest_kept() {
        let pieces = split_marked(SENTENCE, &[at("招商引资"), at("项目建设")]);
        assert_eq!(
            pieces,
            [
                ("要抓", false),
                ("招商引资", true),
                ("和", false),
                ("项目建设", true),
                ("。", false)
            ]
        );
        assert_eq!(
            split_marked(SENTENCE, &[at("项目建设"), at("招商引资")]),
            pieces
        );
    }

    #[test]
    fn overlapping_marks_merge_and_touching_marks_stay_apart() {
        let overlapping = split_marked(SENTENCE, &[at("引资和"), at("招商引资")]);
        assert_eq!(
            overlapping,
            [("要抓", false), ("招商引资和", true), ("项目建设。", false)]
        );
        let touching = split_marked(SENTENCE, &[at("招商"), at("引资")]);
        assert_eq!(
            touching,
            [
                ("要抓", false),
                ("招商", true),
                ("引资", true),
                ("和项目建设。", false)
            ]
        );
    }

    #[test]
    fn marks_that_do_not_fit_are_cut_to_the_sentence_and_its_characters() {
        let len = SENTENCE.len();
        let past = split_marked(SENTENCE, &[len + 3..len + 9, at("。").start..len + 9]);
        assert_eq!(past, [("要抓招商引资和项目建设", false), ("。", true)]);
        // One byte into 要 .. one byte into 抓: both characters, whole.
        assert_eq!(
            split_marked(SENTENCE, &[Range { start: 1, end: 4 }]),
            [("要抓", true), ("招商引资和项目建设。", false)]
        );
        let reversed = Range { start: 6, end: 3 };
        assert_eq!(
            split_marked(SENTENCE, &[reversed, 3..3]),
            [(SENTENCE, false)]
        );
        assert!(split_marked("", &[Range { start: 0, end: 5 }]).is_empty());
    }

    #[test]
    fn any_two_marks_give_the_sentence_back_without_a_panic() {
        let sentence = "抓a招商。";
        let bound = sentence.len() + 2;
        for a in 0..bound {
            for b in 0..bound {
                for c in 0..bound {
                    for d in 0..bound {
                        let pieces = split_marked(sentence, &[a..b, c..d]);
                        let whole: String = pieces.iter().map(|(p, _)| *p).collect();
                        assert_eq!(whole, sentence, "{a}..{b}, {c}..{d}");
                        assert!(pieces.iter().all(|(p, _)| !p.is_empty()));
                    }
                }
            }
        }
    }
}
