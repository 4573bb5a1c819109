//! The integration tests, as one test binary: on two cores each binary's link step costs
//! seconds, and the tests share their support module.

mod support;

mod cache;
mod cli;
mod e2e_pty;
mod figures;
mod hostile;
mod identify;
mod ingest;
mod keywords;
mod measures;
mod parquet_export;
mod properties;
mod real_reports;
mod recount;
mod resume;
mod tables;
mod tenures;
mod themes;
mod trends;
mod tui_app;
mod tui_bytes;
mod tui_trends;
