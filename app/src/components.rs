//! Building blocks of the pages, one component per file, grouped by the part of Meet they belong
//! to: the page layout, the home page, the meeting page.

pub mod home;
pub mod layout;
pub mod requester;
pub mod room;
