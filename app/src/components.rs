//! Building blocks shared by pages.

pub mod header;
pub mod join_form;
pub mod meeting_link;
pub mod my_rooms;
pub mod new_meeting;
pub mod user_menu;
pub mod viewer;
