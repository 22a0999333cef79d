//! The home page's parts: starting a meeting, joining one by its code, one's meetings.

pub mod join_form;
pub mod my_rooms;
pub mod new_meeting;
