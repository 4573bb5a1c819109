use crate::meeting::{Date, MeetingKind, Sourced, Speaker};
pub struct Page<'a> {
    pub text: &'a str,
    pub header_date: Option<Date>,
    pub file_name: &'a str,
}
#[derive(Debug, Clone, PartialEq)]
pub struct Inferred {
    pub district: Option<Sourced<String>>,
    pub year: Option<Sourced<i32>>,
    pub date: Option<Sourced<Date>>,
    pub title: Option<String>,
    pub kind: MeetingKind,
    pub speakers: Vec<Speaker>,
}
pub fn infer(_p: &Page) -> Inferred {
    Inferred {
        district: None,
        year: None,
        date: None,
        title: None,
        kind: MeetingKind::Other,
        speakers: vec![],
    }
}
