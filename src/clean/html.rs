//! HTML to plain text: enough of HTML to get an article's words and its paragraph breaks
//! out of a saved news page. Scripts, styles and comments vanish; block elements become
//! line breaks; entities are decoded.

/// Elements whose content is never text a reader saw.
const INVISIBLE: [&str; 6] = ["script", "style", "noscript", "template", "svg", "iframe"];

/// Elements that start a new line.
const BLOCKS: [&str; 27] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "title",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
    "td",
    "th",
];

/// The text of an HTML page, and how many tags were removed.
pub fn html_to_text(html: &str) -> (String, usize) {
    let mut out = String::with_capacity(html.len() / 2);
    let mut tags = 0;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let starts_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        if !starts_tag {
            // A lone '<' in text ("1 < 2") is text.
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // An unclosed tag at the end of a cut-off page: keep its text.
            push_text(&mut out, rest);
            rest = "";
            break;
        };
        tags += 1;
        let name = tag_name(&rest[1..gt]);
        rest = &rest[gt + 1..];
        if INVISIBLE.contains(&name.as_str()) && !rest.is_empty() {
            rest = skip_past_closing(rest, &name);
        } else if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        }
    }
    push_text(&mut out, rest);
    (tidy_lines(&out), tags)
}

/// The lower-cased element name of a tag's inside (`/P class=x` → `p`).
fn tag_name(inside: &str) -> String {
    inside
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn skip_past_closing<'a>(rest: &'a str, name: &str) -> &'a str {
    let closing = format!("</{name}");
    let lower = rest.to_ascii_lowercase();
    match lower.find(&closing) {
        Some(at) => rest[at..].find('>').map_or("", |gt| &rest[at + gt + 1..]),
        None => "",
    }
}

fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        push_collapsed(out, &rest[..amp]);
        rest = &rest[amp..];
        match decode_entity(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    push_collapsed(out, rest);
}

/// Source line breaks and runs of spaces mean nothing in HTML: one space.
fn push_collapsed(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Decodes the entity at the start of `s` (which begins with '&'): the character and
/// the entity's length.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    // Entity names are short; a ';' further away belongs to the text.
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match body {
            "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "ldquo" => '“',
            "rdquo" => '”',
            "lsquo" => '‘',
            "rsquo" => '’',
            "mdash" => '—',
            "ndash" => '–',
            "hellip" => '…',
            "middot" => '·',
            "bull" => '•',
            "times" => '×',
            "copy" => '©',
            "reg" => '®',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// One line per block, trimmed; the blank lines that opening and closing tags leave
/// between blocks carry nothing.
fn tidy_lines(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_survive_and_markup_does_not() {
        let html = r#"<html><head><title>会议</title><style>p{color:red}</style>
            <script>var a = "<p>不是正文</p>";</script></head>
            <body><!-- 广告 --><p>2月25日，红谷滩区&nbsp;召开会议。</p><p>区长李婷<b>讲话</b>&ldquo;开门红&rdquo;&#x3002;</p>
            <div>a &lt; b &amp; c&#12290; 1 < 2</div></body></html>"#;
        let (text, tags) = html_to_text(html);
        assert_eq!(
            text,
            "会议\n2月25日，红谷滩区 召开会议。\n区长李婷讲话“开门红”。\na < b & c。 1 < 2"
        );
        assert!(tags > 10);
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for html in [
            "<",
            "<p",
            "&#xFFFFFFFF;",
            "&#;",
            "<script>",
            "&",
            "<!--",
            "<p>&amp",
        ] {
            let _ = html_to_text(html);
        }
    }
}
