//! Building blocks shared by pages.

pub mod header;
pub mod join_form;
