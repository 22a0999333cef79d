//! What every page has: the header with the account area.

pub mod header;
pub mod user_menu;
