//! A figure's SVG as a PNG: rasterised by resvg with one system font, chosen because it
//! has a glyph for every character the figure draws. A PNG cannot fall back on the
//! reader's fonts as an SVG does, so without such a font there is no PNG — never one
//! with boxes for 县 or a label left out.

use std::sync::Arc;

use resvg::usvg::fontdb::{Database, ID};
use resvg::{tiny_skia, usvg};

use super::svg::FONT_STACK;
use crate::error::Error;

/// The PNG's resolution: what journals ask of line art with text, at least.
pub const DPI: f64 = 300.0;

/// At most this many of the system's other families are named when none will do.
const NAMED_AT_MOST: usize = 6;

/// A font that has every glyph asked for: its family, and the database holding only its
/// faces.
pub struct Font {
    /// The family's name.
    pub family: String,
    db: Database,
}

/// The families of the SVG's font stack, in its order, without the generic last one.
fn stack_families() -> Vec<&'static str> {
    FONT_STACK
        .split(',')
        .map(|f| f.trim().trim_matches('\''))
        .filter(|f| *f != "sans-serif")
        .collect()
}

/// Whether face `id` of `db` has a glyph for each of `chars`.
fn covers(db: &Database, id: ID, chars: &[char]) -> bool {
    use skrifa::MetadataProvider;
    db.with_face_data(id, |data, index| {
        skrifa::FontRef::from_index(data, index).is_ok_and(|font| {
            let charmap = font.charmap();
            chars.iter().all(|&c| charmap.map(c).is_some())
        })
    })
    .unwrap_or(false)
}

/// The first family of the system's fonts with a face that has every one of `text`'s
/// characters (spaces aside): the SVG's font stack first, in its order, then the others
/// by name. The error names the families tried.
pub fn find_font(text: &str) -> Result<Font, Error> {
    let mut db = Database::new();
    db.load_system_fonts();
    find_font_in(db, text)
}

/// [`find_font`] among the faces of `db`.
fn find_font_in(mut db: Database, text: &str) -> Result<Font, Error> {
    let mut chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    chars.sort_unstable();
    chars.dedup();
    let mut families: Vec<String> = db
        .faces()
        .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
        .collect();
    families.sort();
    families.dedup();
    let stack = stack_families();
    let order: Vec<String> = stack
        .iter()
        .map(|f| (*f).to_owned())
        .chain(
            families
                .iter()
                .filter(|f| !stack.contains(&f.as_str()))
                .cloned(),
        )
        .collect();
    let face_of = |db: &Database, family: &str| {
        db.faces()
            .filter(|f| f.families.iter().any(|(name, _)| name == family))
            .map(|f| f.id)
            .find(|&id| covers(db, id, &chars))
    };
    let Some(family) = order.iter().find(|f| face_of(&db, f).is_some()).cloned() else {
        let others = order.len() - stack.len();
        let mut tried: Vec<String> = order
            .iter()
            .take(stack.len() + NAMED_AT_MOST)
            .cloned()
            .collect();
        if others > NAMED_AT_MOST {
            tried.push(format!("{} other families", others - NAMED_AT_MOST));
        }
        return Err(Error::NoFont { tried });
    };
    // Only that family stays: whatever family the SVG names then falls back to it, so
    // every glyph drawn is one just checked.
    let others: Vec<ID> = db
        .faces()
        .filter(|f| !f.families.iter().any(|(name, _)| *name == family))
        .map(|f| f.id)
        .collect();
    for id in others {
        db.remove_face(id);
    }
    db.set_sans_serif_family(family.clone());
    db.set_serif_family(family.clone());
    Ok(Font { family, db })
}

/// `svg` rasterised at [`DPI`] with `font`, as a PNG holding `stamp` (taxonomy, hash,
/// corpus, version) and `title` in international text chunks.
pub fn render(
    svg: &str,
    font: Font,
    title: &str,
    stamp: &[(&'static str, String)],
) -> Result<Vec<u8>, Error> {
    let failed = |reason: String| Error::Png { reason };
    let options = usvg::Options {
        font_family: font.family.clone(),
        fontdb: Arc::new(font.db),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| failed(e.to_string()))?;
    // usvg sizes the figure in CSS pixels, 96 to the inch, from its width in cm.
    let scale = (DPI / 96.0) as f32;
    let size = tree.size();
    let (width, height) = (
        (size.width() * scale).round() as u32,
        (size.height() * scale).round() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| failed(format!("a {width}×{height} image is too large")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let rgba: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let per_metre = (DPI / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let text = std::iter::once(("Title", title.to_owned()))
            .chain(std::iter::once((
                "Software",
                format!("zhongdian {}", env!("CARGO_PKG_VERSION")),
            )))
            .chain(stamp.iter().map(|(k, v)| (*k, v.clone())));
        for (key, value) in text {
            encoder
                .add_itxt_chunk(key.to_owned(), super::one_line(&value))
                .map_err(|e| failed(e.to_string()))?;
        }
        let mut writer = encoder.write_header().map_err(|e| failed(e.to_string()))?;
        writer
            .write_image_data(&rgba)
            .map_err(|e| failed(e.to_string()))?;
        writer.finish().map_err(|e| failed(e.to_string()))?;
    }
    Ok(bytes)
}
