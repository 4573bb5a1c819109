//! Stage 2a: bytes to text. Reports arrive in whatever encoding the site or the colleague
//! used; we recognise the ones Chinese text really comes in and refuse the rest.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, BIG5, GBK, UTF_8};

use crate::text::any_of;

/// A report's text and how it was encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text, any byte-order mark dropped.
    pub text: String,
    /// The encoding's name as encoding_rs spells it ("UTF-8", "UTF-16LE", "gb18030", "Big5").
    pub encoding: &'static str,
    /// Problems that did not stop decoding: replaced bytes, signs of double-decoding.
    pub warnings: Vec<String>,
}

/// Why a file could not be read as text at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText(pub String);

/// Share of replaced characters above which a "mostly UTF-8" file is treated as binary.
const MAX_REPLACED_SHARE: f64 = 0.01;

/// Decodes UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK and Big5 without being
/// told which. Anything else — binary, or an encoding Chinese reports don't use — is
/// [`NotText`].
pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_as(bytes.get(bom_len..).unwrap_or_default(), encoding);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(text.to_owned(), UTF_8, Vec::new());
    }
    if bytes.contains(&0) {
        return Err(NotText(
            "holds NUL bytes and no UTF-16 byte-order mark: binary, not text".into(),
        ));
    }
    // Damaged UTF-8 is tried first: GBK accepts almost any byte pair, so UTF-8 with one
    // bad byte would otherwise "decode" as GBK mojibake.
    decode_damaged_utf8(bytes)
        .or_else(|| decode_legacy(bytes))
        .ok_or_else(|| {
            NotText(
                "not UTF-8, UTF-16, GB18030 or Big5 text (binary or an unsupported encoding)"
                    .into(),
            )
        })
}

/// Decodes bytes known to be in `encoding` (the rows of a table whose encoding its head
/// told): bytes that are not are replaced, with a warning.
pub fn decode_as(bytes: &[u8], encoding: &'static Encoding) -> Result<Decoded, NotText> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let mut warnings = Vec::new();
    if had_errors {
        warnings.push(format!("invalid {} bytes replaced", encoding.name()));
    }
    finish(text.into_owned(), encoding, warnings)
}

/// GB18030 and Big5 are told apart by chardetng; a guess is accepted only if the bytes
/// decode under it without a single error, so a wrong guess is refused rather than shown
/// as mojibake.
fn decode_legacy(bytes: &[u8]) -> Option<Decoded> {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Deny);
    let candidates: &[&'static Encoding] = if guess == BIG5 {
        &[BIG5, GBK]
    } else {
        &[GBK, BIG5]
    };
    candidates.iter().find_map(|&encoding| {
        let text = encoding.decode_without_bom_handling_and_without_replacement(bytes)?;
        // GBK in encoding_rs decodes the full GB18030 range; report the superset's name.
        let encoding = if encoding == GBK {
            encoding_rs::GB18030
        } else {
            encoding
        };
        finish(text.into_owned(), encoding, Vec::new()).ok()
    })
}

/// UTF-8 with a few damaged bytes (a truncated download, a bad copy) is still worth
/// reading; it is flagged so the user knows characters were replaced.
fn decode_damaged_utf8(bytes: &[u8]) -> Option<Decoded> {
    let text = String::from_utf8_lossy(bytes);
    let total = text.chars().count().max(1);
    let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
    if (replaced as f64) / (total as f64) > MAX_REPLACED_SHARE {
        return None;
    }
    let first_bad = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let warning = format!("invalid UTF-8 from byte {first_bad}: {replaced} character(s) replaced");
    finish(text.into_owned(), UTF_8, vec![warning]).ok()
}

fn finish(
    text: String,
    encoding: &'static Encoding,
    mut warnings: Vec<String>,
) -> Result<Decoded, NotText> {
    if looks_binary(&text) {
        return Err(NotText(format!(
            "decodes as {} but is mostly control characters: binary, not text",
            encoding.name()
        )));
    }
    // NUL is never text: a few in a text file are damage (a resumed download, a padded
    // copy), and kept they would reach every later stage and the terminal.
    let nuls = text.matches('\0').count();
    let text = if nuls > 0 {
        warnings.push(format!("{nuls} NUL byte(s) removed"));
        text.replace('\0', "")
    } else {
        text
    };
    if let Some(sign) = mojibake_sign(&text) {
        warnings.push(format!(
            "mojibake: the text holds {sign:?}, a sign of double decoding"
        ));
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        warnings,
    })
}

fn looks_binary(text: &str) -> bool {
    let sample = text.chars().take(4096);
    let (mut control, mut total) = (0usize, 0usize);
    for c in sample {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            control += 1;
        }
    }
    total > 0 && control * 10 > total
}

/// Byte sequences that only appear when text was decoded with the wrong encoding and
/// saved again: GBK's rendering of replaced UTF-8 (锟斤拷), UTF-8 read as Latin-1 or
/// as GBK.
fn mojibake_sign(text: &str) -> Option<&'static str> {
    const SIGNS: [&str; 8] = ["锟斤拷", "烫烫烫", "屯屯屯", "â€", "Ã©", "Ã¤", "鈥", "�"];
    // One pass for all signs, not one per sign: their first bytes are common in Chinese
    // text, so a search for each would step through most of it.
    static SEARCH: LazyLock<AhoCorasick> = LazyLock::new(|| any_of(SIGNS));
    let first = SEARCH
        .find_iter(text)
        .map(|m| m.pattern().as_usize())
        .min()?;
    SIGNS.get(first).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "红谷滩区2026年重点工作布置会召开，区委书记涂晓晖主持会议并讲话。";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(SAMPLE.as_bytes()).unwrap().text, SAMPLE);
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(SAMPLE.as_bytes());
        let decoded = decode(&with_bom).unwrap();
        assert_eq!(decoded.text, SAMPLE);
        assert_eq!(decoded.encoding, "UTF-8");
    }

    #[test]
    fn utf16_with_bom() {
        for (bom, big_endian) in [([0xFF, 0xFE], false), ([0xFE, 0xFF], true)] {
            let mut bytes = bom.to_vec();
            for unit in SAMPLE.encode_utf16() {
                let pair = if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                };
                bytes.extend_from_slice(&pair);
            }
            assert_eq!(decode(&bytes).unwrap().text, SAMPLE);
        }
    }

    #[test]
    fn gb18030_and_big5_are_recognised() {
        let (gbk, _, _) = encoding_rs::GB18030.encode(SAMPLE);
        let decoded = decode(&gbk).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (SAMPLE, "gb18030")
        );

        let traditional =
            "紅旗區召開項目建設大會。區委書記劉宏鋒主持會議並講話，強調招商引資與營商環境。";
        let (big5, _, unmappable) = BIG5.encode(traditional);
        assert!(!unmappable);
        let decoded = decode(&big5).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (traditional, "Big5")
        );
    }

    #[test]
    fn binary_is_refused() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0";
        assert!(decode(png).is_err());
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert!(decode(&noise).is_err());
    }

    #[test]
    fn a_damaged_byte_in_utf8_is_replaced_and_flagged() {
        let mut bytes = SAMPLE.repeat(20).into_bytes();
        bytes[100] = 0xFF;
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.warnings[0].starts_with("invalid UTF-8 from byte 100"));
    }

    #[test]
    fn mojibake_is_flagged() {
        let decoded = decode("会议锟斤拷召开".as_bytes()).unwrap();
        assert!(decoded.warnings.iter().any(|w| w.starts_with("mojibake")));
    }
}
