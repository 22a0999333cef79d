//! One module per page; a page composes components.

pub mod feedback;
pub mod home;
pub mod login_error;
pub mod not_found;
pub mod recording;
pub mod room;
