#![allow(dead_code)]

pub mod browser;
pub mod site;
