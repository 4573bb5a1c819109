//! zhongdian (重点): what Chinese districts and counties make their priorities, year by
//! year, measured from their meeting reports.
//!
//! The pipeline, one module a stage:
//!
//! 1. [`corpus`] finds the reports of a folder and reads their bytes: files, and the rows
//!    of tables, which [`table`] scans and splits into fields;
//! 2. [`decode`] turns bytes into text, [`clean`] into plain simplified prose, and
//!    [`metadata`] reads what a person stated (front matter, `meetings.toml`);
//! 3. [`infer`] reads district, year, date, kind, speakers and leaders from the text;
//!    [`ingest`] puts 1–3 together into [`meeting::Meeting`] records;
//! 4. [`segment`] cuts the text into words with jieba, taught by the [`taxonomy`];
//! 5. [`matching`] finds theme keywords among the words and [`measure`] counts them per
//!    meeting; [`keywords`] says which keywords carry a theme;
//! 6. [`aggregate`] pools meetings into district-years, [`tenure`] the leaders they name
//!    into tenures and [`shift`] compares the themes before and after a change of
//!    leader; [`analysis`] runs 1–6 over a
//!    corpus, reusing what the [`cache`] kept of earlier runs;
//! 7. the front ends present the result: [`cli`] as tables, CSV and JSON, [`tui`] as the
//!    dashboard; [`evidence`] holds what both need to show the sentences behind a number,
//!    and [`figure`] draws what both show as SVG and PNG files for papers.

#![warn(missing_docs)]

pub mod aggregate;
pub mod analysis;
pub mod cache;
pub mod clean;
pub mod cli;
pub mod corpus;
pub mod decode;
pub mod error;
pub mod evaluate;
pub mod evidence;
pub mod figure;
pub mod gazetteer;
pub mod infer;
pub mod ingest;
pub mod keywords;
pub mod matching;
pub mod measure;
pub mod meeting;
pub mod metadata;
pub mod segment;
pub mod shift;
pub mod table;
pub mod taxonomy;
pub mod tenure;
pub mod text;
pub mod tokens;
pub mod trend;
pub mod tui;
pub mod vocabulary;
