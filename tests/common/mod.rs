// Test support: a failed step should stop the test with its panic message.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod a11y;
pub mod browser;
pub mod generated;
pub mod serve;
pub mod site;
