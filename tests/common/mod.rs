#![allow(dead_code)]

pub mod browser;
pub mod serve;
pub mod site;
