//! Building blocks shared by pages.

pub mod header;
pub mod join_form;
pub mod user_menu;
