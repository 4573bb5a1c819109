//! The dashboard's views. Their own module, below both the state and the keymap, which
//! each need them: neither imports the other for it.

/// A view of the dashboard, as its tabs list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum View {
    /// One district-year at a time: its theme bars, its words, a theme over its years.
    Districts,
    /// The heat map of districts × themes for one year or all years.
    Compare,
    /// One theme over the years, for the pinned (or top five) districts.
    Timeline,
    /// The sentences behind a number, keywords highlighted.
    Evidence,
    /// Every parsed meeting with its metadata, sources and warnings.
    Meetings,
    /// Who held the selected unit's offices when, over its themes; a change's before
    /// and after.
    Leaders,
    /// Any term over the years, and when each unit first said it.
    Trends,
}

impl View {
    /// Every view, in tab order: the number key of each is its place here plus one.
    pub const ALL: [View; 7] = [
        View::Districts,
        View::Compare,
        View::Timeline,
        View::Evidence,
        View::Meetings,
        View::Leaders,
        View::Trends,
    ];

    /// The view's name on its tab.
    pub fn title(self) -> &'static str {
        match self {
            View::Districts => "Districts",
            View::Compare => "Compare",
            View::Timeline => "Timeline",
            View::Evidence => "Evidence",
            View::Meetings => "Meetings",
            View::Leaders => "Leaders",
            View::Trends => "Trends",
        }
    }
}
